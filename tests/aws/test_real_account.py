"""Opt-in: the handler's create, update and delete against a real AWS account.

Skipped unless ``SMSVOICE_POOL_REAL_AWS=1``, credentials resolve (``sts:GetCallerIdentity``) and
``SMSVOICE_POOL_TEST_IDENTITIES`` names one or more phone-number ids (or ARNs) the account owns that
are in no pool. The test creates one pool from them, changes a tag and shared routes, and deletes the
pool; the identities are left as they were (a pool's deletion never releases them). The pool costs
nothing beyond the identities you already pay for; API calls are a handful per step.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import BotoCoreError, ClientError

from tests.support.harness import ResponseRecorder, make_event, recording_responses
from tests.support.in_process import invoke

pytestmark = pytest.mark.aws

IDENTITIES = [i.strip() for i in os.environ.get("SMSVOICE_POOL_TEST_IDENTITIES", "").split(",") if i.strip()]


def _skip_reason() -> str | None:
    if os.environ.get("SMSVOICE_POOL_REAL_AWS") != "1":
        return "real-AWS tests are opt-in: set SMSVOICE_POOL_REAL_AWS=1"
    if not IDENTITIES:
        return "set SMSVOICE_POOL_TEST_IDENTITIES to phone-number ids in no pool"
    if boto3.session.Session().region_name is None:
        return "no AWS Region: set AWS_REGION"
    try:
        boto3.client("sts").get_caller_identity()
    except (BotoCoreError, ClientError) as error:
        return f"no usable AWS credentials: {error}"
    return None


@pytest.fixture(scope="module")
def real_account() -> None:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="module")
def stack_id(real_account: None) -> str:
    """A StackId in the caller's partition, account and Region: the provider refuses an identity ARN
    from anywhere else than the stack's home, so the harness's example account would not do."""
    caller = boto3.client("sts").get_caller_identity()
    partition = caller["Arn"].split(":")[1]
    region = boto3.session.Session().region_name
    stack = f"stack/sms-voice-pool-real-aws/{uuid.uuid4()}"
    return f"arn:{partition}:cloudformation:{region}:{caller['Account']}:{stack}"


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch, real_account: None) -> Iterator[ResponseRecorder]:
    """The bodies crhelper would PUT to CloudFormation (there is no stack behind these events)."""
    monkeypatch.delenv("AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2", raising=False)
    with recording_responses() as recorder:
        yield recorder


def _run(answers: ResponseRecorder, event: dict[str, Any]) -> dict[str, Any]:
    return invoke(event, answers, seconds=280.0)


def test_a_pool_is_created_updated_in_place_and_deleted_in_a_real_account(
    answers: ResponseRecorder, stack_id: str
) -> None:
    sms = boto3.client("pinpoint-sms-voice-v2")
    run_tag = {"Key": "smsvoicepool-test-run", "Value": uuid.uuid4().hex}
    created_props = {"OriginationIdentities": IDENTITIES, "Tags": [run_tag]}
    created = _run(answers, make_event("Create", created_props, stack_id=stack_id))
    assert created["Status"] == "SUCCESS", created.get("Reason")
    pool_id = created["PhysicalResourceId"]
    try:
        pool = sms.describe_pools(PoolIds=[pool_id])["Pools"][0]
        assert pool["Status"] == "ACTIVE"
        assert created["Data"]["Arn"] == pool["PoolArn"]

        updated_props = {**created_props, "SharedRoutesEnabled": "true"}
        updated = _run(
            answers,
            make_event(
                "Update", updated_props, physical_id=pool_id, old_properties=created_props, stack_id=stack_id
            ),
        )
        assert updated["Status"] == "SUCCESS", updated.get("Reason")
        assert updated["PhysicalResourceId"] == pool_id
        assert sms.describe_pools(PoolIds=[pool_id])["Pools"][0]["SharedRoutesEnabled"] is True
    finally:
        deleted = _run(answers, make_event("Delete", created_props, physical_id=pool_id, stack_id=stack_id))
    assert deleted["Status"] == "SUCCESS", deleted.get("Reason")
    with pytest.raises(ClientError) as gone:
        sms.describe_pools(PoolIds=[pool_id])
    assert gone.value.response["Error"]["Code"] == "ResourceNotFoundException"
