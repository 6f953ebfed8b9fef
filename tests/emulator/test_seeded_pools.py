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
