"""Update in place: the pool's actual state converges to the template with only the calls needed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.provider.conftest import Provider

TOPIC = "arn:aws:sns:us-east-1:000000000000:inbound-sms"
OTHER_TOPIC = "arn:aws:sns:us-east-1:000000000000:inbound-sms-2"
READS = ["DescribePools", "ListPoolOriginationIdentities", "DescribeKeywords", "ListTagsForResource"]


def _keywords(sms: Any, pool_id: str) -> dict[str, tuple[str, str]]:
    found = sms.describe_keywords(OriginationIdentity=pool_id, MaxResults=100)["Keywords"]
    return {k["Keyword"]: (k["KeywordMessage"], k["KeywordAction"]) for k in found}


def _user_tags(sms: Any, pool_arn: str) -> dict[str, str]:
    tags = sms.list_tags_for_resource(ResourceArn=pool_arn)["Tags"]
    return {t["Key"]: t["Value"] for t in tags if not t["Key"].startswith("smsvoicepool:")}


def _members(sms: Any, pool_id: str) -> set[str]:
    found = sms.list_pool_origination_identities(PoolId=pool_id, MaxResults=100)["OriginationIdentities"]
    return {m["OriginationIdentityArn"] for m in found}


def _pool(sms: Any, pool_id: str) -> dict[str, Any]:
    pool: dict[str, Any] = sms.describe_pools(PoolIds=[pool_id])["Pools"][0]
    return pool


def test_update_with_nothing_to_change_only_reads(provider: Provider) -> None:
    phone = provider.control.seed_phone_number()
    props = {
        "OriginationIdentities": [phone["PhoneNumberId"]],
        "MandatoryKeywords": {"HELP": {"Message": "Help!"}, "STOP": {"Message": "Bye"}},
        "OptionalKeywords": [{"Keyword": "JOIN", "Message": "Hi", "Action": "OPT_IN"}],
        "DeletionProtectionEnabled": "false",
        "Tags": [{"Key": "team", "Value": "sms"}],
    }
    created = provider.create(props)
    pool_id = created["PhysicalResourceId"]
    provider.control.clear_calls()

    answer = provider.update(pool_id, props, props)

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] == pool_id
    assert answer["Data"] == created["Data"]
    assert provider.operations() == READS


def test_switching_an_identity_between_id_and_arn_changes_nothing(provider: Provider) -> None:
    phone = provider.control.seed_phone_number()
    sender = provider.control.seed_sender_id("ACME", "US")
    old = {"OriginationIdentities": [phone["PhoneNumberId"], sender["SenderIdArn"]]}
    new = {"OriginationIdentities": ["ACME", phone["PhoneNumberArn"]]}
    _, answer = provider.update_existing(old, new)

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert provider.operations() == READS


# Each case: (properties before, properties after) as functions of two phone numbers a, b and a
# sender ID s; the mutating calls expected; a check of the resulting pool.
Case = tuple[
    Callable[[dict[str, Any]], dict[str, Any]],
    Callable[[dict[str, Any]], dict[str, Any]],
    list[str],
    Callable[[Any, str, dict[str, Any]], None],
]


def _ids(*keys: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda seeded: {"OriginationIdentities": [seeded[key] for key in keys]}


def _with(
    base: Callable[[dict[str, Any]], dict[str, Any]], **extra: Any
) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda seeded: {**base(seeded), **extra}


def _check_members(*keys: str) -> Callable[[Any, str, dict[str, Any]], None]:
    def check(sms: Any, pool_id: str, seeded: dict[str, Any]) -> None:
        assert _members(sms, pool_id) == {seeded[f"{key}_arn"] for key in keys}

    return check


def _check_pool(**fields: Any) -> Callable[[Any, str, dict[str, Any]], None]:
    def check(sms: Any, pool_id: str, _: dict[str, Any]) -> None:
        pool = _pool(sms, pool_id)
        assert {key: pool.get(key) for key in fields} == fields

    return check


def _check_keywords(expected: dict[str, tuple[str, str]]) -> Callable[[Any, str, dict[str, Any]], None]:
    def check(sms: Any, pool_id: str, _: dict[str, Any]) -> None:
        assert _keywords(sms, pool_id) == expected

    return check


def _check_tags(expected: dict[str, str]) -> Callable[[Any, str, dict[str, Any]], None]:
    def check(sms: Any, pool_id: str, _: dict[str, Any]) -> None:
        assert _user_tags(sms, _pool(sms, pool_id)["PoolArn"]) == expected

    return check


A = _ids("a")
AB = _ids("a", "b")
DEFAULT_KEYWORDS = {
    "HELP": ("Reply STOP to opt out. Msg&data rates may apply.", "AUTOMATIC_RESPONSE"),
    "STOP": ("You have been unsubscribed and will receive no further messages.", "OPT_OUT"),
}
JOIN = {"Keyword": "JOIN", "Message": "Welcome", "Action": "OPT_IN"}
UPDATE_CASES: dict[str, Case] = {
    "add a phone number": (A, AB, ["AssociateOriginationIdentity"], _check_members("a", "b")),
    "remove a phone number": (AB, A, ["DisassociateOriginationIdentity"], _check_members("a")),
    "swap a phone number (associate first)": (
        A,
        _ids("b"),
        ["AssociateOriginationIdentity", "DisassociateOriginationIdentity"],
        _check_members("b"),
    ),
    "add a sender ID": (A, _ids("a", "s"), ["AssociateOriginationIdentity"], _check_members("a", "s")),
    "turn deletion protection on": (
        A,
        _with(A, DeletionProtectionEnabled="true"),
        ["UpdatePool"],
        _check_pool(DeletionProtectionEnabled=True),
    ),
    "several settings in one call": (
        A,
        _with(A, SharedRoutesEnabled="TRUE", SelfManagedOptOutsEnabled="true", OptOutListName="Marketing"),
        ["UpdatePool"],
        _check_pool(SharedRoutesEnabled=True, SelfManagedOptOutsEnabled=True, OptOutListName="Marketing"),
    ),
    "enable two-way": (
        A,
        _with(A, TwoWay={"Enabled": "true", "ChannelArn": TOPIC}),
        ["UpdatePool"],
        _check_pool(TwoWayEnabled=True, TwoWayChannelArn=TOPIC),
    ),
    "change the two-way channel": (
        _with(A, TwoWay={"Enabled": "true", "ChannelArn": TOPIC}),
        _with(A, TwoWay={"Enabled": "true", "ChannelArn": OTHER_TOPIC}),
        ["UpdatePool"],
        _check_pool(TwoWayEnabled=True, TwoWayChannelArn=OTHER_TOPIC),
    ),
    "disable two-way": (
        _with(A, TwoWay={"Enabled": "true", "ChannelArn": TOPIC}),
        _with(A, TwoWay={"Enabled": "false"}),
        ["UpdatePool"],
        _check_pool(TwoWayEnabled=False),
    ),
    "add an optional keyword": (
        A,
        _with(A, OptionalKeywords=[JOIN]),
        ["PutKeyword"],
        _check_keywords({**DEFAULT_KEYWORDS, "JOIN": ("Welcome", "OPT_IN")}),
    ),
    "change an optional keyword": (
        _with(A, OptionalKeywords=[JOIN]),
        _with(A, OptionalKeywords=[{**JOIN, "Action": "AUTOMATIC_RESPONSE"}]),
        ["PutKeyword"],
        _check_keywords({**DEFAULT_KEYWORDS, "JOIN": ("Welcome", "AUTOMATIC_RESPONSE")}),
    ),
    "remove an optional keyword": (
        _with(A, OptionalKeywords=[JOIN]),
        A,
        ["DeleteKeyword"],
        _check_keywords(DEFAULT_KEYWORDS),
    ),
    "change the HELP message": (
        A,
        _with(A, MandatoryKeywords={"HELP": {"Message": "Call us"}}),
        ["PutKeyword"],
        _check_keywords({**DEFAULT_KEYWORDS, "HELP": ("Call us", "AUTOMATIC_RESPONSE")}),
    ),
    "removing the HELP message restores the first phone number's": (
        _with(A, MandatoryKeywords={"HELP": {"Message": "Call us"}}),
        A,
        ["PutKeyword"],
        _check_keywords(DEFAULT_KEYWORDS),
    ),
    "removing an opt-out list setting restores the inherited one": (
        _with(A, OptOutListName="Marketing", SelfManagedOptOutsEnabled="true"),
        A,
        ["UpdatePool"],
        _check_pool(OptOutListName="Default", SelfManagedOptOutsEnabled=False),
    ),
    "removing TwoWay restores the inherited (disabled) two-way": (
        _with(A, TwoWay={"Enabled": "true", "ChannelArn": TOPIC}),
        A,
        ["UpdatePool"],
        _check_pool(TwoWayEnabled=False),
    ),
    "add and change tags": (
        _with(A, Tags=[{"Key": "team", "Value": "a"}]),
        _with(A, Tags=[{"Key": "team", "Value": "b"}, {"Key": "env", "Value": "prod"}]),
        ["TagResource"],
        _check_tags({"team": "b", "env": "prod"}),
    ),
    "remove a tag": (
        _with(A, Tags=[{"Key": "team", "Value": "a"}, {"Key": "env", "Value": "prod"}]),
        _with(A, Tags=[{"Key": "env", "Value": "prod"}]),
        ["UntagResource"],
        _check_tags({"env": "prod"}),
    ),
}


def seed_update_case(provider: Provider) -> dict[str, Any]:
    """What UPDATE_CASES refer to: phone numbers a and b, sender ID s, and the Marketing list."""
    provider.control.seed_opt_out_list("Marketing")
    a, b = provider.control.seed_phone_number(), provider.control.seed_phone_number()
    s = provider.control.seed_sender_id("ACME", "US")
    return {
        "a": a["PhoneNumberId"],
        "a_arn": a["PhoneNumberArn"],
        "b": b["PhoneNumberArn"],
        "b_arn": b["PhoneNumberArn"],
        "s": "ACME",
        "s_arn": s["SenderIdArn"],
    }


@pytest.mark.parametrize("case", UPDATE_CASES.values(), ids=UPDATE_CASES.keys())
def test_update_makes_only_the_calls_the_change_needs(provider: Provider, sms: Any, case: Case) -> None:
    before, after, expected_calls, check = case
    seeded = seed_update_case(provider)
    old, new = before(seeded), after(seeded)
    created = provider.create(old)
    assert created["Status"] == "SUCCESS", created["Reason"]
    pool_id = created["PhysicalResourceId"]
    provider.control.clear_calls()

    answer = provider.update(pool_id, new, old)

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] == pool_id
    assert provider.mutating_calls() == expected_calls
    check(sms, pool_id, seeded)
    pool = _pool(sms, pool_id)
    assert answer["Data"]["DeletionProtectionEnabled"] == str(pool["DeletionProtectionEnabled"]).lower()
    assert answer["Data"]["TwoWayEnabled"] == str(pool["TwoWayEnabled"]).lower()
    assert answer["Data"]["OptOutListName"] == pool["OptOutListName"]

    # The rollback Update (old and new swapped) restores the old state the same way.
    provider.control.clear_calls()
    rollback = provider.update(pool_id, old, new)
    assert rollback["Status"] == "SUCCESS", rollback["Reason"]
    assert rollback["Data"] == created["Data"]
    assert provider.mutating_calls(), "the rollback changed nothing"
    # Restored: the old template now finds nothing to change.
    provider.control.clear_calls()
    again = provider.update(pool_id, old, old)
    assert again["Status"] == "SUCCESS", again["Reason"]
    assert provider.mutating_calls() == []


def test_update_sends_only_the_changed_two_way_field(provider: Provider) -> None:
    phone = provider.control.seed_phone_number()
    old = {
        "OriginationIdentities": [phone["PhoneNumberId"]],
        "TwoWay": {"Enabled": "true", "ChannelArn": TOPIC},
    }
    new = {**old, "TwoWay": {"Enabled": "true", "ChannelArn": OTHER_TOPIC}}
    pool_id = provider.existing_pool(old)

    provider.update(pool_id, new, old)

    [update_call] = [c for c in provider.control.calls() if c["operation"] == "UpdatePool"]
    assert update_call["request"] == {"PoolId": pool_id, "TwoWayChannelArn": OTHER_TOPIC}


def test_settings_the_template_never_set_stay_as_the_pool_has_them(provider: Provider, sms: Any) -> None:
    provider.control.seed_opt_out_list("Marketing")
    phone = provider.control.seed_phone_number()
    props = {"OriginationIdentities": [phone["PhoneNumberId"]], "Tags": [{"Key": "v", "Value": "1"}]}
    pool_id = provider.create(props)["PhysicalResourceId"]
    sms.update_pool(PoolId=pool_id, OptOutListName="Marketing")
    sms.put_keyword(OriginationIdentity=pool_id, Keyword="HELP", KeywordMessage="Edited in the console")
    provider.control.clear_calls()

    answer = provider.update(pool_id, {**props, "Tags": [{"Key": "v", "Value": "2"}]}, props)

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert provider.mutating_calls() == ["TagResource"]
    assert answer["Data"]["OptOutListName"] == "Marketing"
    assert _keywords(sms, pool_id)["HELP"] == ("Edited in the console", "AUTOMATIC_RESPONSE")


def test_update_corrects_drift_made_outside_the_stack(provider: Provider, sms: Any) -> None:
    phone, extra = provider.control.seed_phone_number(), provider.control.seed_phone_number()
    props = {"OriginationIdentities": [phone["PhoneNumberId"]], "Tags": [{"Key": "team", "Value": "sms"}]}
    pool_id = provider.create(props)["PhysicalResourceId"]
    pool_arn = _pool(sms, pool_id)["PoolArn"]
    sms.update_pool(PoolId=pool_id, SharedRoutesEnabled=True)
    sms.associate_origination_identity(
        PoolId=pool_id, OriginationIdentity=extra["PhoneNumberId"], IsoCountryCode="US"
    )
    sms.put_keyword(OriginationIdentity=pool_id, Keyword="PROMO", KeywordMessage="x", KeywordAction="OPT_IN")
    sms.untag_resource(ResourceArn=pool_arn, TagKeys=["team"])

    answer = provider.update(pool_id, props, props)

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    pool = _pool(sms, pool_id)
    assert pool["SharedRoutesEnabled"] is False
    assert _members(sms, pool_id) == {phone["PhoneNumberArn"]}
    assert set(_keywords(sms, pool_id)) == {"HELP", "STOP"}
    assert _user_tags(sms, pool_arn) == {"team": "sms"}


def test_update_joins_a_phone_number_that_matches_only_the_new_settings_after_updatepool(
    provider: Provider, sms: Any
) -> None:
    provider.control.seed_opt_out_list("Marketing")
    phone = provider.control.seed_phone_number()
    marketing_phone = provider.control.seed_phone_number(opt_out_list_name="Marketing")
    old = {"OriginationIdentities": [phone["PhoneNumberId"]]}
    new = {
        "OriginationIdentities": [phone["PhoneNumberId"], marketing_phone["PhoneNumberId"]],
        "OptOutListName": "Marketing",
    }
    pool_id, answer = provider.update_existing(old, new)

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert provider.mutating_calls() == ["UpdatePool", "AssociateOriginationIdentity"]
    assert _members(sms, pool_id) == {phone["PhoneNumberArn"], marketing_phone["PhoneNumberArn"]}


def test_update_fails_before_any_change_when_an_added_phone_number_is_in_another_pool(
    provider: Provider, sms: Any
) -> None:
    phone, taken = provider.control.seed_phone_number(), provider.control.seed_phone_number()
    other = sms.create_pool(OriginationIdentity=taken["PhoneNumberId"], MessageType="TRANSACTIONAL")
    old = {"OriginationIdentities": [phone["PhoneNumberId"]]}
    new = {
        "OriginationIdentities": [phone["PhoneNumberId"], taken["PhoneNumberId"]],
        "SharedRoutesEnabled": "true",
    }
    pool_id, answer = provider.update_existing(old, new)

    reason = provider.failed_before_any_change(answer, pool_id)
    assert taken["PhoneNumberId"] in reason and other["PoolId"] in reason


def test_update_fails_before_any_change_when_no_phone_number_would_remain(provider: Provider) -> None:
    phone = provider.control.seed_phone_number()
    sender = provider.control.seed_sender_id("ACME", "US")
    old = {"OriginationIdentities": [phone["PhoneNumberId"], sender["SenderIdArn"]]}
    new = {"OriginationIdentities": [sender["SenderIdArn"]]}
    pool_id, answer = provider.update_existing(old, new)

    reason = provider.failed_before_any_change(answer, pool_id)
    assert reason.startswith(f"Pool {pool_id} must keep at least one phone number")


def test_update_with_bad_input_fails_before_any_call_and_keeps_the_id(provider: Provider) -> None:
    phone = provider.control.seed_phone_number()
    old = {"OriginationIdentities": [phone["PhoneNumberId"]]}
    pool_id = provider.existing_pool(old)

    answer = provider.update(pool_id, {**old, "SharedRoutesEnabled": "maybe"}, old)

    assert answer["Status"] == "FAILED"
    assert answer["PhysicalResourceId"] == pool_id
    assert answer["Reason"].startswith('SharedRoutesEnabled "maybe" is not a boolean')
    assert provider.operations() == []


def test_identities_from_another_country_change_the_pool_in_place_when_iso_country_code_is_omitted(
    provider: Provider, sms: Any
) -> None:
    us_phone = provider.control.seed_phone_number(iso_country_code="US")
    ca_phone = provider.control.seed_phone_number(iso_country_code="CA")
    old = {"OriginationIdentities": [us_phone["PhoneNumberId"]]}
    new = {"OriginationIdentities": [ca_phone["PhoneNumberId"]]}
    pool_id = provider.create(old)["PhysicalResourceId"]

    answer = provider.update(pool_id, new, old)

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] == pool_id
    assert answer["Data"]["IsoCountryCode"] == "US"
    assert _members(sms, pool_id) == {ca_phone["PhoneNumberArn"]}


_INBOUND = "arn:aws:sns:us-east-1:000000000000:inbound"


@pytest.mark.parametrize(
    ("setting", "pool_fields"),
    [
        ({"TwoWay": {"Enabled": "true", "ChannelArn": _INBOUND}}, {"TwoWayEnabled": True}),
        ({"OptOutListName": "Other"}, {"OptOutListName": "Other"}),
        ({"SelfManagedOptOutsEnabled": "true"}, {"SelfManagedOptOutsEnabled": True}),
    ],
    ids=["two-way", "opt-out list", "self-managed opt-outs"],
)
def test_a_rollback_re_adds_a_number_that_joined_before_the_pool_settings_changed(
    provider: Provider, sms: Any, setting: dict[str, Any], pool_fields: dict[str, Any]
) -> None:
    provider.control.seed_opt_out_list("Other")
    first, second = provider.control.seed_phone_number(), provider.control.seed_phone_number()
    both = {"OriginationIdentities": [first["PhoneNumberId"], second["PhoneNumberId"]], **setting}
    one = {"OriginationIdentities": [first["PhoneNumberId"]], **setting}
    # The second number (service defaults) joins at create, before UpdatePool applies the setting.
    pool_id = provider.create(both)["PhysicalResourceId"]
    assert provider.update(pool_id, one, both)["Status"] == "SUCCESS"

    # Another resource fails: CloudFormation rolls this one back, old and new swapped.
    back = provider.update(pool_id, both, one)

    assert back["Status"] == "SUCCESS", back["Reason"]
    assert _members(sms, pool_id) == {first["PhoneNumberArn"], second["PhoneNumberArn"]}
    pool = _pool(sms, pool_id)
    assert {name: pool[name] for name in pool_fields} == pool_fields
    # A forward update that adds such a number back works the same way; a no-op after it changes nothing.
    provider.control.clear_calls()
    assert provider.update(pool_id, both, both)["Status"] == "SUCCESS"
    assert provider.mutating_calls() == []


def test_an_update_still_refuses_a_number_no_settings_of_the_pool_admit(provider: Provider, sms: Any) -> None:
    provider.control.seed_opt_out_list("Other")
    first = provider.control.seed_phone_number()
    stranger = provider.control.seed_phone_number(opt_out_list_name="Other")
    one = {"OriginationIdentities": [first["PhoneNumberId"]], "SelfManagedOptOutsEnabled": "true"}
    pool_id = provider.existing_pool(one)

    answer = provider.update(
        pool_id, {**one, "OriginationIdentities": [first["PhoneNumberId"], stranger["PhoneNumberId"]]}, one
    )

    reason = provider.failed_before_any_change(answer, pool_id)
    assert reason.startswith(f"{stranger['PhoneNumberId']} cannot join the pool"), reason
    assert _members(sms, pool_id) == {first["PhoneNumberArn"]}
