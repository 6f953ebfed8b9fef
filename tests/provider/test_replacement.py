"""Replacement: a new MessageType or IsoCountryCode gives a new pool; the old one waits for Delete."""

from __future__ import annotations

from typing import Any

import pytest

from tests.provider.conftest import Provider


def _members(sms: Any, pool_id: str) -> set[str]:
    found = sms.list_pool_origination_identities(PoolId=pool_id, MaxResults=100)["OriginationIdentities"]
    return {m["OriginationIdentityArn"] for m in found}


def _pool_ids(sms: Any) -> set[str]:
    return {p["PoolId"] for p in sms.describe_pools()["Pools"]}


def _transactional_pool_and_a_promotional_number(
    provider: Provider,
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A TRANSACTIONAL phone number, a PROMOTIONAL one, and properties of a pool of the first."""
    transactional = provider.control.seed_phone_number(message_type="TRANSACTIONAL")
    promotional = provider.control.seed_phone_number(message_type="PROMOTIONAL")
    return transactional, promotional, {"OriginationIdentities": [transactional["PhoneNumberId"]]}


def test_new_message_type_replaces_the_pool_and_leaves_the_old_one_for_delete(
    provider: Provider, sms: Any
) -> None:
    transactional, promotional, old = _transactional_pool_and_a_promotional_number(provider)
    new = {"OriginationIdentities": [promotional["PhoneNumberId"]], "MessageType": "PROMOTIONAL"}
    old_id, answer = provider.update_existing(old, new)

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    new_id = answer["PhysicalResourceId"]
    assert new_id != old_id and new_id.startswith("pool-")
    assert answer["Data"]["PoolId"] == new_id
    assert answer["Data"]["MessageType"] == "PROMOTIONAL"
    assert "DeletePool" not in provider.operations()
    assert _members(sms, old_id) == {transactional["PhoneNumberArn"]}
    assert _members(sms, new_id) == {promotional["PhoneNumberArn"]}

    # CloudFormation's cleanup Delete then removes the old pool.
    assert provider.delete(old_id, old)["Status"] == "SUCCESS"
    assert _pool_ids(sms) == {new_id}


def test_replacement_that_would_keep_a_phone_number_of_the_old_message_type_fails_before_any_change(
    provider: Provider, sms: Any
) -> None:
    kept, promotional, old = _transactional_pool_and_a_promotional_number(provider)
    new = {
        "OriginationIdentities": [promotional["PhoneNumberId"], kept["PhoneNumberArn"]],
        "MessageType": "PROMOTIONAL",
    }
    old_id, answer = provider.update_existing(old, new)

    reason = provider.failed_before_any_change(answer, old_id)
    assert reason.startswith(f"MessageType PROMOTIONAL cannot keep phone number {kept['PhoneNumberId']}")
    assert "never changes" in reason
    assert reason.endswith("or keep MessageType TRANSACTIONAL.")
    assert _pool_ids(sms) == {old_id}
    assert _members(sms, old_id) == {kept["PhoneNumberArn"]}


def _country_pool(
    provider: Provider,
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], dict[str, str]]:
    us_1 = provider.control.seed_phone_number(iso_country_code="US")
    us_2 = provider.control.seed_phone_number(iso_country_code="US")
    ca_1 = provider.control.seed_phone_number(iso_country_code="CA")
    return us_1, us_2, ca_1, {}


def test_new_country_hands_kept_phone_numbers_over_to_the_new_pool(provider: Provider, sms: Any) -> None:
    us_1, us_2, ca_1, _ = _country_pool(provider)
    old = {"OriginationIdentities": [us_1["PhoneNumberId"], us_2["PhoneNumberId"], ca_1["PhoneNumberId"]]}
    new = {"OriginationIdentities": [ca_1["PhoneNumberId"], us_1["PhoneNumberId"]], "IsoCountryCode": "CA"}
    created = provider.create(old)
    assert created["Data"]["IsoCountryCode"] == "US"
    old_id = created["PhysicalResourceId"]
    provider.control.clear_calls()

    answer = provider.update(old_id, new, old)

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    new_id = answer["PhysicalResourceId"]
    assert new_id != old_id
    assert answer["Data"]["IsoCountryCode"] == "CA"
    assert _members(sms, new_id) == {ca_1["PhoneNumberArn"], us_1["PhoneNumberArn"]}
    # The old pool keeps the phone number the new one does not want: it stays usable.
    assert _members(sms, old_id) == {us_2["PhoneNumberArn"]}
    assert provider.mutating_calls() == [
        "DisassociateOriginationIdentity",
        "DisassociateOriginationIdentity",
        "CreatePool",
        "AssociateOriginationIdentity",
    ]


def test_replacement_that_would_take_every_phone_number_of_the_old_pool_fails_before_any_change(
    provider: Provider, sms: Any
) -> None:
    us_1, _, ca_1, _ = _country_pool(provider)
    old = {"OriginationIdentities": [us_1["PhoneNumberId"], ca_1["PhoneNumberId"]]}
    new = {"OriginationIdentities": [ca_1["PhoneNumberId"], us_1["PhoneNumberId"]], "IsoCountryCode": "CA"}
    old_id, answer = provider.update_existing(old, new)

    reason = provider.failed_before_any_change(answer, old_id)
    assert reason.startswith(f"Replacing pool {old_id} would move all its phone numbers")
    assert "spare phone number" in reason
    assert _members(sms, old_id) == {us_1["PhoneNumberArn"], ca_1["PhoneNumberArn"]}


def test_a_failed_replacement_deletes_the_new_pool_and_hands_phone_numbers_back(
    provider: Provider, sms: Any
) -> None:
    us_1, us_2, ca_1, _ = _country_pool(provider)
    # Same keyword, different action: the service refuses this one only when it joins the new pool.
    clashing = provider.control.seed_phone_number(iso_country_code="CA", keywords={"INFO": ("i", "OPT_IN")})
    ca_1_keyword = {"INFO": ("i", "AUTOMATIC_RESPONSE")}
    ca_seed = provider.control.seed_phone_number(iso_country_code="CA", keywords=ca_1_keyword)
    old = {"OriginationIdentities": [us_1["PhoneNumberId"], us_2["PhoneNumberId"], ca_1["PhoneNumberId"]]}
    new = {
        "OriginationIdentities": [ca_seed["PhoneNumberId"], ca_1["PhoneNumberId"], clashing["PhoneNumberId"]],
        "IsoCountryCode": "CA",
        "OptionalKeywords": [{"Keyword": "INFO", "Message": "i", "Action": "AUTOMATIC_RESPONSE"}],
    }
    old_id = provider.create(old)["PhysicalResourceId"]

    answer = provider.update(old_id, new, old)

    assert answer["Status"] == "FAILED"
    assert answer["PhysicalResourceId"] == old_id
    assert "KEYWORD_MISMATCH" in answer["Reason"]
    assert _pool_ids(sms) == {old_id}
    assert _members(sms, old_id) == {us_1["PhoneNumberArn"], us_2["PhoneNumberArn"], ca_1["PhoneNumberArn"]}


@pytest.mark.parametrize("delivery", ["repeated", "single"])
def test_a_repeated_replacement_update_makes_one_new_pool(
    provider: Provider, sms: Any, delivery: str
) -> None:
    us_1, us_2, ca_1, _ = _country_pool(provider)
    old = {"OriginationIdentities": [us_1["PhoneNumberId"], ca_1["PhoneNumberId"]]}
    new = {"OriginationIdentities": [ca_1["PhoneNumberId"], us_2["PhoneNumberId"]], "IsoCountryCode": "CA"}
    old_id = provider.existing_pool(old)

    first = provider.update(old_id, new, old, request_id="replace-1")
    answers = (
        [first, provider.update(old_id, new, old, request_id="replace-1")]
        if delivery == "repeated"
        else [first]
    )

    assert {a["Status"] for a in answers} == {"SUCCESS"}, [a["Reason"] for a in answers]
    assert {a["PhysicalResourceId"] for a in answers} == {first["PhysicalResourceId"]}
    assert _pool_ids(sms) == {old_id, first["PhysicalResourceId"]}
    assert provider.operations().count("CreatePool") == 1


def test_replacing_a_protected_pool_fails_before_any_change(provider: Provider, sms: Any) -> None:
    transactional = provider.control.seed_phone_number(message_type="TRANSACTIONAL")
    promotional = provider.control.seed_phone_number(message_type="PROMOTIONAL")
    old = {"OriginationIdentities": [transactional["PhoneNumberId"]], "DeletionProtectionEnabled": "true"}
    new = {**old, "OriginationIdentities": [promotional["PhoneNumberId"]], "MessageType": "PROMOTIONAL"}
    old_id, answer = provider.update_existing(old, new)

    reason = provider.failed_before_any_change(answer, old_id)
    assert "DeletionProtectionEnabled true" in reason
    assert "Deploy with it false first" in reason
    assert _pool_ids(sms) == {old_id}
