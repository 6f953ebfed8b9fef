"""Associating and disassociating phone numbers and sender IDs: membership and matching rules."""

from __future__ import annotations

from typing import Any

import pytest

from localcloud.sms_voice import Emulator
from tests.emulator.emulator_helpers import api_error, associate_error, disassociate_error

CHANNEL = "arn:aws:sns:us-east-1:000000000000:inbound"


def _members(sms: Any, pool_id: str) -> list[str]:
    return [
        i["OriginationIdentity"]
        for i in sms.list_pool_origination_identities(PoolId=pool_id)["OriginationIdentities"]
    ]


def test_associate_accepts_ids_and_arns_and_lists_members(
    emulator: Emulator, make_pool: Any, sms: Any
) -> None:
    pool = make_pool()
    by_id = emulator.control.seed_phone_number()
    by_arn = emulator.control.seed_phone_number()
    sender = emulator.control.seed_sender_id(sender_id="BRAND", iso_country_code="GB")

    first = sms.associate_origination_identity(
        PoolId=pool["PoolId"], OriginationIdentity=by_id["PhoneNumberId"]
    )
    sms.associate_origination_identity(PoolId=pool["PoolArn"], OriginationIdentity=by_arn["PhoneNumberArn"])
    via_sender = sms.associate_origination_identity(
        PoolId=pool["PoolId"], OriginationIdentity="BRAND", IsoCountryCode="GB"
    )

    assert first["OriginationIdentityArn"] == by_id["PhoneNumberArn"]
    assert first["IsoCountryCode"] == "US"
    assert (
        via_sender["OriginationIdentityArn"] == "arn:aws:sms-voice:us-east-1:000000000000:sender-id/BRAND/GB"
    )
    listed = sms.list_pool_origination_identities(PoolId=pool["PoolId"])["OriginationIdentities"]
    assert [i["OriginationIdentityArn"] for i in listed] == [
        pool["SeedPhone"]["PhoneNumberArn"],
        by_id["PhoneNumberArn"],
        by_arn["PhoneNumberArn"],
        sender["SenderIdArn"],
    ]
    assert listed[0]["PhoneNumber"] == pool["SeedPhone"]["PhoneNumber"]
    assert listed[3]["NumberCapabilities"] == ["SMS"]
    number = sms.describe_phone_numbers(PhoneNumberIds=[by_id["PhoneNumberId"]])["PhoneNumbers"][0]
    assert number["PoolId"] == pool["PoolId"]


def test_list_pool_origination_identities_filters_by_country(
    emulator: Emulator, make_pool: Any, sms: Any
) -> None:
    pool = make_pool()
    emulator.control.seed_sender_id(sender_id="BRAND", iso_country_code="GB")
    sms.associate_origination_identity(
        PoolId=pool["PoolId"], OriginationIdentity="BRAND", IsoCountryCode="GB"
    )

    listed = sms.list_pool_origination_identities(
        PoolId=pool["PoolId"], Filters=[{"Name": "iso-country-code", "Values": ["GB"]}]
    )["OriginationIdentities"]

    assert [i["OriginationIdentity"] for i in listed] == ["BRAND"]


def test_a_phone_number_belongs_to_at_most_one_pool(make_pool: Any, client: Any) -> None:
    first, second = make_pool(), make_pool()

    error = associate_error(client, second["PoolId"], first["SeedPhone"]["PhoneNumberId"])

    assert (error["Code"], error["Reason"]) == ("ConflictException", "PHONE_NUMBER_ASSOCIATED_TO_POOL")
    assert _members(client, second["PoolId"]) == [second["SeedPhone"]["PhoneNumberId"]]


def test_associating_a_member_again_is_a_conflict(make_pool: Any, client: Any) -> None:
    pool = make_pool()

    error = associate_error(client, pool["PoolId"], pool["SeedPhone"]["PhoneNumberArn"])

    assert error["Reason"] == "RESOURCE_ALREADY_ASSOCIATED"


def test_a_sender_id_can_be_in_many_pools(emulator: Emulator, make_pool: Any, sms: Any) -> None:
    sender = emulator.control.seed_sender_id()
    one, two = make_pool(), make_pool()

    for pool in (one, two):
        sms.associate_origination_identity(PoolId=pool["PoolId"], OriginationIdentity=sender["SenderIdArn"])

    assert sender["SenderId"] in _members(sms, one["PoolId"])
    assert sender["SenderId"] in _members(sms, two["PoolId"])


def test_a_bare_sender_id_needs_a_country_code(emulator: Emulator, make_pool: Any, client: Any) -> None:
    pool = make_pool()
    emulator.control.seed_sender_id(sender_id="BRAND", iso_country_code="GB")

    error = associate_error(client, pool["PoolId"], "BRAND")

    assert (error["Code"], error["Reason"]) == ("ValidationException", "INVALID_ARN")
    assert error["Fields"][0]["Name"] == "OriginationIdentity"


@pytest.mark.parametrize("kind", ["phone", "sender"])
def test_a_country_code_that_does_not_match_the_identity_is_rejected(
    emulator: Emulator, make_pool: Any, client: Any, kind: str
) -> None:
    pool = make_pool()
    identity = (
        emulator.control.seed_phone_number(iso_country_code="US")["PhoneNumberArn"]
        if kind == "phone"
        else emulator.control.seed_sender_id(iso_country_code="GB")["SenderIdArn"]
    )

    error = associate_error(client, pool["PoolId"], identity, IsoCountryCode="FR")

    assert (error["Code"], error["Reason"]) == ("ValidationException", "COUNTRY_CODE_MISMATCH")


def test_a_pool_can_mix_countries(emulator: Emulator, make_pool: Any, sms: Any) -> None:
    pool = make_pool()
    for country in ("DE", "CH"):
        sender = emulator.control.seed_sender_id(sender_id="BRAND", iso_country_code=country)
        sms.associate_origination_identity(
            PoolId=pool["PoolId"], OriginationIdentity=sender["SenderIdArn"], IsoCountryCode=country
        )

    countries = {
        i["IsoCountryCode"]
        for i in sms.list_pool_origination_identities(PoolId=pool["PoolId"])["OriginationIdentities"]
    }
    assert countries == {"US", "DE", "CH"}


@pytest.mark.parametrize(
    ("phone_attributes", "reason"),
    [
        ({"message_type": "PROMOTIONAL"}, "MESSAGE_TYPE_MISMATCH"),
        ({"two_way_enabled": True, "two_way_channel_arn": CHANNEL}, "TWO_WAY_CONFIG_MISMATCH"),
        ({"self_managed_opt_outs_enabled": True}, "SELF_MANAGED_OPT_OUTS_MISMATCH"),
        ({"opt_out_list_name": "Other"}, "OPT_OUT_LIST_MISMATCH"),
        ({"keywords": {"JOIN": ("Welcome", "OPT_IN")}}, "KEYWORD_MISMATCH"),
        ({"number_capabilities": ("SMS",)}, "NUMBER_CAPABILITIES_MISMATCH"),
    ],
)
def test_an_identity_that_does_not_match_the_pool_is_rejected(
    emulator: Emulator, make_pool: Any, client: Any, phone_attributes: dict[str, Any], reason: str
) -> None:
    pool = make_pool(keywords={"JOIN": ("Welcome", "AUTOMATIC_RESPONSE")})
    phone = emulator.control.seed_phone_number(**phone_attributes)

    error = associate_error(client, pool["PoolId"], phone["PhoneNumberId"])

    assert (error["Code"], error["Reason"], error["ResourceType"]) == ("ConflictException", reason, "pool")
    assert _members(client, pool["PoolId"]) == [pool["SeedPhone"]["PhoneNumberId"]]


def test_a_sender_id_without_the_pools_message_type_is_rejected(
    emulator: Emulator, make_pool: Any, client: Any
) -> None:
    pool = make_pool(message_type="PROMOTIONAL")
    sender = emulator.control.seed_sender_id(message_types=("TRANSACTIONAL",))

    error = associate_error(client, pool["PoolId"], sender["SenderIdArn"])

    assert error["Reason"] == "MESSAGE_TYPE_MISMATCH"


def test_matching_uses_the_pools_current_settings(emulator: Emulator, make_pool: Any, sms: Any) -> None:
    pool = make_pool()
    emulator.control.seed_opt_out_list("Other")
    on_other_list = emulator.control.seed_phone_number(opt_out_list_name="Other")
    on_default_list = emulator.control.seed_phone_number()

    sms.update_pool(PoolId=pool["PoolId"], OptOutListName="Other")

    sms.associate_origination_identity(
        PoolId=pool["PoolId"], OriginationIdentity=on_other_list["PhoneNumberId"]
    )
    with pytest.raises(sms.exceptions.ConflictException) as raised:
        sms.associate_origination_identity(
            PoolId=pool["PoolId"], OriginationIdentity=on_default_list["PhoneNumberId"]
        )
    assert raised.value.response["Reason"] == "OPT_OUT_LIST_MISMATCH"


def test_a_phone_number_that_is_not_active_cannot_be_used(
    emulator: Emulator, make_pool: Any, client: Any
) -> None:
    pool = make_pool()
    pending = emulator.control.seed_phone_number(status="PENDING")

    associate = associate_error(client, pool["PoolId"], pending["PhoneNumberId"])
    create = api_error(
        client.create_pool, OriginationIdentity=pending["PhoneNumberId"], MessageType="TRANSACTIONAL"
    )

    assert (associate["Reason"], associate["ResourceType"]) == ("RESOURCE_NOT_ACTIVE", "phone-number")
    assert create["Reason"] == "RESOURCE_NOT_ACTIVE"


def test_a_released_phone_number_cannot_be_used(emulator: Emulator, make_pool: Any, client: Any) -> None:
    pool = make_pool()
    phone = emulator.control.seed_phone_number()
    client.release_phone_number(PhoneNumberId=phone["PhoneNumberId"])

    error = associate_error(client, pool["PoolId"], phone["PhoneNumberArn"])

    assert (error["Code"], error["ResourceType"]) == ("ResourceNotFoundException", "phone-number")


def test_disassociate_frees_the_phone_number(emulator: Emulator, make_pool: Any, sms: Any) -> None:
    pool = make_pool()
    extra = emulator.control.seed_phone_number()
    sms.associate_origination_identity(PoolId=pool["PoolId"], OriginationIdentity=extra["PhoneNumberId"])

    result = sms.disassociate_origination_identity(
        PoolId=pool["PoolId"], OriginationIdentity=extra["PhoneNumberArn"]
    )

    assert result["OriginationIdentity"] == extra["PhoneNumberId"]
    assert _members(sms, pool["PoolId"]) == [pool["SeedPhone"]["PhoneNumberId"]]
    number = sms.describe_phone_numbers(PhoneNumberIds=[extra["PhoneNumberId"]])["PhoneNumbers"][0]
    assert "PoolId" not in number


def test_the_last_phone_number_cannot_be_disassociated(
    emulator: Emulator, make_pool: Any, client: Any
) -> None:
    pool = make_pool()
    sender = emulator.control.seed_sender_id()
    client.associate_origination_identity(PoolId=pool["PoolId"], OriginationIdentity=sender["SenderIdArn"])

    error = disassociate_error(client, pool["PoolId"], pool["SeedPhone"]["PhoneNumberId"])

    assert (error["Code"], error["Reason"]) == ("ConflictException", "LAST_PHONE_NUMBER")
    client.disassociate_origination_identity(PoolId=pool["PoolId"], OriginationIdentity=sender["SenderIdArn"])


def test_the_only_identity_of_a_sender_id_pool_cannot_be_disassociated(
    emulator: Emulator, client: Any
) -> None:
    sender = emulator.control.seed_sender_id()
    pool = client.create_pool(OriginationIdentity=sender["SenderIdArn"], MessageType="TRANSACTIONAL")

    error = disassociate_error(client, pool["PoolId"], sender["SenderIdArn"])

    assert error["Reason"] == "LAST_PHONE_NUMBER"


def test_disassociating_a_non_member_is_a_conflict(emulator: Emulator, make_pool: Any, client: Any) -> None:
    pool = make_pool()
    outsider = emulator.control.seed_phone_number()
    sender = emulator.control.seed_sender_id()

    phone_error = disassociate_error(client, pool["PoolId"], outsider["PhoneNumberId"])
    sender_error = disassociate_error(client, pool["PoolId"], sender["SenderIdArn"])

    assert phone_error["Reason"] == "PHONE_NUMBER_NOT_ASSOCIATED_TO_POOL"
    assert sender_error["Reason"] == "NO_ORIGINATION_IDENTITIES_FOUND"


def test_identity_calls_on_an_unknown_pool_are_not_found(emulator: Emulator, client: Any) -> None:
    phone = emulator.control.seed_phone_number()

    error = associate_error(client, "pool-missing", phone["PhoneNumberId"])
    listing = api_error(client.list_pool_origination_identities, PoolId="pool-missing")

    assert (error["ResourceType"], listing["ResourceType"]) == ("pool", "pool")
