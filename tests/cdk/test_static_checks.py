"""cfn-lint and cdk-nag on everything we ship: the app's templates, the examples, and cdk synth itself.

cfn-lint runs with no rule ignored here. The one rule the provider's template trips, W3005 (a
DependsOn that CDK adds next to a GetAtt), is ignored in that resource's own ``cfn-lint`` metadata,
with the reason in src/cdk_sms_voice_pool/provider.py, so it is also ignored for users who lint
their own stacks.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import lint_file
from cfnlint.decode import decode
from contract import Home
from pool_adoption import parse_adopt_pool_id
from pool_properties import parse_pool_properties

from cdk_sms_voice_pool import SERVICE_TOKEN_EXPORT_NAME
from cdk_sms_voice_pool.contract import RESOURCE_TYPE
from localcloud.cdk_env import cdk_cli_env
from stacks import AppStack
from tests.cdk.cdk_apps import FULL_CONTEXT, build_pools
from tests.cdk.cdk_synth import REPO_ROOT, Synthesized
from tests.cdk.template_resolver import resolve

EXAMPLES = REPO_ROOT / "examples"
NPX = shutil.which("npx")


def lint(template: Path) -> list[str]:
    return [str(match) for match in lint_file(template)]


@pytest.fixture(scope="module")
def templates(synth: Callable[..., Synthesized]) -> dict[str, Synthesized]:
    return {
        "default": synth(AppStack),
        "with-pool": synth(AppStack, context=FULL_CONTEXT),
        "pools": synth(build_pools),
    }


@pytest.mark.parametrize("name", ["default", "with-pool", "pools"])
def test_synthesized_templates_are_cfn_lint_clean(templates: dict[str, Synthesized], name: str) -> None:
    for template_file in sorted(templates[name].outdir.glob("*.template.json")):
        assert lint(template_file) == [], template_file.name


@pytest.mark.parametrize("name", ["default", "with-pool", "pools"])
def test_cdk_nag_acknowledgements_each_carry_a_reason(templates: dict[str, Synthesized], name: str) -> None:
    # Synthesis already failed on any unacknowledged AwsSolutions finding; this pins what is left.
    report = json.loads((templates[name].outdir / "validation-report.json").read_text())
    (nag,) = [plugin for plugin in report["pluginReports"] if plugin["pluginName"] == "AwsSolutions"]
    assert nag["conclusion"] == "success"
    assert nag["violations"] == []
    acknowledged = sorted({violation["ruleName"] for violation in nag["suppressedViolations"]})
    expected = [
        f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:{kind}/*]"
        for kind in ("opt-out-list", "phone-number", "pool", "sender-id")
    ]
    if name != "pools":  # the provider stack's PassRoleIamPath grant
        expected.insert(
            0,
            "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role<PassRoleIamPath>*]",
        )
    assert acknowledged == expected
    assert all(len(violation["reason"]) > 40 for violation in nag["suppressedViolations"])


@pytest.mark.parametrize("template", sorted(EXAMPLES.glob("*.yaml")), ids=lambda path: path.name)
def test_example_templates_are_cfn_lint_clean(template: Path) -> None:
    assert lint(template) == []


def test_example_template_uses_the_exported_service_token() -> None:
    text = (EXAMPLES / "pool-from-service-token.yaml").read_text()
    assert f"!ImportValue {SERVICE_TOKEN_EXPORT_NAME}" in text
    assert f"Type: {RESOURCE_TYPE}" in text


def offline_env(**extra: str) -> dict[str, str]:
    """No AWS credentials, profile or region at all: synth must not need them."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    return {**env, **cdk_cli_env(env), **extra}


def cdk_synth(app_dir: Path, outdir: Path, *context: str) -> dict[str, Any]:
    assert NPX is not None, "npx is needed (make setup installs the pinned CDK CLI)"
    args = [NPX, "--no-install", "cdk", "synth", "--quiet", "--output", str(outdir)]
    for item in context:
        args += ["--context", item]
    result = subprocess.run(args, cwd=app_dir, env=offline_env(), capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return {path.name: json.loads(path.read_text()) for path in outdir.glob("*.template.json")}


def test_cdk_synth_of_the_app_works_offline_without_credentials(tmp_path: Path) -> None:
    templates = cdk_synth(REPO_ROOT, tmp_path, "originationIdentities=phone-1,phone-2")
    assert list(templates) == ["SmsVoicePoolProvider.template.json"]
    resources = templates["SmsVoicePoolProvider.template.json"]["Resources"]
    assert [r["Type"] for r in resources.values()].count("Custom::SmsVoicePool") == 1
    assert lint(tmp_path / "SmsVoicePoolProvider.template.json") == []


def test_example_cdk_app_synthesizes_and_is_cfn_lint_clean(tmp_path: Path) -> None:
    templates = cdk_synth(EXAMPLES / "cdk-app", tmp_path)
    template = templates["MessagingExample.template.json"]
    types = sorted(resource["Type"] for resource in template["Resources"].values())
    assert types.count("Custom::SmsVoicePool") == 1
    assert types.count("AWS::Lambda::Function") == 1
    assert lint(tmp_path / "MessagingExample.template.json") == []


@pytest.mark.parametrize(
    ("message_type", "adopt_pool_id"), [("", ""), ("PROMOTIONAL", "pool-0123456789abcdef0123456789abcdef")]
)
def test_example_template_properties_are_accepted_by_the_handler(
    message_type: str, adopt_pool_id: str
) -> None:
    template, matches = decode(EXAMPLES / "pool-from-service-token.yaml")
    assert matches == []
    assert template is not None
    parameters = {
        "OriginationIdentities": ["phone-11111111111111111111111111111111"],
        "MessageType": message_type,
        "DeletionProtectionEnabled": "false",
        "AdoptPoolId": adopt_pool_id,
        "AWS::StackName": "PlainPool",
    }
    conditions = {"HasMessageType": message_type != "", "AdoptsAPool": adopt_pool_id != ""}
    properties = resolve(template["Resources"]["Pool"]["Properties"], parameters, conditions)
    parsed = parse_pool_properties(properties)
    home = Home.of_stack("arn:aws:cloudformation:us-east-1:111122223333:stack/PlainPool/1")
    assert parse_adopt_pool_id(properties, home) == (adopt_pool_id or None)
    assert parsed.origination_identities == ("phone-11111111111111111111111111111111",)
    assert parsed.message_type == (message_type or None)
    assert parsed.mandatory_keywords.keys() == {"HELP", "STOP"}
    assert parsed.tags == {"stack": "PlainPool"}
