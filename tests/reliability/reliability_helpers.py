"""Shared by the reliability tests: CloudFormation events through ``index.handler``, account snapshots.

The handler runs for real (crhelper included) against the SMS Voice emulator over HTTP; only
crhelper's HTTPS connection to the ResponseURL is replaced by a recorder. Events are built with the
harness's ``make_event`` (tests/support) (string-typed properties, as CloudFormation sends them).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import boto3
import contract
import index  # the Lambda module (pytest's pythonpath holds lambda/pool_provider)
import pool_client

from localcloud.sms_voice.control import ControlClient
from tests.support import harness
from tests.support.harness import is_mutating

# Re-exported: the reliability tests take the mutating-call rule from here too.
__all__ = ["CloudFormation", "is_mutating", "sms_client"]

# The provider's own tags (pool_build): which request created the pool, and its country.
CREATE_TOKEN_TAG = "smsvoicepool:create-token"
# A new pool that took phone numbers over from the pool it replaces: "<old pool id> <id>/<CC> ...".
HANDOVER_TAG = "smsvoicepool:handover"


# Every attempt botocore makes for one call with the provider's client settings. botocore turns
# Config(retries={"max_attempts": N}) into N + 1 attempts in all, so read the total it uses.
RETRY_BUDGET = int(
    boto3.client(
        "pinpoint-sms-voice-v2", region_name="us-east-1", config=pool_client.CLIENT_CONFIG
    ).meta.config.retries["total_max_attempts"]
)


@dataclass
class CloudFormation:
    """Plays CloudFormation for the resource: sends events to ``index.handler``, returns each answer.

    ``seconds`` is the Lambda time budget each invocation gets (the fault-injection tests shorten it).
    """

    control: ControlClient
    recorder: harness.ResponseRecorder
    seconds: float = 20.0

    def send(self, event: dict[str, Any]) -> dict[str, Any]:
        before = len(self.recorder.bodies)
        index.handler(event, harness.FakeContext(self.seconds))
        return harness.check_answer(
            event, self.recorder.answers_since(before), attributes=frozenset(contract.ATTRIBUTES)
        )

    def create(self, properties: Mapping[str, Any], **kwargs: Any) -> dict[str, Any]:
        return self.send(harness.make_event("Create", properties, **kwargs))

    def update(
        self, physical_id: str, properties: Mapping[str, Any], old: Mapping[str, Any], **kwargs: Any
    ) -> dict[str, Any]:
        return self.send(
            harness.make_event("Update", properties, physical_id=physical_id, old_properties=old, **kwargs)
        )

    def delete(self, physical_id: str, properties: Mapping[str, Any], **kwargs: Any) -> dict[str, Any]:
        return self.send(harness.make_event("Delete", properties, physical_id=physical_id, **kwargs))

    def operations(self) -> list[str]:
        return [call["operation"] for call in self.control.calls()]

    def mutating_calls(self) -> list[str]:
        return [operation for operation in self.operations() if is_mutating(operation)]


def sms_client(endpoint_url: str) -> Any:
    return boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1", endpoint_url=endpoint_url)


def snapshot_account(sms: Any) -> dict[str, dict[str, Any]]:
    """Every pool in the account, by id: status, type, settings, members, keywords, tags.

    The create-token tag's value (a hash of the request) is replaced by a marker, so snapshots of
    runs with different RequestIds compare equal.
    """
    pools: dict[str, dict[str, Any]] = {}
    for page in sms.get_paginator("describe_pools").paginate():
        for pool in page["Pools"]:
            pool_id = pool["PoolId"]
            members = sms.list_pool_origination_identities(PoolId=pool_id, MaxResults=100)
            keywords = sms.describe_keywords(OriginationIdentity=pool_id, MaxResults=100)["Keywords"]
            tags = sms.list_tags_for_resource(ResourceArn=pool["PoolArn"])["Tags"]
            pools[pool_id] = {
                "Status": pool["Status"],
                "MessageType": pool["MessageType"],
                "TwoWayEnabled": pool["TwoWayEnabled"],
                "TwoWayChannelArn": pool.get("TwoWayChannelArn") if pool["TwoWayEnabled"] else None,
                "SelfManagedOptOutsEnabled": pool["SelfManagedOptOutsEnabled"],
                "OptOutListName": pool["OptOutListName"],
                "SharedRoutesEnabled": pool["SharedRoutesEnabled"],
                "DeletionProtectionEnabled": pool["DeletionProtectionEnabled"],
                "Members": sorted(m["OriginationIdentityArn"] for m in members["OriginationIdentities"]),
                "Keywords": {k["Keyword"]: (k["KeywordMessage"], k["KeywordAction"]) for k in keywords},
                "Tags": {t["Key"]: _comparable_tag(t["Key"], t["Value"]) for t in tags},
            }
    return pools


def _comparable_tag(key: str, value: str) -> str:
    """A reserved tag's value that differs between runs (a hash, pool and phone ids) as a marker."""
    if key == CREATE_TOKEN_TAG:
        return "<token>"
    if key.startswith(HANDOVER_TAG):
        return f"<handover of {len(value.split()) - 1} numbers>"
    return value


def settled_snapshot(sms: Any, timeout: float = 5.0) -> dict[str, dict[str, Any]]:
    """``snapshot_account`` once no pool is CREATING or DELETING (a DELETING pool is on its way out)."""
    deadline = time.monotonic() + timeout
    while True:
        snapshot = snapshot_account(sms)
        moving = [p for p in snapshot.values() if p["Status"] in ("CREATING", "DELETING")]
        if not moving:
            return snapshot
        assert time.monotonic() < deadline, f"pools still moving after {timeout} s: {moving}"
        time.sleep(0.1)


def phone_pools(sms: Any) -> dict[str, str | None]:
    """Phone number id -> the pool it is in (None: in no pool)."""
    found: dict[str, str | None] = {}
    for page in sms.get_paginator("describe_phone_numbers").paginate():
        for phone in page["PhoneNumbers"]:
            found[phone["PhoneNumberId"]] = phone.get("PoolId") or None
    return found
