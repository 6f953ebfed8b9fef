"""Bad input fails before anything changes: FAILED, a reason naming property, value and fix, no pool."""

from __future__ import annotations

from typing import Any

import pytest

from tests.provider.conftest import Provider

PHONE = {"OriginationIdentities": ["{phone}"]}
SNS_TOPIC = "arn:aws:sns:us-east-1:000000000000:inbound"


def keyword(word: str, action: str = "OPT_IN", **extra: str) -> dict[str, str]:
    return {"Keyword": word, "Message": "Thanks", "Action": action, **extra}


# (test id, properties ("{phone}": a valid phone number id), words the reason must contain)
BAD_PROPERTIES: list[tuple[str, dict[str, Any], tuple[str, ...]]] = [
    ("unknown property", {**PHONE, "MessageTyp": "TRANSACTIONAL"}, ("MessageTyp", "spelling")),
    ("identities missing", {}, ("OriginationIdentities", "required")),
    ("identities empty", {"OriginationIdentities": []}, ("OriginationIdentities", "empty")),
    ("identities not a list", {"OriginationIdentities": "{phone}"}, ("OriginationIdentities", "not a list")),
    (
        "identity is a pool",
        {"OriginationIdentities": ["arn:aws:sms-voice:us-east-1:000000000000:pool/pool-1"]},
        ("OriginationIdentities[0]", "not a phone number or sender ID"),
    ),
    ("identity with a plus", {"OriginationIdentities": ["+12065550100"]}, ("OriginationIdentities[0]",)),
    ("same identity as id and ARN", {"OriginationIdentities": ["{phone}", "{phone_arn}"]}, ("twice",)),
    (
        "boolean yes",
        {**PHONE, "DeletionProtectionEnabled": "yes"},
        ("DeletionProtectionEnabled", '"yes"', '"true" or "false"'),
    ),
    ("boolean 1", {**PHONE, "SharedRoutesEnabled": "1"}, ("SharedRoutesEnabled", '"1"')),
    ("message type", {**PHONE, "MessageType": "BULK"}, ("MessageType", '"BULK"', "TRANSACTIONAL")),
    ("country lower case", {**PHONE, "IsoCountryCode": "us"}, ("IsoCountryCode", '"us"')),
    ("opt-out list pattern", {**PHONE, "OptOutListName": "my list"}, ("OptOutListName", '"my list"')),
    (
        "optional keyword stop",
        {**PHONE, "OptionalKeywords": [keyword("stop")]},
        ("OptionalKeywords[0].Keyword", '"stop"', "MandatoryKeywords"),
    ),
    ("optional keyword Help", {**PHONE, "OptionalKeywords": [keyword("Help")]}, ('"Help"',)),
    (
        "optional keyword action",
        {**PHONE, "OptionalKeywords": [keyword("JOIN", "SUBSCRIBE")]},
        ("OptionalKeywords[0].Action", '"SUBSCRIBE"', "OPT_IN"),
    ),
    (
        "optional keyword too long",
        {**PHONE, "OptionalKeywords": [keyword("K" * 31)]},
        ("OptionalKeywords[0].Keyword", "1-30"),
    ),
    (
        "optional keyword twice",
        {**PHONE, "OptionalKeywords": [keyword("JOIN"), keyword("join")]},
        ("OptionalKeywords[1].Keyword", "twice"),
    ),
    (
        "optional keyword unknown field",
        {**PHONE, "OptionalKeywords": [keyword("JOIN", Reply="x")]},
        ("OptionalKeywords[0]", "Reply"),
    ),
    (
        "keyword message blank",
        {**PHONE, "MandatoryKeywords": {"HELP": {"Message": "   "}}},
        ("MandatoryKeywords.HELP.Message",),
    ),
    (
        "mandatory keyword unknown",
        {**PHONE, "MandatoryKeywords": {"INFO": {"Message": "m"}}},
        ("MandatoryKeywords", "INFO"),
    ),
    ("two-way without channel", {**PHONE, "TwoWay": {"Enabled": "true"}}, ("TwoWay.ChannelArn", "missing")),
    ("two-way enabled on", {**PHONE, "TwoWay": {"Enabled": "on"}}, ("TwoWay.Enabled", '"on"')),
    (
        "two-way role not an ARN",
        {
            **PHONE,
            "TwoWay": {"Enabled": "true", "ChannelArn": SNS_TOPIC, "ChannelRole": "role-name-long-enough"},
        },
        ("TwoWay.ChannelRole",),
    ),
    ("tag key aws:", {**PHONE, "Tags": [{"Key": "aws:team", "Value": "x"}]}, ("Tags[0].Key", "aws:")),
    (
        "tag key reserved",
        {**PHONE, "Tags": [{"Key": "smsvoicepool:create-token", "Value": "x"}]},
        ("Tags[0].Key", "smsvoicepool:", "reserved"),
    ),
    (
        "tag key twice",
        {**PHONE, "Tags": [{"Key": "team", "Value": "a"}, {"Key": "team", "Value": "b"}]},
        ("Tags[1].Key", "twice"),
    ),
    (
        "tag value too long",
        {**PHONE, "Tags": [{"Key": "team", "Value": "v" * 257}]},
        ("Tags[0].Value", "0-256"),
    ),
    (
        "too many tags",
        {**PHONE, "Tags": [{"Key": f"k{i}", "Value": "v"} for i in range(49)]},
        ("Tags", "49", "48"),
    ),
]


def _fill(value: Any, phone: dict[str, Any]) -> Any:
    if isinstance(value, str):
        return value.replace("{phone_arn}", phone["PhoneNumberArn"]).replace(
            "{phone}", phone["PhoneNumberId"]
        )
    if isinstance(value, list):
        return [_fill(item, phone) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, phone) for key, item in value.items()}
    return value


@pytest.mark.parametrize(
    ("properties", "words"), [(p, w) for _, p, w in BAD_PROPERTIES], ids=[i for i, _, _ in BAD_PROPERTIES]
)
def test_create_fails_on_bad_input_before_any_call(
    provider: Provider, sms: Any, properties: dict[str, Any], words: tuple[str, ...]
) -> None:
    phone = provider.control.seed_phone_number()
    provider.control.clear_calls()

    answer = provider.create(_fill(properties, phone))

    assert answer["Status"] == "FAILED"
    for word in words:
        assert word in answer["Reason"], answer["Reason"]
    assert len(answer["Reason"]) <= 256
    assert not answer["Reason"].startswith("ERROR: (truncated)")
    assert provider.operations() == []
    assert sms.describe_pools()["Pools"] == []


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
