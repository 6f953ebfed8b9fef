"""Pool lifecycle through boto3 over HTTP: create, describe, update, delete, and their conflicts."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from localcloud.sms_voice import Emulator
from tests.emulator.emulator_helpers import api_error

Pool = dict[str, Any]


def _wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached before the timeout"
        time.sleep(0.05)


def _status(sms: Any, pool_id: str) -> str | None:
    try:
        return str(sms.describe_pools(PoolIds=[pool_id])["Pools"][0]["Status"])
    except sms.exceptions.ResourceNotFoundException:
        return None


def test_created_pool_inherits_configuration_from_its_first_phone_number(
    emulator: Emulator, sms: Any
) -> None:
    phone = emulator.control.seed_phone_number(
        keywords={"JOIN": ("Welcome", "OPT_IN")},
        opt_out_list_name="Marketing",
        two_way_enabled=True,
        two_way_channel_arn="arn:aws:sns:us-east-1:000000000000:inbound",
        self_managed_opt_outs_enabled=True,
        deletion_protection_enabled=True,
    )

    pool = sms.create_pool(OriginationIdentity=phone["PhoneNumberArn"], MessageType="TRANSACTIONAL")

    assert pool["PoolArn"] == f"arn:aws:sms-voice:us-east-1:000000000000:pool/{pool['PoolId']}"
    assert len(pool["PoolId"]) == len("pool-") + 32
    assert pool["Status"] == "ACTIVE"
    assert pool["MessageType"] == "TRANSACTIONAL"
    assert pool["OptOutListName"] == "Marketing"
    assert pool["TwoWayEnabled"] is True
    assert pool["TwoWayChannelArn"] == "arn:aws:sns:us-east-1:000000000000:inbound"
    assert pool["SelfManagedOptOutsEnabled"] is True
    assert pool["DeletionProtectionEnabled"] is False, "deletion protection is not inherited"
    assert pool["SharedRoutesEnabled"] is False
    keywords = sms.describe_keywords(OriginationIdentity=pool["PoolId"])["Keywords"]
    assert {k["Keyword"]: (k["KeywordMessage"], k["KeywordAction"]) for k in keywords}["JOIN"] == (
        "Welcome",
        "OPT_IN",
    )
    assert {k["Keyword"] for k in keywords} == {"HELP", "STOP", "JOIN"}


def test_pool_seeded_from_a_sender_id_gets_default_help_and_stop(emulator: Emulator, sms: Any) -> None:
    sender = emulator.control.seed_sender_id(sender_id="BRAND", iso_country_code="DE")

    pool = sms.create_pool(OriginationIdentity=sender["SenderIdArn"], MessageType="TRANSACTIONAL")

    keywords = sms.describe_keywords(OriginationIdentity=pool["PoolArn"])["Keywords"]
    assert {k["Keyword"]: k["KeywordAction"] for k in keywords} == {
        "HELP": "AUTOMATIC_RESPONSE",
        "STOP": "OPT_OUT",
    }
    assert pool["OptOutListName"] == "Default"
    assert pool["TwoWayEnabled"] is False


def test_create_pool_with_tags_and_deletion_protection(emulator: Emulator, sms: Any) -> None:
    phone = emulator.control.seed_phone_number()

    pool = sms.create_pool(
        OriginationIdentity=phone["PhoneNumberId"],
        MessageType="TRANSACTIONAL",
        DeletionProtectionEnabled=True,
        Tags=[{"Key": "team", "Value": "sms"}],
    )

    assert pool["DeletionProtectionEnabled"] is True
    assert pool["Tags"] == [{"Key": "team", "Value": "sms"}]
    assert sms.list_tags_for_resource(ResourceArn=pool["PoolArn"])["Tags"] == [
        {"Key": "team", "Value": "sms"}
    ]


def test_create_pool_fails_when_message_type_does_not_match_the_identity(
    emulator: Emulator, client: Any
) -> None:
    phone = emulator.control.seed_phone_number(message_type="TRANSACTIONAL")

    error = api_error(
        client.create_pool, OriginationIdentity=phone["PhoneNumberId"], MessageType="PROMOTIONAL"
    )

    assert (error["Code"], error["Reason"]) == ("ConflictException", "MESSAGE_TYPE_MISMATCH")
    assert client.describe_pools()["Pools"] == []


def test_create_pool_fails_for_a_phone_number_already_in_a_pool(make_pool: Any, client: Any) -> None:
    first = make_pool()

    error = api_error(
        client.create_pool,
        OriginationIdentity=first["SeedPhone"]["PhoneNumberArn"],
        MessageType="TRANSACTIONAL",
    )

    assert error["Reason"] == "PHONE_NUMBER_ASSOCIATED_TO_POOL"
    assert [p["PoolId"] for p in client.describe_pools()["Pools"]] == [first["PoolId"]]


def test_create_pool_fails_for_an_unknown_identity(client: Any) -> None:
    error = api_error(
        client.create_pool,
        OriginationIdentity="phone-0123456789abcdef0123456789abcdef",
        MessageType="TRANSACTIONAL",
    )

    assert (error["Code"], error["ResourceType"]) == ("ResourceNotFoundException", "phone-number")


def test_describe_pools_accepts_ids_and_arns_and_rejects_unknown_ids(make_pool: Any, client: Any) -> None:
    one, two = make_pool(), make_pool()

    pools = client.describe_pools(PoolIds=[one["PoolId"], two["PoolArn"]])["Pools"]

    assert [p["PoolId"] for p in pools] == [one["PoolId"], two["PoolId"]]
    error = api_error(client.describe_pools, PoolIds=[one["PoolId"], "pool-doesnotexist"])
    assert (error["Code"], error["ResourceType"], error["ResourceId"]) == (
        "ResourceNotFoundException",
        "pool",
        "pool-doesnotexist",
    )


def test_describe_pools_filters(make_pool: Any, sms: Any) -> None:
    plain = make_pool()
    protected = make_pool()
    sms.update_pool(PoolId=protected["PoolId"], DeletionProtectionEnabled=True)

    def ids(filters: list[dict[str, Any]]) -> list[str]:
        return [p["PoolId"] for p in sms.describe_pools(Filters=filters)["Pools"]]

    assert ids([{"Name": "deletion-protection-enabled", "Values": ["true"]}]) == [protected["PoolId"]]
    assert ids([{"Name": "deletion-protection-enabled", "Values": ["false"]}]) == [plain["PoolId"]]
    assert (
        ids([{"Name": "status", "Values": ["ACTIVE"]}, {"Name": "message-type", "Values": ["PROMOTIONAL"]}])
        == []
    )
    assert sms.describe_pools(Owner="SHARED")["Pools"] == []


def test_describe_pools_rejects_invalid_filter_values_and_owner_with_ids(make_pool: Any, client: Any) -> None:
    pool = make_pool()

    bad_filter = api_error(client.describe_pools, Filters=[{"Name": "status", "Values": ["READY"]}])
    together = api_error(client.describe_pools, PoolIds=[pool["PoolId"]], Owner="SELF")

    assert bad_filter["Reason"] == "INVALID_FILTER_VALUES"
    assert together["Reason"] == "PARAMETERS_CANNOT_BE_USED_TOGETHER"


def test_update_pool_changes_only_the_given_settings(make_pool: Any, emulator: Emulator, sms: Any) -> None:
    pool = make_pool()
    emulator.control.seed_opt_out_list("Other")

    updated = sms.update_pool(
        PoolId=pool["PoolArn"],
        OptOutListName="arn:aws:sms-voice:us-east-1:000000000000:opt-out-list/Other",
        SelfManagedOptOutsEnabled=True,
        SharedRoutesEnabled=True,
    )

    assert updated["OptOutListName"] == "Other"
    assert updated["SelfManagedOptOutsEnabled"] is True
    assert updated["SharedRoutesEnabled"] is True
    assert updated["DeletionProtectionEnabled"] is False
    assert updated["MessageType"] == "TRANSACTIONAL"
    assert sms.describe_pools(PoolIds=[pool["PoolId"]])["Pools"][0]["OptOutListName"] == "Other"


def test_update_pool_two_way_needs_a_channel_and_enablement(make_pool: Any, client: Any) -> None:
    pool = make_pool()
    channel = "arn:aws:sns:us-east-1:000000000000:inbound"

    missing_channel = api_error(client.update_pool, PoolId=pool["PoolId"], TwoWayEnabled=True)
    not_enabled = api_error(client.update_pool, PoolId=pool["PoolId"], TwoWayChannelArn=channel)
    enabled = client.update_pool(PoolId=pool["PoolId"], TwoWayEnabled=True, TwoWayChannelArn=channel)

    assert missing_channel["Reason"] == "TWO_WAY_CHANNEL_NOT_PRESENT"
    assert not_enabled["Reason"] == "TWO_WAY_NOT_ENABLED"
    assert (enabled["TwoWayEnabled"], enabled["TwoWayChannelArn"]) == (True, channel)


def test_update_pool_fails_for_an_unknown_opt_out_list(make_pool: Any, client: Any) -> None:
    pool = make_pool()

    error = api_error(client.update_pool, PoolId=pool["PoolId"], OptOutListName="Missing")

    assert (error["Code"], error["ResourceType"]) == ("ResourceNotFoundException", "opt-out-list")
    assert client.describe_pools(PoolIds=[pool["PoolId"]])["Pools"][0]["OptOutListName"] == "Default"


def test_delete_pool_fails_while_deletion_protection_is_enabled(make_pool: Any, client: Any) -> None:
    pool = make_pool()
    client.update_pool(PoolId=pool["PoolId"], DeletionProtectionEnabled=True)

    error = api_error(client.delete_pool, PoolId=pool["PoolId"])

    assert (error["Code"], error["Reason"], error["ResourceType"], error["ResourceId"]) == (
        "ConflictException",
        "DELETION_PROTECTION_ENABLED",
        "pool",
        pool["PoolId"],
    )
    assert _status(client, pool["PoolId"]) == "ACTIVE"


def test_deleted_pool_releases_nothing_and_frees_its_identities(
    emulator: Emulator, make_pool: Any, sms: Any
) -> None:
    pool = make_pool()
    phone = pool["SeedPhone"]

    deleted = sms.delete_pool(PoolId=pool["PoolId"])

    assert deleted["Status"] == "DELETING"
    assert "DeletionProtectionEnabled" not in deleted
    with pytest.raises(sms.exceptions.ResourceNotFoundException) as raised:
        sms.describe_pools(PoolIds=[pool["PoolId"]])
    assert raised.value.response["ResourceType"] == "pool"
    numbers = sms.describe_phone_numbers(PhoneNumberIds=[phone["PhoneNumberId"]])["PhoneNumbers"]
    assert "PoolId" not in numbers[0], "the phone number still exists and is free"
    again = sms.create_pool(OriginationIdentity=phone["PhoneNumberId"], MessageType="TRANSACTIONAL")
    assert again["PoolId"] != pool["PoolId"]


def test_pool_is_creating_then_active_then_deleting_then_gone(emulator: Emulator, client: Any) -> None:
    emulator.control.set_activation_delay(1.0)  # room for four calls per state on a loaded machine
    phone = emulator.control.seed_phone_number()

    pool = client.create_pool(OriginationIdentity=phone["PhoneNumberId"], MessageType="TRANSACTIONAL")

    assert pool["Status"] == "CREATING"
    blocked = api_error(client.update_pool, PoolId=pool["PoolId"], SharedRoutesEnabled=True)
    assert (blocked["Reason"], blocked["ResourceType"]) == ("RESOURCE_NOT_ACTIVE", "pool")
    early_delete = api_error(client.delete_pool, PoolId=pool["PoolId"])
    assert early_delete["Reason"] == "RESOURCE_NOT_ACTIVE"
    _wait_for(lambda: _status(client, pool["PoolId"]) == "ACTIVE")

    assert client.delete_pool(PoolId=pool["PoolId"])["Status"] == "DELETING"
    assert _status(client, pool["PoolId"]) == "DELETING"
    second_delete = api_error(client.delete_pool, PoolId=pool["PoolId"])
    assert second_delete["Reason"] == "RESOURCE_NOT_ACTIVE"
    in_pool = client.describe_phone_numbers(PhoneNumberIds=[phone["PhoneNumberId"]])["PhoneNumbers"][0]
    assert in_pool["PoolId"] == pool["PoolId"], "identities stay associated until the pool is gone"
    _wait_for(lambda: _status(client, pool["PoolId"]) is None)
    free = client.describe_phone_numbers(PhoneNumberIds=[phone["PhoneNumberId"]])["PhoneNumbers"][0]
    assert "PoolId" not in free


def test_every_mutating_pool_call_is_refused_while_creating(emulator: Emulator, client: Any) -> None:
    emulator.control.set_activation_delay(30)
    phone = emulator.control.seed_phone_number()
    other = emulator.control.seed_phone_number()
    pool = client.create_pool(OriginationIdentity=phone["PhoneNumberId"], MessageType="TRANSACTIONAL")
    pool_id = pool["PoolId"]

    calls = [
        (
            client.associate_origination_identity,
            {"PoolId": pool_id, "OriginationIdentity": other["PhoneNumberId"]},
        ),
        (
            client.disassociate_origination_identity,
            {"PoolId": pool_id, "OriginationIdentity": phone["PhoneNumberId"]},
        ),
        (client.put_keyword, {"OriginationIdentity": pool_id, "Keyword": "JOIN", "KeywordMessage": "Hi"}),
        (client.delete_keyword, {"OriginationIdentity": pool_id, "Keyword": "JOIN"}),
        (client.update_pool, {"PoolId": pool_id, "DeletionProtectionEnabled": True}),
        (client.delete_pool, {"PoolId": pool_id}),
    ]

    reasons = [api_error(call, **kwargs).get("Reason") for call, kwargs in calls]
    assert reasons == ["RESOURCE_NOT_ACTIVE"] * len(calls)
    assert client.describe_pools(PoolIds=[pool_id])["Pools"][0]["Status"] == "CREATING"
