"""The behaviours docs/emulator.md documents where AWS is silent, each pinned by a test."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from localcloud.sms_voice import Emulator, StateFileError
from tests.emulator.emulator_helpers import api_error, associate_error
from tests.support.harness import sms_client

CHANNEL = "arn:aws:sns:us-east-1:000000000000:inbound"


def test_an_arn_that_is_not_an_identity_is_invalid_arn(make_pool: Any, client: Any) -> None:
    pool, other = make_pool(), make_pool()

    error = associate_error(client, pool["PoolId"], other["PoolArn"])

    assert (error["Code"], error["Reason"]) == ("ValidationException", "INVALID_ARN")


def test_an_identity_arn_of_another_account_is_not_found(make_pool: Any, client: Any) -> None:
    pool = make_pool()
    foreign = "arn:aws:sms-voice:us-east-1:111111111111:phone-number/phone-0123456789abcdef0123456789abcdef"

    error = associate_error(client, pool["PoolId"], foreign)

    assert (error["Code"], error["ResourceType"]) == ("ResourceNotFoundException", "phone-number")


def test_two_way_pools_need_the_same_channel_and_no_sender_ids(emulator: Emulator, client: Any) -> None:
    seed = emulator.control.seed_phone_number(two_way_enabled=True, two_way_channel_arn=CHANNEL)
    pool = client.create_pool(OriginationIdentity=seed["PhoneNumberId"], MessageType="TRANSACTIONAL")
    other_channel = emulator.control.seed_phone_number(
        two_way_enabled=True, two_way_channel_arn=CHANNEL + "-2"
    )
    same_channel = emulator.control.seed_phone_number(two_way_enabled=True, two_way_channel_arn=CHANNEL)
    sender = emulator.control.seed_sender_id()

    channel_error = associate_error(client, pool["PoolId"], other_channel["PhoneNumberId"])
    sender_error = associate_error(client, pool["PoolId"], sender["SenderIdArn"])
    client.associate_origination_identity(
        PoolId=pool["PoolId"], OriginationIdentity=same_channel["PhoneNumberId"]
    )

    assert channel_error["Reason"] == sender_error["Reason"] == "TWO_WAY_CONFIG_MISMATCH"


def test_keywords_match_case_insensitively_and_keep_the_latest_spelling(make_pool: Any, client: Any) -> None:
    pool = make_pool()

    client.put_keyword(OriginationIdentity=pool["PoolId"], Keyword="Join", KeywordMessage="one")
    client.put_keyword(OriginationIdentity=pool["PoolId"], Keyword="JOIN", KeywordMessage="two")
    client.put_keyword(OriginationIdentity=pool["PoolId"], Keyword="help", KeywordMessage="Call us")

    listed = client.describe_keywords(OriginationIdentity=pool["PoolId"])["Keywords"]
    assert [(k["Keyword"], k["KeywordMessage"]) for k in listed] == [
        ("STOP", "You have been unsubscribed and will receive no further messages."),
        ("JOIN", "two"),
        ("help", "Call us"),
    ]


def test_keywords_of_a_phone_number_that_is_not_active_cannot_change(emulator: Emulator, client: Any) -> None:
    pending = emulator.control.seed_phone_number(status="PENDING")

    error = api_error(
        client.put_keyword, OriginationIdentity=pending["PhoneNumberId"], Keyword="INFO", KeywordMessage="i"
    )
    update = api_error(
        client.update_phone_number, PhoneNumberId=pending["PhoneNumberId"], SelfManagedOptOutsEnabled=True
    )

    assert (error["Reason"], error["ResourceType"]) == ("RESOURCE_NOT_ACTIVE", "phone-number")
    assert update["Reason"] == "RESOURCE_NOT_ACTIVE"


def test_sender_id_defaults_and_deletion_protection(client: Any) -> None:
    sender = client.request_sender_id(SenderId="SAFE", IsoCountryCode="GB", DeletionProtectionEnabled=True)

    error = api_error(client.release_sender_id, SenderId="SAFE", IsoCountryCode="GB")

    assert sender["MessageTypes"] == ["TRANSACTIONAL"]
    assert error["Reason"] == "DELETION_PROTECTION_ENABLED"


def test_client_tokens_make_the_set_up_calls_idempotent(sms: Any) -> None:
    number = {
        "IsoCountryCode": "US",
        "MessageType": "TRANSACTIONAL",
        "NumberCapabilities": ["SMS"],
        "NumberType": "TOLL_FREE",
        "ClientToken": "n-1",
    }

    numbers = {sms.request_phone_number(**number)["PhoneNumberId"] for _ in range(2)}
    senders = {
        sms.request_sender_id(SenderId="ONCE", IsoCountryCode="GB", ClientToken="s-1")["SenderIdArn"]
        for _ in range(2)
    }
    lists = {
        sms.create_opt_out_list(OptOutListName="Once", ClientToken="o-1")["OptOutListArn"] for _ in range(2)
    }

    assert (len(numbers), len(senders), len(lists)) == (1, 1, 1)
    assert len(sms.describe_phone_numbers()["PhoneNumbers"]) == 1


def test_pools_per_account_quota(emulator: Emulator, sms: Any, client: Any) -> None:
    sender = emulator.control.seed_sender_id()
    for _ in range(100):
        sms.create_pool(OriginationIdentity=sender["SenderIdArn"], MessageType="TRANSACTIONAL")

    error = api_error(
        client.create_pool, OriginationIdentity=sender["SenderIdArn"], MessageType="TRANSACTIONAL"
    )

    assert (error["Code"], error["Reason"]) == ("ServiceQuotaExceededException", "POOLS_PER_ACCOUNT")


def test_release_of_a_number_in_a_deleting_pool_waits_for_the_pool_to_go(
    emulator: Emulator, client: Any
) -> None:
    emulator.control.set_activation_delay(30)
    phone = emulator.control.seed_phone_number()
    pool = client.create_pool(OriginationIdentity=phone["PhoneNumberId"], MessageType="TRANSACTIONAL")

    error = api_error(client.release_phone_number, PhoneNumberId=phone["PhoneNumberId"])

    assert error["Reason"] == "PHONE_NUMBER_ASSOCIATED_TO_POOL"
    assert client.describe_pools(PoolIds=[pool["PoolId"]])["Pools"][0]["Status"] == "CREATING"


def test_the_control_plane_speaks_plain_http_json(emulator: Emulator, sms: Any) -> None:
    base = f"{emulator.endpoint_url}/_localcloud/"

    def post(action: str, payload: dict[str, Any]) -> tuple[int, Any]:
        request = urllib.request.Request(base + action, data=json.dumps(payload).encode(), method="POST")  # noqa: S310  # loopback
        try:
            with urllib.request.urlopen(request) as response:  # noqa: S310  # loopback
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    status, seeded = post("seed/opt-out-list", {"name": "ViaHttp"})
    bad_status, bad = post("no-such-action", {})
    with urllib.request.urlopen(base + "health") as response:  # noqa: S310  # loopback
        health = json.loads(response.read())

    assert (status, seeded["OptOutListName"]) == (200, "ViaHttp")
    assert bad_status == 400
    assert "no-such-action" in bad["error"]
    assert health == {"ok": True}
    assert "ViaHttp" in [o["OptOutListName"] for o in sms.describe_opt_out_lists()["OptOutLists"]]


def test_in_process_emulator_refuses_a_corrupt_state_file(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text("{")

    with pytest.raises(StateFileError, match="not valid JSON"):
        Emulator(state_file=state)


def test_in_process_emulator_persists_between_instances(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with Emulator(state_file=state) as first:
        seeded = first.control.seed_sender_id()
    with Emulator(state_file=state) as second:
        sms = sms_client(second.endpoint_url)
        described = sms.describe_sender_ids()["SenderIds"]

    assert [s["SenderIdArn"] for s in described] == [seeded["SenderIdArn"]]
