"""A CloudFormation user without CDK: `make package`'s provider template and code zip, deployed with the
AWS CLI from PyPI (its own venv) and nothing else, then `examples/pool-from-service-token.yaml`
against the exported ServiceToken; both stacks deleted, no pool left."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from cdk_sms_voice_pool.standalone import TEMPLATE_FILE
from localcloud.cloud import PROJECT_ROOT, LocalCloud
from localcloud.sms_voice.control import ControlClient
from tests.e2e.e2e_helpers import phone_arns

pytestmark = pytest.mark.e2e

AWS_CLI = PROJECT_ROOT / ".venv-awscli" / "bin" / "aws"
EXAMPLE = PROJECT_ROOT / "examples" / "pool-from-service-token.yaml"
PROVIDER_STACK = "SmsVoicePoolProvider"
POOL_STACK = "ExamplePoolFromServiceToken"
BUCKET = "sms-voice-pool-provider-code"


def aws(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(AWS_CLI), *args, "--output", "json"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"aws {' '.join(args)}: {result.stderr[-2000:]}"
    return result.stdout


def outputs(env: dict[str, str], stack: str) -> dict[str, str]:
    described = json.loads(aws(env, "cloudformation", "describe-stacks", "--stack-name", stack))
    return {o["OutputKey"]: o["OutputValue"] for o in described["Stacks"][0].get("Outputs", [])}


def wait_until_deleted(cloudformation: Any, stack: str, timeout: float = 120.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        summaries = cloudformation.list_stacks()["StackSummaries"]
        if all(s["StackStatus"] == "DELETE_COMPLETE" for s in summaries if s["StackName"] == stack):
            return True
        time.sleep(0.5)
    return False


def test_packaged_provider_and_example_pool_deploy_and_delete_with_the_aws_cli(
    local_cloud: LocalCloud, control: ControlClient, cloudformation: Any, tmp_path: Path
) -> None:
    if not AWS_CLI.exists():
        pytest.fail(f"{AWS_CLI} is missing: run `make setup`")
    # make package, into a folder of this test's own.
    subprocess.run(
        [sys.executable, "-m", "cdk_sms_voice_pool.standalone", "--outdir", str(tmp_path)],
        check=True,
        capture_output=True,
        cwd=PROJECT_ROOT,
    )
    [code_zip] = tmp_path.glob("*.zip")
    template = tmp_path / TEMPLATE_FILE
    env = local_cloud.subprocess_env()
    control.reset()
    [phone] = phone_arns(control, 1)
    sms_voice = local_cloud.sms_voice_client()

    aws(env, "s3", "mb", f"s3://{BUCKET}")
    aws(env, "s3", "cp", str(code_zip), f"s3://{BUCKET}/{code_zip.name}")
    try:
        aws(
            env,
            "cloudformation",
            "deploy",
            "--template-file",
            str(template),
            "--stack-name",
            PROVIDER_STACK,
            "--capabilities",
            "CAPABILITY_IAM",
            "--parameter-overrides",
            f"CodeS3Bucket={BUCKET}",
            "PassRoleIamPath=/sms-two-way/",
        )
        assert outputs(env, PROVIDER_STACK)["ServiceToken"].startswith("arn:aws:lambda:")

        aws(
            env,
            "cloudformation",
            "deploy",
            "--template-file",
            str(EXAMPLE),
            "--stack-name",
            POOL_STACK,
            "--parameter-overrides",
            f"OriginationIdentities={phone}",
            "MessageType=TRANSACTIONAL",
        )

        pool_outputs = outputs(env, POOL_STACK)
        [pool] = sms_voice.describe_pools()["Pools"]
        assert (pool["PoolId"], pool["PoolArn"]) == (pool_outputs["PoolId"], pool_outputs["PoolArn"])
        assert (pool["Status"], pool["MessageType"]) == ("ACTIVE", "TRANSACTIONAL")
        keywords = sms_voice.describe_keywords(OriginationIdentity=pool["PoolId"])["Keywords"]
        assert {k["Keyword"] for k in keywords} >= {"HELP", "STOP", "INFO"}
    finally:
        for stack in (POOL_STACK, PROVIDER_STACK):
            subprocess.run(
                [str(AWS_CLI), "cloudformation", "delete-stack", "--stack-name", stack], env=env, check=False
            )
            # Polled here: the CLI's `wait stack-delete-complete` sleeps 30 s between checks.
            assert wait_until_deleted(cloudformation, stack), f"{stack} was not deleted"
        subprocess.run([str(AWS_CLI), "s3", "rb", f"s3://{BUCKET}", "--force"], env=env, check=False)

    assert [p for p in sms_voice.describe_pools()["Pools"] if p["Status"] != "DELETING"] == []
