"""Helpers for the end-to-end tests: the app's stack on the local cloud, and seeded identities."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from localcloud.cdk_cli import STACK_NAME, CdkCli, CdkResult
from localcloud.sms_voice.control import ControlClient

if TYPE_CHECKING:
    from mypy_boto3_pinpoint_sms_voice_v2 import PinpointSMSVoiceV2Client

DELETED = "DELETE_COMPLETE"
STACK_TYPE = "AWS::CloudFormation::Stack"


@dataclass
class AppStack:
    """The app's stack on the local cloud, deployed with `npx cdk` and inspected with boto3."""

    cdk: CdkCli
    cloudformation: Any
    sms_voice: PinpointSMSVoiceV2Client

    def deploy(self, context: Mapping[str, str], *, check: bool = True) -> CdkResult:
        return self.cdk.deploy(context, check=check)

    def destroy(self) -> CdkResult:
        return self.cdk.destroy()

    def status(self) -> str | None:
        """The stack's status, or None when there is no stack (or only a deleted one)."""
        summaries = self.cloudformation.list_stacks()["StackSummaries"]
        live = [
            s for s in summaries if s["StackName"] == STACK_NAME and s["StackStatus"] != "DELETE_COMPLETE"
        ]
        return str(live[0]["StackStatus"]) if live else None

    def outputs(self) -> dict[str, str]:
        stack = self.cloudformation.describe_stacks(StackName=STACK_NAME)["Stacks"][0]
        return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}

    def resource_statuses(self, logical_id_prefix: str = "Pool") -> list[str]:
        """Every status the pool resource went through, oldest first (from the stack events)."""
        events = self.cloudformation.describe_stack_events(StackName=STACK_NAME)["StackEvents"]
        return [
            e["ResourceStatus"]
            for e in reversed(events)
            if e["LogicalResourceId"].startswith(logical_id_prefix)
            and e["ResourceType"] != "AWS::CloudFormation::Stack"
        ]

    def pools(self) -> list[dict[str, Any]]:
        return [dict(pool) for pool in self.sms_voice.describe_pools()["Pools"]]

    def pool_identities(self, pool_id: str) -> set[str]:
        listed = self.sms_voice.list_pool_origination_identities(PoolId=pool_id)["OriginationIdentities"]
        return {identity["OriginationIdentityArn"] for identity in listed}

    def pool_tags(self, pool_arn: str) -> dict[str, str]:
        tags = self.sms_voice.list_tags_for_resource(ResourceArn=pool_arn)["Tags"]
        return {tag["Key"]: tag["Value"] for tag in tags}


def phone_arns(control: ControlClient, count: int) -> list[str]:
    return [str(control.seed_phone_number()["PhoneNumberArn"]) for _ in range(count)]


def pool_context(identities: list[str], **settings: str) -> dict[str, str]:
    return {"originationIdentities": ",".join(identities), "messageType": "TRANSACTIONAL", **settings}


MISSING_PHONE_ID = "phone-" + "0" * 32  # well-formed, and owned by no account


def wait_until_no_pools(stack: AppStack, timeout: float = 30.0) -> list[dict[str, Any]]:
    """The pools left once DELETING ones are gone (CloudFormation may report before they vanish)."""
    deadline = time.monotonic() + timeout
    pools = stack.pools()
    while pools and all(pool["Status"] == "DELETING" for pool in pools) and time.monotonic() < deadline:
        time.sleep(0.5)
        pools = stack.pools()
    return pools
