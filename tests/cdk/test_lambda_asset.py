"""The synthesized Lambda asset, run as Lambda runs it, and the wire format it shares with the construct.

The contract test is the one place where the construct and the handler meet for real: properties
from a synthesized template, stringified as CloudFormation sends them, go to the handler loaded
from the asset folder ``cdk synth`` wrote, which creates the pool on the SMS Voice emulator and
answers over HTTPS.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aws_cdk as cdk
import contract as lambda_contract  # lambda/pool_provider/contract.py, through pytest's pythonpath
import pytest

from cdk_sms_voice_pool import (
    KeywordAction,
    MandatoryKeywords,
    MessageType,
    OptionalKeyword,
    SmsVoicePool,
)
from cdk_sms_voice_pool import contract as stacks_contract
from cdk_sms_voice_pool.provider_code import source_hash
from stacks import AppStack
from tests.cdk.cdk_synth import Synthesized
from tests.cdk.lambda_sandbox import make_runtime_sdk_dir, run_in_sandbox
from tests.support.cfn_driver import CLOSED_ENDPOINT, RUNNER, ResponseServer
from tests.support.harness import check_answer, make_event, stringify

if TYPE_CHECKING:
    from localcloud.sms_voice import Emulator


def sandbox_env(**extra: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        # Any AWS call other than SMS Voice fails at once instead of leaving the machine.
        "AWS_ENDPOINT_URL": CLOSED_ENDPOINT,
        **extra,
    }


@pytest.fixture(scope="module")
def sdk_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_runtime_sdk_dir(tmp_path_factory.mktemp("lambda-runtime-sdk"))


@pytest.fixture(scope="module")
def provider_asset(synth: Callable[..., Synthesized]) -> Path:
    return synth(AppStack).asset_dir()


def test_bundled_asset_imports_in_a_fresh_interpreter_with_only_boto3(
    provider_asset: Path, sdk_dir: Path
) -> None:
    result = run_in_sandbox(
        "import json, boto3, crhelper, index\n"
        "print(json.dumps({'boto3': boto3.__file__, 'crhelper': crhelper.__file__,\n"
        "    'init_failure': repr(index.helper._init_failed), 'handler': callable(index.handler)}))",
        asset_dir=provider_asset,
        sdk_dir=sdk_dir,
        env=sandbox_env(),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    imported = json.loads(result.stdout.strip().splitlines()[-1])
    assert imported["crhelper"].startswith(str(provider_asset))
    assert imported["boto3"].startswith(str(sdk_dir))
    assert imported["init_failure"] == "None"
    assert imported["handler"] is True


def test_sandbox_does_not_see_the_test_environments_packages(tmp_path: Path, sdk_dir: Path) -> None:
    # Proof that the test above can fail: without the bundle, crhelper is nowhere to be found.
    result = run_in_sandbox("import crhelper", asset_dir=tmp_path, sdk_dir=sdk_dir, env=sandbox_env())
    assert result.returncode != 0
    assert "No module named 'crhelper'" in result.stderr


def test_asset_holds_the_handler_and_crhelper_and_nothing_else(provider_asset: Path) -> None:
    handler_files = {
        path.name
        for path in stacks_contract.LAMBDA_ASSET_DIR.iterdir()
        if path.is_file() and path.suffix in (".py", ".txt")
    }
    assert {path.name for path in provider_asset.iterdir()} == handler_files | {
        "crhelper",
        "crhelper-2.0.12.dist-info",
    }
    assert not list(provider_asset.rglob("__pycache__"))
    assert not [path for path in provider_asset.rglob("*") if path.suffix in (".so", ".pyd")]


def test_the_construct_and_the_shipped_handler_read_one_contract_file(provider_asset: Path) -> None:
    # The construct's names come from the file it loads by path; the handler imports its own copy.
    # They are one source of truth only if that path is the handler's file and the asset ships it
    # unchanged (a stale copy in the wheel, or a bundler that rewrites it, fails here).
    assert stacks_contract.CONTRACT_FILE.resolve() == Path(lambda_contract.__file__).resolve()
    assert (provider_asset / "contract.py").read_bytes() == stacks_contract.CONTRACT_FILE.read_bytes()
    assert tuple(MessageType) == lambda_contract.MESSAGE_TYPES
    assert tuple(KeywordAction) == lambda_contract.KEYWORD_ACTIONS


def test_the_synthesized_resource_has_the_type_and_attributes_the_handler_answers(
    synth: Callable[..., Synthesized],
) -> None:
    def build(app: cdk.App) -> cdk.Stack:
        stack = cdk.Stack(app, "Names")
        pool = SmsVoicePool(stack, "Pool", origination_identities=["phone-0123456789abcdef0123456789abcdef"])
        cdk.CfnOutput(stack, "Arn", value=pool.pool_arn)
        cdk.CfnOutput(stack, "Id", value=pool.pool_id)
        return stack

    synthesized = synth(build)
    # Exactly one resource of the handler's type.
    (logical_id,) = synthesized.resources(lambda_contract.RESOURCE_TYPE)
    read = json.dumps(synthesized.template["Outputs"])
    assert f'["{logical_id}", "{lambda_contract.ATTR_ARN}"]' in read


def run_handler_code(code_dir: Path, function_arn: str) -> str:
    """Sandbox code running the handler in ``code_dir`` on the event from stdin, as the protocol
    driver's Lambda runner does (one invocation, a context with a 120 s deadline)."""
    argv = ["lambda_runner", "--code-dir", str(code_dir), "--handler", "index.handler"]
    argv += ["--timeout-seconds", "120", "--function-arn", function_arn]
    return f"import runpy, sys\nsys.argv = {argv!r}\nrunpy.run_path({str(RUNNER)!r}, run_name='__main__')\n"


def test_synthesized_properties_create_the_pool_through_the_bundled_handler(
    synth: Callable[..., Synthesized],
    emulator: Emulator,
    sms: Any,
    sdk_dir: Path,
    response_server: ResponseServer,
) -> None:
    # GIVEN two phone numbers in the account and a pool using every property the emulator supports
    first = emulator.control.seed_phone_number()
    second = emulator.control.seed_phone_number()

    def build(app: cdk.App) -> cdk.Stack:
        stack = cdk.Stack(app, "Contract")
        SmsVoicePool(
            stack,
            "Pool",
            origination_identities=[first["PhoneNumberId"], second["PhoneNumberArn"]],
            message_type=MessageType.TRANSACTIONAL,
            iso_country_code="US",
            mandatory_keywords=MandatoryKeywords(
                help_message="Contract help.", stop_message="Contract stop."
            ),
            optional_keywords=[
                OptionalKeyword(keyword="JOIN", message="Joined.", action=KeywordAction.OPT_IN)
            ],
            deletion_protection_enabled=False,
            opt_out_list_name="Default",
            self_managed_opt_outs_enabled=False,
            shared_routes_enabled=False,
            tags={"team": "contract", "tier": "1"},
        )
        return stack

    synthesized = synth(build)
    ((logical_id, resource),) = synthesized.resources("Custom::SmsVoicePool").items()
    template_properties = resource["Properties"]
    assert set(template_properties) - {"ServiceToken", "ServiceTimeout"} == set(
        lambda_contract.PROPERTIES
    ) - {
        lambda_contract.TWO_WAY,
        lambda_contract.ADOPT_POOL_ID,
    }  # adopting is tests/provider/test_adoption.py

    # WHEN CloudFormation would send Create: intrinsics resolved, every scalar a string
    service_token = "arn:aws:lambda:us-east-1:000000000000:function:SmsVoicePoolProvider"
    token, response_url = response_server.new_response_url()
    event = make_event(
        "Create",
        stringify({**template_properties, "ServiceToken": service_token}),
        logical_id=logical_id,
        response_url=response_url,
        stack_id="arn:aws:cloudformation:us-east-1:000000000000:stack/Contract/" + str(uuid.uuid4()),
        service_token=service_token,
        resource_type=resource["Type"],
    )
    result = run_in_sandbox(
        run_handler_code(synthesized.asset_dir(), service_token),
        asset_dir=synthesized.asset_dir(),
        sdk_dir=sdk_dir,
        env=sandbox_env(
            AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2=emulator.endpoint_url,
            SSL_CERT_FILE=str(response_server.certificate),
        ),
        stdin=json.dumps(event),
    )
    received = response_server.responses(token)
    assert result.returncode == 0, result.stderr[-3000:]

    # THEN CloudFormation gets one SUCCESS naming the pool, with every attribute as a string
    assert [response.content_type for response in received] == [""], result.stderr[-3000:]
    body = check_answer(
        event, [response.body for response in received], attributes=frozenset(lambda_contract.ATTRIBUTES)
    )
    assert body["Status"] == "SUCCESS", body.get("Reason")
    pool_id = body["PhysicalResourceId"]
    assert pool_id.startswith(lambda_contract.POOL_ID_PREFIX)

    # AND the pool exists as the template describes it
    (pool,) = sms.describe_pools(PoolIds=[pool_id])["Pools"]
    assert body["Data"][lambda_contract.ATTR_ARN] == pool["PoolArn"]
    assert pool["MessageType"] == "TRANSACTIONAL"
    assert pool["DeletionProtectionEnabled"] is False
    members = sms.list_pool_origination_identities(PoolId=pool_id)["OriginationIdentities"]
    assert {member["OriginationIdentityArn"] for member in members} == {
        first["PhoneNumberArn"],
        second["PhoneNumberArn"],
    }
    keywords = {k["Keyword"]: k for k in sms.describe_keywords(OriginationIdentity=pool_id)["Keywords"]}
    assert keywords["HELP"]["KeywordMessage"] == "Contract help."
    assert keywords["STOP"]["KeywordMessage"] == "Contract stop."
    assert (keywords["JOIN"]["KeywordMessage"], keywords["JOIN"]["KeywordAction"]) == ("Joined.", "OPT_IN")
    tags = {t["Key"]: t["Value"] for t in sms.list_tags_for_resource(ResourceArn=pool["PoolArn"])["Tags"]}
    reserved = stacks_contract.RESERVED_TAG_PREFIX
    assert {key: value for key, value in tags.items() if not key.startswith(reserved)} == {
        "team": "contract",
        "tier": "1",
    }


def test_asset_hash_follows_the_handler_source_and_ignores_caches(tmp_path: Path) -> None:
    source = tmp_path / "pool_provider"
    shutil.copytree(
        stacks_contract.LAMBDA_ASSET_DIR, source, ignore=shutil.ignore_patterns(".*", "__pycache__")
    )
    original = source_hash(source)
    (source / "__pycache__").mkdir()
    (source / "__pycache__" / "index.cpython-311.pyc").write_bytes(b"bytecode")
    (source / ".mypy_cache").mkdir()
    (source / ".mypy_cache" / "cache.json").write_text("{}")
    assert source_hash(source) == original
    (source / "index.py").write_text((source / "index.py").read_text() + "\n# changed\n")
    assert source_hash(source) != original
