"""Pool lifecycle through boto3 over HTTP: create, describe, update, delete."""

from __future__ import annotations

from typing import Any

import pytest

from localcloud.sms_voice import Emulator


def test_created_pool_inherits_configuration_from_its_first_phone_number(
    emulator: Emulator, sms: Any
) -> None:
    phone = emulator.control.seed_phone_number(keywords={"JOIN": ("Welcome", "OPT_IN")})

    pool = sms.create_pool(OriginationIdentity=phone["PhoneNumberArn"], MessageType="TRANSACTIONAL")

    assert pool["PoolArn"] == f"arn:aws:sms-voice:us-east-1:000000000000:pool/{pool['PoolId']}"
    assert pool["Status"] == "ACTIVE"
    assert pool["OptOutListName"] == "Default"
    keywords = sms.describe_keywords(OriginationIdentity=pool["PoolId"])["Keywords"]
    assert {k["Keyword"]: k["KeywordAction"] for k in keywords} == {
        "HELP": "AUTOMATIC_RESPONSE",
        "STOP": "OPT_OUT",
        "JOIN": "OPT_IN",
    }


def test_deleted_pool_is_gone_with_resource_type_pool(emulator: Emulator, sms: Any) -> None:
    phone = emulator.control.seed_phone_number()
    pool = sms.create_pool(OriginationIdentity=phone["PhoneNumberId"], MessageType="TRANSACTIONAL")

    assert sms.delete_pool(PoolId=pool["PoolId"])["Status"] == "DELETING"

    with pytest.raises(sms.exceptions.ResourceNotFoundException) as raised:
        sms.describe_pools(PoolIds=[pool["PoolId"]])
    assert raised.value.response["ResourceType"] == "pool"
    numbers = sms.describe_phone_numbers(PhoneNumberIds=[phone["PhoneNumberId"]])["PhoneNumbers"]
    assert "PoolId" not in numbers[0]
