"""The control plane seeds a pool the way a console user makes one: through the API's own rules,
unlogged, ACTIVE at once; and no API call removes the aws: tags AWS itself set on a pool."""

from __future__ import annotations

from typing import Any

import pytest

from localcloud.sms_voice import Emulator
from localcloud.sms_voice.control import ControlError
from tests.emulator.emulator_helpers import api_error


def test_a_seeded_pool_has_everything_the_console_user_set(emulator: Emulator, sms: Any) -> None:
    emulator.control.set_activation_delay(30.0)  # a console user waited: the pool is ACTIVE at once
    first = emulator.control.seed_phone_number()
    second = emulator.control.seed_phone_number()
    emulator.control.clear_calls()

    pool = emulator.control.seed_pool(
        [first["PhoneNumberArn"], second["PhoneNumberId"]],
        settings={"DeletionProtectionEnabled": True, "SharedRoutesEnabled": True},
        keywords={"INFO": ("Info reply", "AUTOMATIC_RESPONSE")},
        tags={"owner": "console"},
        system_tags={"aws:cloudformation:stack-name": "Native"},
    )

    assert emulator.control.calls() == [], "seeding is not an API call"
    described = sms.describe_pools(PoolIds=[pool["PoolId"]])["Pools"][0]
    assert {k: v for k, v in described.items() if k != "CreatedTimestamp"} == {
        k: v for k, v in pool.items() if k != "CreatedTimestamp"
    }
    assert (pool["Status"], pool["DeletionProtectionEnabled"], pool["SharedRoutesEnabled"]) == (
        "ACTIVE",
        True,
        True,
    )
    members = sms.list_pool_origination_identities(PoolId=pool["PoolId"])["OriginationIdentities"]
    assert [m["OriginationIdentityArn"] for m in members] == [
        first["PhoneNumberArn"],
        second["PhoneNumberArn"],
    ]
    keywords = sms.describe_keywords(OriginationIdentity=pool["PoolId"])["Keywords"]
    assert {k["Keyword"] for k in keywords} == {"HELP", "STOP", "INFO"}
    tags = sms.list_tags_for_resource(ResourceArn=pool["PoolArn"])["Tags"]
    assert {t["Key"]: t["Value"] for t in tags} == {
        "owner": "console",
        "aws:cloudformation:stack-name": "Native",
    }


def test_a_seed_the_api_would_refuse_fails_with_the_api_error(emulator: Emulator, sms: Any) -> None:
    phone = emulator.control.seed_phone_number()
    emulator.control.seed_pool([phone["PhoneNumberArn"]])

    with pytest.raises(ControlError, match="ConflictException"):
        emulator.control.seed_pool([phone["PhoneNumberArn"]])


def test_a_seed_breaking_the_service_model_fails_with_the_api_error_and_leaves_nothing(
    emulator: Emulator, sms: Any
) -> None:
    kept = emulator.control.seed_pool([emulator.control.seed_phone_number()["PhoneNumberArn"]])
    phone = emulator.control.seed_phone_number()
    bad_keyword = {"Keyword": "INFO", "KeywordMessage": "x" * 5000, "KeywordAction": "BOGUS"}
    # botocore checks neither maximum lengths nor enums before sending: the emulator's API answers.
    api = api_error(sms.put_keyword, OriginationIdentity=kept["PoolId"], **bad_keyword)

    with pytest.raises(ControlError) as refused:
        emulator.control.seed_pool(
            [phone["PhoneNumberArn"]], keywords={"INFO": (bad_keyword["KeywordMessage"], "BOGUS")}
        )

    assert (api["Code"], api["Reason"]) == ("ValidationException", "FIELD_VALIDATION_FAILED")
    assert f"ValidationException: {api['Message']}" in str(refused.value)
    assert [p["PoolId"] for p in sms.describe_pools()["Pools"]] == [kept["PoolId"]]
    assert (
        "PoolId" not in sms.describe_phone_numbers(PhoneNumberIds=[phone["PhoneNumberId"]])["PhoneNumbers"][0]
    )


def test_a_seed_refused_midway_leaves_nothing_behind(emulator: Emulator, sms: Any) -> None:
    """CreatePool and the association succeed, UpdatePool is refused: the pool goes with it."""
    phones = [emulator.control.seed_phone_number() for _ in range(2)]
    before = sms.describe_phone_numbers()["PhoneNumbers"]

    with pytest.raises(ControlError, match="ValidationException"):
        emulator.control.seed_pool([p["PhoneNumberArn"] for p in phones], settings={"TwoWayEnabled": True})

    assert sms.describe_pools()["Pools"] == []
    assert sms.describe_phone_numbers()["PhoneNumbers"] == before
    emulator.control.seed_pool([p["PhoneNumberArn"] for p in phones])  # both identities are free again


def test_aws_tags_cannot_be_removed(emulator: Emulator, sms: Any) -> None:
    phone = emulator.control.seed_phone_number()
    pool = emulator.control.seed_pool(
        [phone["PhoneNumberArn"]], system_tags={"aws:cloudformation:logical-id": "P"}
    )

    error = api_error(
        sms.untag_resource, ResourceArn=pool["PoolArn"], TagKeys=["aws:cloudformation:logical-id"]
    )

    assert (error["Code"], error["Reason"]) == ("ValidationException", "FIELD_VALIDATION_FAILED")
    tags = sms.list_tags_for_resource(ResourceArn=pool["PoolArn"])["Tags"]
    assert tags == [{"Key": "aws:cloudformation:logical-id", "Value": "P"}]
