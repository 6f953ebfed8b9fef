"""AdoptPoolId: Create takes over an existing pool (made in the console) instead of calling CreatePool.

Each test seeds the pool the way a console user makes it (the emulator's control plane, unlogged),
then drives the provider with CloudFormation events and checks the calls it made.
"""

from __future__ import annotations

from typing import Any

import contract
import pytest

from tests.provider.conftest import Provider, make_event

READS = ["DescribePools", "ListPoolOriginationIdentities", "DescribeKeywords", "ListTagsForResource"]
TOKEN_TAG = f"{contract.RESERVED_TAG_PREFIX}create-token"
COUNTRY_TAG = f"{contract.RESERVED_TAG_PREFIX}iso-country-code"


def _tags(sms: Any, pool_arn: str) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in sms.list_tags_for_resource(ResourceArn=pool_arn)["Tags"]}


def _members(sms: Any, pool_id: str) -> set[str]:
    found = sms.list_pool_origination_identities(PoolId=pool_id)["OriginationIdentities"]
    return {m["OriginationIdentityArn"] for m in found}


def _keywords(sms: Any, pool_id: str) -> dict[str, str]:
    found = sms.describe_keywords(OriginationIdentity=pool_id)["Keywords"]
    return {k["Keyword"]: k["KeywordMessage"] for k in found}


def _console_pool(provider: Provider, **seed: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A phone number and a pool a console user made from it (with ``seed`` extras)."""
    phone = provider.control.seed_phone_number()
    pool = provider.control.seed_pool([phone["PhoneNumberArn"]], **seed)
    provider.control.clear_calls()
    return phone, pool


def _assert_refused_without_change(provider: Provider, answer: dict[str, Any], pool_id: str) -> None:
    assert answer["Status"] == "FAILED"
    assert answer["PhysicalResourceId"] == f"{contract.NOT_ADOPTED_ID_PREFIX}{pool_id}"
    assert answer["Reason"].startswith("Not adopted, nothing changed: "), answer["Reason"]
    assert provider.mutating_calls() == []


# --- adopting ---------------------------------------------------------------------------------------
def test_adopting_a_console_pool_reads_it_and_only_marks_it(provider: Provider, sms: Any) -> None:
    phone, pool = _console_pool(provider)

    answer = provider.create(
        {"OriginationIdentities": [phone["PhoneNumberId"]], "AdoptPoolId": pool["PoolId"]}
    )

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] == pool["PoolId"]
    assert answer["Data"]["PoolId"] == pool["PoolId"]
    assert answer["Data"]["Arn"] == pool["PoolArn"]
    assert (answer["Data"]["MessageType"], answer["Data"]["IsoCountryCode"]) == ("TRANSACTIONAL", "US")
    # The pool already is what the template says: read it, then mark it as managed. No CreatePool.
    assert provider.operations() == [*READS, "TagResource"]
    tags = _tags(sms, pool["PoolArn"])
    assert len(tags[TOKEN_TAG]) == 64
    assert tags[COUNTRY_TAG] == "US"


def test_adopting_by_arn_answers_with_the_pool_id(provider: Provider) -> None:
    phone, pool = _console_pool(provider)

    answer = provider.create(
        {"OriginationIdentities": [phone["PhoneNumberArn"]], "AdoptPoolId": pool["PoolArn"]}
    )

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] == pool["PoolId"]


def test_adoption_converges_with_the_calls_an_update_makes_plus_the_mark(
    provider: Provider, sms: Any
) -> None:
    # GIVEN two identical console pools: protected, with an optional keyword and a console tag
    seed = {
        "settings": {"DeletionProtectionEnabled": True},
        "keywords": {"INFO": ("Info reply", "AUTOMATIC_RESPONSE")},
        "tags": {"owner": "console"},
    }

    def template(first: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
        return {
            "OriginationIdentities": [first["PhoneNumberId"], extra["PhoneNumberArn"]],
            "MandatoryKeywords": {"HELP": {"Message": "Help from the template"}},
            "SharedRoutesEnabled": "true",
            "Tags": [{"Key": "team", "Value": "sms"}],
        }

    adopted_phone, adopted = _console_pool(provider, **seed)
    adopted_extra = provider.control.seed_phone_number()
    updated_phone, updated = _console_pool(provider, **seed)
    updated_extra = provider.control.seed_phone_number()
    old = {"OriginationIdentities": [updated_phone["PhoneNumberId"]]}
    provider.control.clear_calls()

    # WHEN one is adopted and the other one gets the same template as an Update
    answer = provider.create({**template(adopted_phone, adopted_extra), "AdoptPoolId": adopted["PoolId"]})
    adoption_calls = provider.operations()
    provider.control.clear_calls()
    update = provider.update(updated["PoolId"], template(updated_phone, updated_extra), old)
    update_calls = provider.operations()

    # THEN the adoption made exactly the Update's calls, and marked the pool last
    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert update["Status"] == "SUCCESS", update["Reason"]
    assert adoption_calls == [*update_calls, "TagResource"]
    assert "CreatePool" not in adoption_calls and "DeletePool" not in adoption_calls
    pool = sms.describe_pools(PoolIds=[adopted["PoolId"]])["Pools"][0]
    assert pool["SharedRoutesEnabled"] is True
    assert pool["DeletionProtectionEnabled"] is False  # omitted means false, as on every Update
    assert _members(sms, adopted["PoolId"]) == {
        adopted_phone["PhoneNumberArn"],
        adopted_extra["PhoneNumberArn"],
    }
    assert "INFO" not in _keywords(sms, adopted["PoolId"])
    assert _keywords(sms, adopted["PoolId"])["HELP"] == "Help from the template"
    tags = _tags(sms, adopted["PoolArn"])
    assert {key: value for key, value in tags.items() if not key.startswith("smsvoicepool:")} == {
        "team": "sms"
    }
    assert TOKEN_TAG in tags


def test_a_repeated_delivery_of_the_same_create_adopts_once(provider: Provider) -> None:
    phone, pool = _console_pool(provider)
    event = make_event(
        "Create",
        {
            "OriginationIdentities": [phone["PhoneNumberId"]],
            "AdoptPoolId": pool["PoolId"],
            "SharedRoutesEnabled": "true",
        },
    )

    first = provider.send(event)
    first_changes = provider.mutating_calls()
    provider.control.clear_calls()
    second = provider.send(event)

    assert first["Status"] == second["Status"] == "SUCCESS", (first["Reason"], second["Reason"])
    assert first["PhysicalResourceId"] == second["PhysicalResourceId"] == pool["PoolId"]
    assert first["Data"] == second["Data"]
    assert first_changes == ["UpdatePool", "TagResource"]
    assert provider.operations() == READS  # the second delivery finds it adopted: nothing to do


def test_an_adopted_pool_is_updated_and_deleted_like_any_other(provider: Provider, sms: Any) -> None:
    phone, pool = _console_pool(provider)
    props = {"OriginationIdentities": [phone["PhoneNumberId"]], "AdoptPoolId": pool["PoolId"]}
    assert provider.create(props)["Status"] == "SUCCESS"
    changed = {**props, "Tags": [{"Key": "stage", "Value": "two"}]}
    provider.control.clear_calls()

    updated = provider.update(pool["PoolId"], changed, props)

    assert updated["Status"] == "SUCCESS", updated["Reason"]
    assert provider.mutating_calls() == ["TagResource"]
    assert _tags(sms, pool["PoolArn"])["stage"] == "two"
    provider.control.clear_calls()

    deleted = provider.delete(pool["PoolId"], changed)

    assert deleted["Status"] == "SUCCESS", deleted["Reason"]
    assert provider.operations() == ["DeletePool"]


# --- refused before any change ---------------------------------------------------------------------
def test_adopting_a_missing_pool_is_refused_and_the_rollback_delete_makes_no_call(provider: Provider) -> None:
    phone = provider.control.seed_phone_number()
    missing = "pool-" + "0" * 32
    provider.control.clear_calls()

    answer = provider.create({"OriginationIdentities": [phone["PhoneNumberId"]], "AdoptPoolId": missing})

    _assert_refused_without_change(provider, answer, missing)
    assert f"AdoptPoolId {missing} does not exist" in answer["Reason"]
    provider.control.clear_calls()
    rollback = provider.delete(answer["PhysicalResourceId"], {"AdoptPoolId": missing})
    assert rollback["Status"] == "SUCCESS"
    assert provider.operations() == []


def test_adopting_a_pool_another_resource_manages_is_refused(provider: Provider, sms: Any) -> None:
    phone, pool = _console_pool(provider)
    props = {"OriginationIdentities": [phone["PhoneNumberId"]], "AdoptPoolId": pool["PoolId"]}
    assert provider.create(props)["Status"] == "SUCCESS"
    marked = _tags(sms, pool["PoolArn"])
    provider.control.clear_calls()

    # Another stack's resource (another StackId, so another request) names the same pool.
    event = make_event("Create", props)
    event["StackId"] = event["StackId"].replace("PoolStack", "OtherStack")
    answer = provider.send(event)

    _assert_refused_without_change(provider, answer, pool["PoolId"])
    assert "managed by another Custom::SmsVoicePool" in answer["Reason"]
    assert _tags(sms, pool["PoolArn"]) == marked


def test_adopting_a_pool_this_provider_created_is_refused(provider: Provider) -> None:
    phone = provider.control.seed_phone_number()
    created = provider.create({"OriginationIdentities": [phone["PhoneNumberId"]]})
    provider.control.clear_calls()

    answer = provider.create(
        {"OriginationIdentities": [phone["PhoneNumberId"]], "AdoptPoolId": created["PhysicalResourceId"]}
    )

    _assert_refused_without_change(provider, answer, created["PhysicalResourceId"])
    assert "managed by another" in answer["Reason"]


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"MessageType": "PROMOTIONAL"}, ("MessageType PROMOTIONAL", "TRANSACTIONAL", "remove it")),
        ({"IsoCountryCode": "CA"}, ("IsoCountryCode CA", "country US", "remove it")),
    ],
    ids=["message-type", "country"],
)
def test_adopting_with_another_message_type_or_country_is_refused(
    provider: Provider, extra: dict[str, str], words: tuple[str, ...]
) -> None:
    phone, pool = _console_pool(provider)

    answer = provider.create(
        {"OriginationIdentities": [phone["PhoneNumberId"]], "AdoptPoolId": pool["PoolId"], **extra}
    )

    _assert_refused_without_change(provider, answer, pool["PoolId"])
    for word in words:
        assert word in answer["Reason"]


def test_adopting_with_an_identity_that_cannot_join_is_refused(provider: Provider) -> None:
    phone, pool = _console_pool(provider)
    other_phone, other_pool = _console_pool(provider)

    answer = provider.create(
        {
            "OriginationIdentities": [phone["PhoneNumberId"], other_phone["PhoneNumberId"]],
            "AdoptPoolId": pool["PoolId"],
            "SharedRoutesEnabled": "true",
        }
    )

    _assert_refused_without_change(provider, answer, pool["PoolId"])
    assert f"already in pool {other_pool['PoolId']}" in answer["Reason"]


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("arn:aws:sms-voice:eu-west-1:000000000000:pool/pool-" + "a" * 32, ("Region eu-west-1", "us-east-1")),
        ("arn:aws:sms-voice:us-east-1:111122223333:pool/pool-" + "a" * 32, ("account 111122223333",)),
        ("my-pool", ('AdoptPoolId "my-pool" is not a pool id or ARN',)),
    ],
    ids=["other-region", "other-account", "not-a-pool"],
)
def test_a_bad_adopt_pool_id_fails_before_any_call(
    provider: Provider, value: str, words: tuple[str, ...]
) -> None:
    phone = provider.control.seed_phone_number()
    provider.control.clear_calls()

    answer = provider.create({"OriginationIdentities": [phone["PhoneNumberId"]], "AdoptPoolId": value})

    assert answer["Status"] == "FAILED"
    assert not answer["PhysicalResourceId"].startswith("pool-")
    for word in words:
        assert word in answer["Reason"]
    assert provider.operations() == []


# --- a failure half-way ----------------------------------------------------------------------------
def test_an_adoption_failing_half_way_puts_the_pool_back_unmarked_and_says_so(
    provider: Provider, sms: Any, short_retry_pauses: float
) -> None:
    phone, pool = _console_pool(provider)
    props = {
        "OriginationIdentities": [phone["PhoneNumberId"]],
        "AdoptPoolId": pool["PoolId"],
        "SharedRoutesEnabled": "true",
        "OptionalKeywords": [{"Keyword": "JOIN", "Message": "Joined", "Action": "OPT_IN"}],
    }
    provider.control.add_fault("PutKeyword", "internal_error", count=1000)

    answer = provider.create(props)

    assert answer["Status"] == "FAILED"
    assert answer["PhysicalResourceId"] == f"{contract.NOT_ADOPTED_ID_PREFIX}{pool['PoolId']}"
    assert answer["Reason"].startswith("Not adopted, every change undone (pool as it was): ")
    assert "PutKeyword" in answer["Reason"]
    # The UpdatePool that came before the failed PutKeyword was put back, as a failed Update does.
    changes = provider.mutating_calls()
    assert (changes[0], changes[-1]) == ("UpdatePool", "UpdatePool")
    assert set(changes) == {"UpdatePool", "PutKeyword"}
    assert "CreatePool" not in provider.operations() and "DeletePool" not in provider.operations()
    assert sms.describe_pools(PoolIds=[pool["PoolId"]])["Pools"][0]["SharedRoutesEnabled"] is False
    assert TOKEN_TAG not in _tags(sms, pool["PoolArn"])

    # CloudFormation's rollback Delete names no pool: no call, and the pool is still there.
    provider.control.clear_faults()
    provider.control.clear_calls()
    assert provider.delete(answer["PhysicalResourceId"], props)["Status"] == "SUCCESS"
    assert provider.operations() == []
    assert sms.describe_pools(PoolIds=[pool["PoolId"]])["Pools"][0]["Status"] == "ACTIVE"

    # Deploying again adopts it.
    retried = provider.create(props)
    assert retried["Status"] == "SUCCESS", retried["Reason"]
    assert provider.mutating_calls() == ["UpdatePool", "PutKeyword", "TagResource"]


# --- AdoptPoolId on Update --------------------------------------------------------------------------
def test_changing_adopt_pool_id_is_refused_before_any_change_and_the_rollback_passes(
    provider: Provider,
) -> None:
    phone, pool = _console_pool(provider)
    _other_phone, other = _console_pool(provider)
    props = {"OriginationIdentities": [phone["PhoneNumberId"]], "AdoptPoolId": pool["PoolId"]}
    assert provider.create(props)["Status"] == "SUCCESS"
    changed = {**props, "AdoptPoolId": other["PoolId"], "SharedRoutesEnabled": "true"}
    provider.control.clear_calls()

    answer = provider.update(pool["PoolId"], changed, props)

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith(f"AdoptPoolId cannot change to {other['PoolId']}")
    assert "Remove AdoptPoolId" in answer["Reason"] and "replace the resource" in answer["Reason"]
    assert provider.operations() == []
    rollback = provider.update(pool["PoolId"], props, changed)
    assert rollback["Status"] == "SUCCESS", rollback["Reason"]
    assert provider.mutating_calls() == []


@pytest.mark.parametrize("form", ["removed", "arn"])
def test_removing_adopt_pool_id_or_writing_it_as_an_arn_changes_nothing(
    provider: Provider, form: str
) -> None:
    phone, pool = _console_pool(provider)
    props = {"OriginationIdentities": [phone["PhoneNumberId"]], "AdoptPoolId": pool["PoolId"]}
    assert provider.create(props)["Status"] == "SUCCESS"
    new = {"OriginationIdentities": [phone["PhoneNumberId"]]}
    if form == "arn":
        new["AdoptPoolId"] = pool["PoolArn"]
    provider.control.clear_calls()

    answer = provider.update(pool["PoolId"], new, props)

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] == pool["PoolId"]
    assert provider.operations() == READS


def test_adding_adopt_pool_id_to_a_created_pool_is_refused(provider: Provider) -> None:
    _phone, pool = _console_pool(provider)
    other_phone = provider.control.seed_phone_number()
    props = {"OriginationIdentities": [other_phone["PhoneNumberId"]]}
    created = provider.existing_pool(props)

    answer = provider.update(created, {**props, "AdoptPoolId": pool["PoolId"]}, props)

    assert answer["Status"] == "FAILED"
    assert "AdoptPoolId cannot change" in answer["Reason"]
    assert provider.operations() == []


def test_adopting_a_pool_a_native_stack_retained_keeps_the_tags_aws_set(provider: Provider, sms: Any) -> None:
    # AWS::SMSVOICE::Pool with DeletionPolicy Retain, removed from its stack: the pool keeps the
    # aws:cloudformation:* tags CloudFormation gave it, which no API call may remove.
    aws_tags = {
        "aws:cloudformation:stack-name": "NativeStack",
        "aws:cloudformation:logical-id": "Pool",
    }
    phone, pool = _console_pool(provider, tags={"team": "sms"}, system_tags=aws_tags)

    answer = provider.create(
        {
            "OriginationIdentities": [phone["PhoneNumberArn"]],
            "AdoptPoolId": pool["PoolId"],
            "Tags": [{"Key": "team", "Value": "messaging"}],
        }
    )

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert provider.mutating_calls() == ["TagResource", "TagResource"]  # the template's tag, the mark
    tags = _tags(sms, pool["PoolArn"])
    assert {k: v for k, v in tags.items() if k.startswith("aws:")} == aws_tags
    assert tags["team"] == "messaging"


def test_a_template_that_would_need_a_new_pool_is_refused_instead_of_creating_one(provider: Provider) -> None:
    # MessageType is left out, and the first identity can only send PROMOTIONAL: an Update would
    # replace the pool; an adoption never creates one.
    phone, pool = _console_pool(provider)
    promotional = provider.control.seed_phone_number(message_type="PROMOTIONAL")
    provider.control.clear_calls()

    answer = provider.create(
        {
            "OriginationIdentities": [promotional["PhoneNumberId"], phone["PhoneNumberId"]],
            "AdoptPoolId": pool["PoolId"],
        }
    )

    _assert_refused_without_change(provider, answer, pool["PoolId"])
    assert "TRANSACTIONAL in US, and the template needs a PROMOTIONAL pool" in answer["Reason"]
    assert "CreatePool" not in provider.operations()
