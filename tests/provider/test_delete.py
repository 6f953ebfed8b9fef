"""Delete: foreign ids, pools already gone or going, CREATING pools, and deletion protection."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from tests.provider.conftest import Provider


@pytest.mark.parametrize(
    "physical_id",
    [
        "PoolStack_Pool_4C8Q7O7J",
        "PoolStack-Pool-1A2B3C4D5E6F",
        "AWSCDK::CustomResourceProviderFramework::CREATE_FAILED",
        # crhelper's id after a failed Create of a stack whose name starts like a pool id.
        "pool-alerts_Pool_4C8Q7O7J",
    ],
    ids=["crhelper generated", "cloudformation invented", "other framework marker", "stack named pool-"],
)
def test_delete_of_an_id_that_names_no_pool_succeeds_without_a_call(
    provider: Provider, physical_id: str
) -> None:
    answer = provider.delete(physical_id, {"OriginationIdentities": ["phone-" + "1" * 32]})

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] == physical_id
    assert provider.operations() == []


def test_delete_of_a_pool_already_gone_succeeds(provider: Provider, sms: Any) -> None:
    phone = provider.control.seed_phone_number()
    pool_id = sms.create_pool(OriginationIdentity=phone["PhoneNumberId"], MessageType="TRANSACTIONAL")[
        "PoolId"
    ]
    sms.delete_pool(PoolId=pool_id)
    provider.control.clear_calls()

    answer = provider.delete(pool_id, {"OriginationIdentities": [phone["PhoneNumberId"]]})

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] == pool_id
    assert provider.operations() == ["DeletePool"]


def test_delete_of_a_pool_already_deleting_succeeds(provider: Provider, sms: Any) -> None:
    phone = provider.control.seed_phone_number()
    pool_id = sms.create_pool(OriginationIdentity=phone["PhoneNumberId"], MessageType="TRANSACTIONAL")[
        "PoolId"
    ]
    provider.control.set_activation_delay(30)
    assert sms.delete_pool(PoolId=pool_id)["Status"] == "DELETING"

    answer = provider.delete(pool_id, {"OriginationIdentities": [phone["PhoneNumberId"]]})

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert sms.describe_pools(PoolIds=[pool_id])["Pools"][0]["Status"] == "DELETING"


def test_delete_of_a_creating_pool_waits_for_it_then_deletes_it(provider: Provider, sms: Any) -> None:
    phone = provider.control.seed_phone_number()
    provider.control.set_activation_delay(1.5)
    created = sms.create_pool(OriginationIdentity=phone["PhoneNumberId"], MessageType="TRANSACTIONAL")
    assert created["Status"] == "CREATING"
    provider.control.clear_calls()

    answer = provider.delete(created["PoolId"], {"OriginationIdentities": [phone["PhoneNumberId"]]})

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    calls = provider.control.calls()
    operations = [c["operation"] for c in calls]
    assert operations[0] == "DeletePool" and operations[-1] == "DeletePool"
    assert "DescribePools" in operations
    # Polls are at least a second apart (the service allows one DescribePools per second).
    polls = [c["started"] for c in calls if c["operation"] == "DescribePools"]
    assert all(later - earlier >= 1.0 for earlier, later in itertools.pairwise(polls))
    assert sms.describe_pools(PoolIds=[created["PoolId"]])["Pools"][0]["Status"] == "DELETING"


def test_delete_of_a_protected_pool_fails_and_says_how_to_get_out(provider: Provider, sms: Any) -> None:
    phone = provider.control.seed_phone_number()
    props = {"OriginationIdentities": [phone["PhoneNumberId"]], "DeletionProtectionEnabled": "true"}
    pool_id = provider.create(props)["PhysicalResourceId"]

    answer = provider.delete(pool_id, props)

    assert answer["Status"] == "FAILED"
    assert answer["PhysicalResourceId"] == pool_id
    reason = answer["Reason"]
    assert reason.startswith(f"Pool {pool_id} has DeletionProtectionEnabled true")
    assert "set DeletionProtectionEnabled to false and deploy" in reason
    assert "DeletionPolicy: Retain" in reason
    assert len(reason) <= 256
    assert sms.describe_pools(PoolIds=[pool_id])["Pools"][0]["Status"] == "ACTIVE"

    # The first way out: deploy with protection off, then the Delete goes through.
    unprotected = {**props, "DeletionProtectionEnabled": "false"}
    assert provider.update(pool_id, unprotected, props)["Status"] == "SUCCESS"
    assert provider.delete(pool_id, unprotected)["Status"] == "SUCCESS"
