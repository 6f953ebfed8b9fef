"""A user's own CDK app, outside this repository, that installs only the wheel: synth with the network
off, then deploy, update (a stack-wide tag changes) and destroy on the local cloud.

The wheel is built from this checkout, installed into a fresh virtualenv in a temporary folder, and
the app there imports nothing but ``aws_cdk`` and ``cdk_sms_voice_pool``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import venv
from pathlib import Path
from typing import Any

import pytest

from cdk_sms_voice_pool.contract import RESERVED_TAG_PREFIX
from localcloud.cdk_cli import CdkCli
from localcloud.cloud import PROJECT_ROOT, LocalCloud
from localcloud.sms_voice.control import ControlClient
from tests.e2e.e2e_helpers import AppStack, phone_arns, wait_until_no_pools

pytestmark = pytest.mark.e2e

STACK_NAME = "ConsumerPools"
CDK_BIN = PROJECT_ROOT / "node_modules" / ".bin" / "cdk"

APP = textwrap.dedent(
    """
    import aws_cdk as cdk

    from cdk_sms_voice_pool import MessageType, SmsVoicePool

    app = cdk.App()
    stack = cdk.Stack(app, "ConsumerPools")
    first, second = app.node.get_context("identities").split(",")
    alerts = SmsVoicePool(
        stack, "Alerts", origination_identities=[first], message_type=MessageType.TRANSACTIONAL,
        tags={"app": "consumer"},
    )
    offers = SmsVoicePool(stack, "Offers", origination_identities=[second])
    for pair in filter(None, app.node.get_context("stackTags").split(",")):
        key, value = pair.split("=")
        cdk.Tags.of(stack).add(key, value)
    cdk.CfnOutput(stack, "AlertsArn", value=alerts.pool_arn)
    cdk.CfnOutput(stack, "OffersArn", value=offers.pool_arn)
    app.synth()
    """
)


def network_off() -> tuple[str, ...]:
    """A command prefix that runs its command with no network at all, or () where that is not allowed."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True, check=False).returncode == 0:
        return (unshare, "-n")
    return ()


@pytest.fixture(scope="module")
def consumer_app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside the repository with a fresh virtualenv holding the wheel, and the app."""
    wheel_dir = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(wheel_dir), str(PROJECT_ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = wheel_dir.glob("cdk_sms_voice_pool-*.whl")
    app_dir = tmp_path_factory.mktemp("consumer-app")
    assert PROJECT_ROOT not in app_dir.parents
    venv.create(app_dir / ".venv", with_pip=True)
    python = app_dir / ".venv" / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        check=True,
        capture_output=True,
    )
    (app_dir / "app.py").write_text(APP)
    (app_dir / "cdk.json").write_text(json.dumps({"app": ".venv/bin/python app.py"}))
    return app_dir


def cli(cloud: LocalCloud, app_dir: Path, work_dir: Path, *prefix: str) -> CdkCli:
    env = cloud.subprocess_env()
    env.pop("PYTHONPATH", None)
    return CdkCli(
        env, work_dir, project_root=app_dir, stack_name=STACK_NAME, cdk_command=(*prefix, str(CDK_BIN))
    )


def context(identities: list[str], stack_tags: dict[str, str]) -> dict[str, str]:
    return {
        "identities": ",".join(identities),
        "stackTags": ",".join(f"{k}={v}" for k, v in stack_tags.items()),
    }


def user_tags(stack: AppStack, pool_arn: str) -> dict[str, str]:
    """The pool's tags without the one the provider keeps to recognise its own pools."""
    return {k: v for k, v in stack.pool_tags(pool_arn).items() if not k.startswith(RESERVED_TAG_PREFIX)}


def pool_resources(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: r for k, r in template["Resources"].items() if r["Type"] == "Custom::SmsVoicePool"}


@pytest.mark.usefixtures("bootstrapped_cdk")
def test_wheel_app_synthesizes_offline_and_deploys_updates_and_destroys(
    consumer_app: Path,
    local_cloud: LocalCloud,
    control: ControlClient,
    cloudformation: Any,
    tmp_path: Path,
) -> None:
    python = consumer_app / ".venv" / "bin" / "python"
    imported = subprocess.run(
        [str(python), "-c", "import cdk_sms_voice_pool; print(cdk_sms_voice_pool.__file__)"],
        cwd=consumer_app,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(imported).is_relative_to(consumer_app / ".venv"), imported

    control.reset()
    phones = phone_arns(control, 2)

    # cdk synth with no network at all: no pip, no index, no Docker.
    offline = cli(local_cloud, consumer_app, tmp_path / "synth", *network_off())
    synthesized = offline.synth(context(phones, {"team": "x", "stage": "one"}))
    assert "Bundling asset" not in synthesized.output, "the wheel's Lambda code is used as it is"
    template = json.loads((offline.cloud_assembly / f"{STACK_NAME}.template.json").read_text())
    pools = pool_resources(template)
    assert len(pools) == 2
    [alerts] = [r["Properties"] for k, r in pools.items() if k.startswith("Alerts")]
    assert alerts["OriginationIdentities"] == [phones[0]]
    assert alerts["MessageType"] == "TRANSACTIONAL"
    assert alerts["Tags"] == [
        {"Key": "app", "Value": "consumer"},
        {"Key": "stage", "Value": "one"},
        {"Key": "team", "Value": "x"},
    ]
    [function_id] = [k for k, r in template["Resources"].items() if r["Type"] == "AWS::Lambda::Function"]
    assert {r["Properties"]["ServiceToken"]["Fn::GetAtt"][0] for r in pools.values()} == {function_id}

    cdk = cli(local_cloud, consumer_app, tmp_path / "deploy")
    stack = AppStack(cdk, cloudformation, local_cloud.sms_voice_client())
    try:
        cdk.deploy(context(phones, {"team": "x", "stage": "one"}))

        outputs = cdk.stack_outputs()
        assert user_tags(stack, outputs["AlertsArn"]) == {"app": "consumer", "team": "x", "stage": "one"}
        assert user_tags(stack, outputs["OffersArn"]) == {"team": "x", "stage": "one"}

        cdk.deploy(context(phones, {"team": "y"}))

        assert cdk.stack_outputs() == outputs, "a tag change updates the pools in place"
        assert user_tags(stack, outputs["AlertsArn"]) == {"app": "consumer", "team": "y"}
        assert user_tags(stack, outputs["OffersArn"]) == {"team": "y"}
    finally:
        cdk.destroy(context(phones, {}), check=False)

    summaries = cloudformation.list_stacks()["StackSummaries"]
    assert [s["StackStatus"] for s in summaries if s["StackName"] == STACK_NAME] == ["DELETE_COMPLETE"]
    assert wait_until_no_pools(stack) == []
