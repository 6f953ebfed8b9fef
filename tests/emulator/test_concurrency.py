"""Concurrent clients: the emulator serialises state changes and answers every client."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import ClientError

from localcloud.sms_voice import Emulator
from tests.support.harness import sms_client

THREADS = 8


def test_concurrent_clients_each_create_and_fill_a_pool(emulator: Emulator, sms_endpoint: str) -> None:
    phones = [[emulator.control.seed_phone_number() for _ in range(3)] for _ in range(THREADS)]

    def work(own: list[dict[str, Any]]) -> str:
        sms = sms_client(sms_endpoint)
        pool = sms.create_pool(OriginationIdentity=own[0]["PhoneNumberId"], MessageType="TRANSACTIONAL")
        for phone in own[1:]:
            sms.associate_origination_identity(
                PoolId=pool["PoolId"], OriginationIdentity=phone["PhoneNumberArn"]
            )
        sms.put_keyword(OriginationIdentity=pool["PoolId"], Keyword="JOIN", KeywordMessage="Hi")
        return str(pool["PoolId"])

    with ThreadPoolExecutor(THREADS) as executor:
        pool_ids = list(executor.map(work, phones))

    assert [c["outcome"] for c in emulator.control.calls()] == ["ok"] * THREADS * 4
    sms = sms_client(sms_endpoint)
    assert len(set(pool_ids)) == THREADS
    for pool_id, own in zip(pool_ids, phones, strict=True):
        members = sms.list_pool_origination_identities(PoolId=pool_id)["OriginationIdentities"]
        assert sorted(m["OriginationIdentity"] for m in members) == sorted(p["PhoneNumberId"] for p in own)


def test_racing_associations_of_one_phone_number_have_exactly_one_winner(
    emulator: Emulator, sms_endpoint: str
) -> None:
    sms = sms_client(sms_endpoint)
    pools = [
        sms.create_pool(
            OriginationIdentity=emulator.control.seed_phone_number()["PhoneNumberId"],
            MessageType="TRANSACTIONAL",
        )
        for _ in range(THREADS)
    ]
    contested = emulator.control.seed_phone_number()

    def attempt(pool: dict[str, Any]) -> str:
        try:
            sms_client(sms_endpoint).associate_origination_identity(
                PoolId=pool["PoolId"], OriginationIdentity=contested["PhoneNumberId"]
            )
        except ClientError as error:
            return str(error.response["Reason"])
        return "ok"

    with ThreadPoolExecutor(THREADS) as executor:
        outcomes = list(executor.map(attempt, pools))

    assert sorted(outcomes) == ["PHONE_NUMBER_ASSOCIATED_TO_POOL"] * (THREADS - 1) + ["ok"]
    owner = sms.describe_phone_numbers(PhoneNumberIds=[contested["PhoneNumberId"]])["PhoneNumbers"][0][
        "PoolId"
    ]
    assert owner == pools[outcomes.index("ok")]["PoolId"]
