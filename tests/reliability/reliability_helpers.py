"""Shared by the reliability tests: account snapshots, the retry budget, and (re-exported from
tests/support) the in-process CloudFormation and the mutating-call rule."""

from __future__ import annotations

import time
from typing import Any

import boto3
import pool_client

from tests.support.harness import is_mutating
from tests.support.in_process import CloudFormation

# Re-exported: the reliability tests take these harness pieces from here too.
__all__ = ["CloudFormation", "is_mutating"]

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
    """``snapshot_account`` once no pool is CREATING or DELETING (a DELETING pool is on its way out).

    A DELETING pool can vanish between the listing and its per-pool reads; that snapshot is
    discarded and taken again, as the pool was still moving.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            snapshot = snapshot_account(sms)
        except sms.exceptions.ResourceNotFoundException as vanished:
            moving: list[Any] = [str(vanished)]
        else:
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
