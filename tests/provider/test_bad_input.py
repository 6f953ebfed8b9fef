"""Bad input only the account can refute fails before anything changes.

Input the properties alone refute (every property's wrong type, shape, range and name, with the words
each reason must say) is the one table in tests/reliability/test_bad_input_catalogue.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.provider.conftest import Provider


# Inputs only the account can refute: the look-ups run, nothing is changed.
def test_create_fails_when_an_identity_does_not_exist(provider: Provider, sms: Any) -> None:
    phone = provider.control.seed_phone_number()
    provider.control.clear_calls()
    missing = "phone-" + "0" * 32

    answer = provider.create({"OriginationIdentities": [phone["PhoneNumberId"], missing]})

    assert answer["Status"] == "FAILED"
    assert missing in answer["Reason"] and "does not exist" in answer["Reason"]
    assert provider.mutating_calls() == []
    assert sms.describe_pools()["Pools"] == []


@pytest.mark.parametrize(
    ("second", "words"),
    [
        ({"message_type": "PROMOTIONAL"}, ("PROMOTIONAL", "TRANSACTIONAL", "MessageType")),
        ({"status": "PENDING"}, ("PENDING", "not ACTIVE")),
        ({"opt_out_list_name": "Other"}, ("opt-out list (Other)",)),
        (
            {"two_way_enabled": True, "two_way_channel_arn": "arn:aws:sns:us-east-1:000000000000:in"},
            ("two-way",),
        ),
        ({"number_capabilities": ("SMS",)}, ("capabilities",)),
    ],
    ids=["message type", "not active", "opt-out list", "two-way", "capabilities"],
)
def test_create_fails_when_an_identity_cannot_join_the_pool(
    provider: Provider, sms: Any, second: dict[str, Any], words: tuple[str, ...]
) -> None:
    if "opt_out_list_name" in second:
        provider.control.seed_opt_out_list(second["opt_out_list_name"])
    first = provider.control.seed_phone_number()
    other = provider.control.seed_phone_number(**second)
    provider.control.clear_calls()

    answer = provider.create({"OriginationIdentities": [first["PhoneNumberId"], other["PhoneNumberId"]]})

    assert answer["Status"] == "FAILED"
    for word in words:
        assert word in answer["Reason"], answer["Reason"]
    assert provider.mutating_calls() == []
    assert sms.describe_pools()["Pools"] == []


def test_create_fails_when_a_phone_number_is_in_another_pool(provider: Provider, sms: Any) -> None:
    phone = provider.control.seed_phone_number()
    other_pool = sms.create_pool(OriginationIdentity=phone["PhoneNumberId"], MessageType="TRANSACTIONAL")
    provider.control.clear_calls()

    answer = provider.create({"OriginationIdentities": [phone["PhoneNumberArn"]]})

    assert answer["Status"] == "FAILED"
    assert phone["PhoneNumberId"] in answer["Reason"] and other_pool["PoolId"] in answer["Reason"]
    assert provider.mutating_calls() == []
    assert len(sms.describe_pools()["Pools"]) == 1


def test_create_fails_when_the_country_does_not_match_the_first_identity(
    provider: Provider, sms: Any
) -> None:
    phone = provider.control.seed_phone_number(iso_country_code="US")
    provider.control.clear_calls()

    answer = provider.create({"OriginationIdentities": [phone["PhoneNumberId"]], "IsoCountryCode": "CA"})

    assert answer["Status"] == "FAILED"
    assert "IsoCountryCode CA" in answer["Reason"] and "(US)" in answer["Reason"]
    assert provider.mutating_calls() == []


def test_create_fails_when_a_sender_id_has_no_country(provider: Provider) -> None:
    provider.control.seed_sender_id("MYBRAND", "GB")
    provider.control.clear_calls()

    answer = provider.create({"OriginationIdentities": ["MYBRAND"]})

    assert answer["Status"] == "FAILED"
    assert "MYBRAND" in answer["Reason"] and "IsoCountryCode" in answer["Reason"]
    assert provider.operations() == []


@pytest.mark.parametrize("change", ["in place", "replacing the pool"])
def test_a_sender_id_without_country_is_looked_up_in_the_pools_country_and_the_reason_says_so(
    provider: Provider, change: str
) -> None:
    phone = provider.control.seed_phone_number(message_type="TRANSACTIONAL")
    sender = provider.control.seed_sender_id("MYBRAND", "GB", message_types=("TRANSACTIONAL", "PROMOTIONAL"))
    old = {"OriginationIdentities": [phone["PhoneNumberId"]], "MessageType": "TRANSACTIONAL"}
    pool_id = provider.existing_pool(old)
    new = {**old, "OriginationIdentities": [phone["PhoneNumberId"], "MYBRAND"]}
    if change == "replacing the pool":
        promotional = provider.control.seed_phone_number(message_type="PROMOTIONAL")
        new = {
            "OriginationIdentities": [promotional["PhoneNumberId"], "MYBRAND"],
            "MessageType": "PROMOTIONAL",
        }
    provider.control.clear_calls()

    answer = provider.update(pool_id, new, old)

    # The pool is in US and IsoCountryCode is omitted, so MYBRAND means MYBRAND in US: not this one.
    assert answer["Status"] == "FAILED"
    assert '"MYBRAND" does not exist in country US' in answer["Reason"], answer["Reason"]
    assert "SenderIdArn" in answer["Reason"]
    assert provider.mutating_calls() == []
    # Named by its ARN, the GB sender ID joins the US pool.
    named = {**new, "OriginationIdentities": [new["OriginationIdentities"][0], sender["SenderIdArn"]]}
    assert provider.update(pool_id, named, old)["Status"] == "SUCCESS"


def test_failed_create_answers_a_generated_id_that_delete_accepts_without_a_call(provider: Provider) -> None:
    answer = provider.create({"OriginationIdentities": ["phone-" + "0" * 32]})
    assert answer["Status"] == "FAILED"
    generated = answer["PhysicalResourceId"]
    assert generated and not generated.startswith("pool-")
    provider.control.clear_calls()

    deleted = provider.delete(generated, {"OriginationIdentities": ["phone-" + "0" * 32]})

    assert deleted["Status"] == "SUCCESS", deleted["Reason"]
    assert deleted["PhysicalResourceId"] == generated
    assert provider.operations() == []
