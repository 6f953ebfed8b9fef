"""ClientToken idempotency and NextToken/MaxResults pagination."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config

from localcloud.sms_voice import Emulator
from localcloud.sms_voice.control import ControlError
from tests.emulator.emulator_helpers import api_error


def test_repeated_create_pool_token_returns_the_first_pool(emulator: Emulator, sms: Any) -> None:
    phone = emulator.control.seed_phone_number()
    request = {
        "OriginationIdentity": phone["PhoneNumberId"],
        "MessageType": "TRANSACTIONAL",
        "ClientToken": "t-1",
    }

    first = sms.create_pool(**request)
    second = sms.create_pool(**request)

    assert second["PoolId"] == first["PoolId"]
    assert len(sms.describe_pools()["Pools"]) == 1


def test_a_token_reused_with_other_parameters_is_rejected(emulator: Emulator, client: Any) -> None:
    phone = emulator.control.seed_phone_number()
    client.create_pool(
        OriginationIdentity=phone["PhoneNumberId"], MessageType="TRANSACTIONAL", ClientToken="t-2"
    )

    error = api_error(
        client.create_pool,
        OriginationIdentity=phone["PhoneNumberId"],
        MessageType="TRANSACTIONAL",
        DeletionProtectionEnabled=True,
        ClientToken="t-2",
    )

    assert (error["Code"], error["Reason"]) == ("ValidationException", "INVALID_REQUEST")


def test_repeated_associate_and_disassociate_tokens_return_the_first_result(
    emulator: Emulator, make_pool: Any, sms: Any
) -> None:
    pool = make_pool()
    extra = emulator.control.seed_phone_number()
    associate = {
        "PoolId": pool["PoolId"],
        "OriginationIdentity": extra["PhoneNumberId"],
        "ClientToken": "a-1",
    }
    disassociate = {**associate, "ClientToken": "d-1"}

    first = sms.associate_origination_identity(**associate)
    repeated = sms.associate_origination_identity(**associate)
    first.pop("ResponseMetadata")
    repeated.pop("ResponseMetadata")

    assert repeated == first
    sms.disassociate_origination_identity(**disassociate)
    again = sms.disassociate_origination_identity(**disassociate)

    assert again["OriginationIdentity"] == extra["PhoneNumberId"]
    members = sms.list_pool_origination_identities(PoolId=pool["PoolId"])["OriginationIdentities"]
    assert [m["OriginationIdentity"] for m in members] == [pool["SeedPhone"]["PhoneNumberId"]]


def test_a_failed_call_does_not_consume_its_token(emulator: Emulator, client: Any) -> None:
    phone = emulator.control.seed_phone_number(status="PENDING")
    request = {
        "OriginationIdentity": phone["PhoneNumberId"],
        "MessageType": "TRANSACTIONAL",
        "ClientToken": "t-3",
    }

    assert api_error(client.create_pool, **request)["Reason"] == "RESOURCE_NOT_ACTIVE"
    assert api_error(client.create_pool, **request)["Reason"] == "RESOURCE_NOT_ACTIVE"


def test_a_retry_after_a_lost_response_creates_one_pool(emulator: Emulator, sms_endpoint: str) -> None:
    phone = emulator.control.seed_phone_number()
    emulator.control.add_fault("CreatePool", "drop_connection", when="after")
    retrying = boto3.client(
        "pinpoint-sms-voice-v2",
        endpoint_url=sms_endpoint,
        region_name="us-east-1",
        config=Config(retries={"mode": "standard", "total_max_attempts": 3}),
    )

    pool = retrying.create_pool(OriginationIdentity=phone["PhoneNumberId"], MessageType="TRANSACTIONAL")

    assert [p["PoolId"] for p in retrying.describe_pools()["Pools"]] == [pool["PoolId"]]
    creates = [c for c in emulator.control.calls() if c["operation"] == "CreatePool"]
    assert [c["outcome"] for c in creates] == ["connection_dropped", "ok"]
    assert creates[0]["request"]["ClientToken"] == creates[1]["request"]["ClientToken"]


def test_pages_cover_every_pool_once(make_pool: Any, sms: Any) -> None:
    made = {make_pool()["PoolId"] for _ in range(7)}

    seen: list[str] = []
    kwargs: dict[str, Any] = {"MaxResults": 3}
    pages = 0
    while True:
        page = sms.describe_pools(**kwargs)
        pages += 1
        assert len(page["Pools"]) <= 3
        seen += [p["PoolId"] for p in page["Pools"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]

    assert pages == 3
    assert sorted(seen) == sorted(made)


def test_default_page_size_is_ten_and_paginators_work(make_pool: Any, sms: Any) -> None:
    for _ in range(12):
        make_pool()

    first = sms.describe_pools()
    everything = [p for page in sms.get_paginator("describe_pools").paginate() for p in page["Pools"]]

    assert len(first["Pools"]) == 10
    assert "NextToken" in first
    assert len(everything) == 12


def test_pagination_combines_with_filters(make_pool: Any, sms: Any) -> None:
    protected = set()
    for index in range(6):
        pool = make_pool()
        if index % 2:
            sms.update_pool(PoolId=pool["PoolId"], DeletionProtectionEnabled=True)
            protected.add(pool["PoolId"])

    pages = sms.get_paginator("describe_pools").paginate(
        Filters=[{"Name": "deletion-protection-enabled", "Values": ["true"]}],
        PaginationConfig={"PageSize": 2},
    )

    assert {p["PoolId"] for page in pages for p in page["Pools"]} == protected


def test_keywords_and_identities_paginate(emulator: Emulator, make_pool: Any, sms: Any) -> None:
    pool = make_pool()
    for index in range(4):
        sms.put_keyword(OriginationIdentity=pool["PoolId"], Keyword=f"K{index}", KeywordMessage="m")
        sender = emulator.control.seed_sender_id(sender_id=f"BRAND{index}")
        sms.associate_origination_identity(PoolId=pool["PoolId"], OriginationIdentity=sender["SenderIdArn"])

    keywords = sms.get_paginator("describe_keywords").paginate(
        OriginationIdentity=pool["PoolId"], PaginationConfig={"PageSize": 2}
    )
    identities = sms.get_paginator("list_pool_origination_identities").paginate(
        PoolId=pool["PoolId"], PaginationConfig={"PageSize": 2}
    )

    assert len([k for page in keywords for k in page["Keywords"]]) == 6
    assert len([i for page in identities for i in page["OriginationIdentities"]]) == 5


def test_a_foreign_or_corrupt_next_token_is_rejected(make_pool: Any, client: Any) -> None:
    for _ in range(3):
        make_pool()
    token = client.describe_pools(MaxResults=1)["NextToken"]

    foreign = api_error(client.describe_phone_numbers, NextToken=token)
    corrupt = api_error(client.describe_pools, NextToken="not-a-token")

    assert (foreign["Code"], foreign["Reason"]) == ("ValidationException", "INVALID_NEXT_TOKEN")
    assert corrupt["Reason"] == "INVALID_NEXT_TOKEN"


def test_the_page_size_setting_pages_answers_to_id_lists_too(emulator: Emulator, sms: Any) -> None:
    phones = [emulator.control.seed_phone_number()["PhoneNumberId"] for _ in range(3)]
    emulator.control.set_page_size(1)

    first = sms.describe_phone_numbers(PhoneNumberIds=phones, MaxResults=5)
    second = sms.describe_phone_numbers(PhoneNumberIds=phones, NextToken=first["NextToken"])
    third = sms.describe_phone_numbers(PhoneNumberIds=phones, NextToken=second["NextToken"])

    pages = [first, second, third]
    assert [len(page["PhoneNumbers"]) for page in pages] == [1, 1, 1]
    assert "NextToken" not in third
    assert [page["PhoneNumbers"][0]["PhoneNumberId"] for page in pages] == phones
    emulator.control.set_page_size(None)
    assert "NextToken" not in sms.describe_phone_numbers(PhoneNumberIds=phones)
    with pytest.raises(ControlError, match="HTTP 400"):
        emulator.control.set_page_size(0)
