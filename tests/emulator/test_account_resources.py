"""Phone numbers, sender IDs and opt-out lists: the set-up calls a user or a test needs."""

from __future__ import annotations

from typing import Any

from localcloud.sms_voice import Emulator
from tests.emulator.emulator_helpers import api_error

CHANNEL = "arn:aws:sns:us-east-1:000000000000:inbound"


def _request_number(sms: Any, **extra: Any) -> dict[str, Any]:
    number: dict[str, Any] = sms.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
        **extra,
    )
    return number


def test_request_phone_number_gives_an_active_number(sms: Any) -> None:
    number = _request_number(sms, Tags=[{"Key": "k", "Value": "v"}], DeletionProtectionEnabled=True)

    assert (
        number["PhoneNumberArn"]
        == f"arn:aws:sms-voice:us-east-1:000000000000:phone-number/{number['PhoneNumberId']}"
    )
    assert number["PhoneNumber"].startswith("+1")
    assert (number["Status"], number["OptOutListName"], number["DeletionProtectionEnabled"]) == (
        "ACTIVE",
        "Default",
        True,
    )
    described = sms.describe_phone_numbers(PhoneNumberIds=[number["PhoneNumberArn"]])["PhoneNumbers"]
    assert described[0]["PhoneNumberId"] == number["PhoneNumberId"]


def test_request_phone_number_straight_into_a_pool(make_pool: Any, sms: Any) -> None:
    pool = make_pool(number_capabilities=("SMS",))

    number = _request_number(sms, PoolId=pool["PoolId"])

    assert number["PoolId"] == pool["PoolId"]
    members = sms.list_pool_origination_identities(PoolId=pool["PoolId"])["OriginationIdentities"]
    assert number["PhoneNumberArn"] in [m["OriginationIdentityArn"] for m in members]


def test_request_phone_number_into_a_mismatching_pool_makes_nothing(make_pool: Any, client: Any) -> None:
    pool = make_pool()  # SMS + VOICE; the requested number is SMS only
    before = client.describe_phone_numbers()["PhoneNumbers"]

    error = api_error(
        client.request_phone_number,
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
        PoolId=pool["PoolId"],
    )

    assert error["Reason"] == "NUMBER_CAPABILITIES_MISMATCH"
    assert client.describe_phone_numbers()["PhoneNumbers"] == before


def test_update_phone_number_settings(emulator: Emulator, sms: Any) -> None:
    phone = emulator.control.seed_phone_number()
    emulator.control.seed_opt_out_list("Other")

    updated = sms.update_phone_number(
        PhoneNumberId=phone["PhoneNumberArn"],
        TwoWayEnabled=True,
        TwoWayChannelArn=CHANNEL,
        OptOutListName="Other",
        SelfManagedOptOutsEnabled=True,
    )

    assert (updated["TwoWayEnabled"], updated["TwoWayChannelArn"], updated["OptOutListName"]) == (
        True,
        CHANNEL,
        "Other",
    )
    assert updated["SelfManagedOptOutsEnabled"] is True


def test_phone_number_in_a_pool_or_protected_cannot_be_released(
    make_pool: Any, emulator: Emulator, client: Any
) -> None:
    pool = make_pool()
    protected = emulator.control.seed_phone_number(deletion_protection_enabled=True)

    in_pool = api_error(client.release_phone_number, PhoneNumberId=pool["SeedPhone"]["PhoneNumberId"])
    guarded = api_error(client.release_phone_number, PhoneNumberId=protected["PhoneNumberId"])

    assert (in_pool["Code"], in_pool["Reason"]) == ("ConflictException", "PHONE_NUMBER_ASSOCIATED_TO_POOL")
    assert guarded["Reason"] == "DELETION_PROTECTION_ENABLED"


def test_released_phone_number_is_gone(emulator: Emulator, client: Any) -> None:
    phone = emulator.control.seed_phone_number()

    released = client.release_phone_number(PhoneNumberId=phone["PhoneNumberArn"])

    assert released["Status"] == "DELETED"
    error = api_error(client.describe_phone_numbers, PhoneNumberIds=[phone["PhoneNumberId"]])
    assert (error["Code"], error["ResourceType"]) == ("ResourceNotFoundException", "phone-number")


def test_describe_phone_numbers_filters(emulator: Emulator, sms: Any) -> None:
    gb = emulator.control.seed_phone_number(iso_country_code="GB", number_type="LONG_CODE")
    emulator.control.seed_phone_number(iso_country_code="US")

    found = sms.describe_phone_numbers(Filters=[{"Name": "iso-country-code", "Values": ["GB"]}])[
        "PhoneNumbers"
    ]

    assert [n["PhoneNumberId"] for n in found] == [gb["PhoneNumberId"]]


def test_sender_id_request_describe_release(sms: Any, client: Any) -> None:
    requested = sms.request_sender_id(SenderId="BRAND", IsoCountryCode="DE", MessageTypes=["PROMOTIONAL"])
    again = api_error(client.request_sender_id, SenderId="BRAND", IsoCountryCode="DE")

    described = sms.describe_sender_ids(
        SenderIds=[{"SenderId": requested["SenderIdArn"], "IsoCountryCode": "DE"}]
    )
    released = sms.release_sender_id(SenderId="BRAND", IsoCountryCode="DE")

    assert requested["SenderIdArn"] == "arn:aws:sms-voice:us-east-1:000000000000:sender-id/BRAND/DE"
    assert requested["MessageTypes"] == ["PROMOTIONAL"]
    assert again["Reason"] == "RESOURCE_ALREADY_EXISTS"
    assert described["SenderIds"][0]["SenderId"] == "BRAND"
    assert released["SenderIdArn"] == requested["SenderIdArn"]
    gone = api_error(client.describe_sender_ids, SenderIds=[{"SenderId": "BRAND", "IsoCountryCode": "DE"}])
    assert gone["ResourceType"] == "sender-id"


def test_sender_id_in_a_pool_cannot_be_released(emulator: Emulator, make_pool: Any, client: Any) -> None:
    pool = make_pool()
    sender = emulator.control.seed_sender_id()
    client.associate_origination_identity(PoolId=pool["PoolId"], OriginationIdentity=sender["SenderIdArn"])

    error = api_error(
        client.release_sender_id, SenderId=sender["SenderId"], IsoCountryCode=sender["IsoCountryCode"]
    )

    assert error["Reason"] == "SENDER_ID_ASSOCIATED_TO_POOL"


def test_opt_out_lists_create_describe_delete(client: Any) -> None:
    created = client.create_opt_out_list(OptOutListName="Marketing", Tags=[{"Key": "k", "Value": "v"}])
    duplicate = api_error(client.create_opt_out_list, OptOutListName="Marketing")

    names = [o["OptOutListName"] for o in client.describe_opt_out_lists()["OptOutLists"]]
    deleted = client.delete_opt_out_list(OptOutListName=created["OptOutListArn"])

    assert created["OptOutListArn"] == "arn:aws:sms-voice:us-east-1:000000000000:opt-out-list/Marketing"
    assert duplicate["Reason"] == "RESOURCE_ALREADY_EXISTS"
    assert names == ["Default", "Marketing"]
    assert deleted["OptOutListName"] == "Marketing"
    missing = api_error(client.describe_opt_out_lists, OptOutListNames=["Marketing"])
    assert missing["ResourceType"] == "opt-out-list"


def test_opt_out_list_in_use_or_default_cannot_be_deleted(make_pool: Any, client: Any) -> None:
    client.create_opt_out_list(OptOutListName="Used")
    pool = make_pool()
    client.update_pool(PoolId=pool["PoolId"], OptOutListName="Used")

    used = api_error(client.delete_opt_out_list, OptOutListName="Used")
    default = api_error(client.delete_opt_out_list, OptOutListName="Default")

    assert used["Reason"] == "RESOURCE_DELETION_NOT_ALLOWED"
    assert default["Reason"] == "RESOURCE_DELETION_NOT_ALLOWED"
