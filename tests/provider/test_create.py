"""Create: ids and ARNs, inheritance, keywords, settings, tags, and the answer CloudFormation gets."""

from __future__ import annotations

import json
from typing import Any

import contract
import pytest

from tests.provider.conftest import Provider


def test_create_from_a_phone_number_id_answers_success_with_every_attribute(
    provider: Provider, sms: Any
) -> None:
    phone = provider.control.seed_phone_number()

    answer = provider.create({"OriginationIdentities": [phone["PhoneNumberId"]]})

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    pool_id = answer["PhysicalResourceId"]
    assert pool_id.startswith("pool-")
    pool = sms.describe_pools(PoolIds=[pool_id])["Pools"][0]
    assert answer["Data"] == {
        "PoolId": pool_id,
        "Arn": pool["PoolArn"],
        "MessageType": "TRANSACTIONAL",
        "IsoCountryCode": "US",
        "Status": "ACTIVE",
        "TwoWayEnabled": "false",
        "SelfManagedOptOutsEnabled": "false",
        "SharedRoutesEnabled": "false",
        "DeletionProtectionEnabled": "false",
        "OptOutListName": "Default",
    }
    assert set(answer["Data"]) == set(contract.ATTRIBUTES)
    assert len(provider.responses.raw[-1]) < 4096
    members = sms.list_pool_origination_identities(PoolId=pool_id)["OriginationIdentities"]
    assert [m["OriginationIdentityArn"] for m in members] == [phone["PhoneNumberArn"]]


def test_create_makes_the_minimum_calls(provider: Provider) -> None:
    phone = provider.control.seed_phone_number()
    provider.control.clear_calls()

    answer = provider.create({"OriginationIdentities": [phone["PhoneNumberArn"]]})

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    # Look the identity up, create the pool, read the keywords it inherited: nothing else to do.
    assert provider.operations() == ["DescribePhoneNumbers", "CreatePool", "DescribeKeywords"]


def test_delete_makes_one_call_and_answers_with_the_same_id(provider: Provider, sms: Any) -> None:
    phone = provider.control.seed_phone_number()
    props = {"OriginationIdentities": [phone["PhoneNumberArn"]]}
    pool_id = provider.create(props)["PhysicalResourceId"]
    provider.control.clear_calls()

    answer = provider.delete(pool_id, props)

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] == pool_id
    assert provider.operations() == ["DeletePool"]
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.describe_pools(PoolIds=[pool_id])


def test_the_response_url_is_never_logged(provider: Provider, caplog: pytest.LogCaptureFixture) -> None:
    phone = provider.control.seed_phone_number()
    caplog.set_level("DEBUG")

    provider.create({"OriginationIdentities": [phone["PhoneNumberArn"]]})

    assert "X-Amz-Signature" not in caplog.text
    assert json.dumps(provider.responses.bodies[-1])
