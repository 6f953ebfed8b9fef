"""Repeated deliveries, throttling, 5xx storms, lost answers, failures after CreatePool, timeouts."""

from __future__ import annotations

from typing import Any

import boto3
import index  # the Lambda module (lambda/pool_provider, on pytest's pythonpath)
import pool_client
import pytest

from tests.provider.conftest import FakeContext, Provider, make_event
from tests.support.harness import fast_retry_backoff


def _pools(sms: Any) -> list[dict[str, Any]]:
    pools: list[dict[str, Any]] = sms.describe_pools()["Pools"]
    return pools


def _members(sms: Any, pool_id: str) -> set[str]:
    found = sms.list_pool_origination_identities(PoolId=pool_id, MaxResults=100)["OriginationIdentities"]
    return {m["OriginationIdentityArn"] for m in found}


@pytest.mark.parametrize("identity", ["phone number", "sender ID"])
def test_a_repeated_delivery_of_the_same_create_ends_with_one_pool(
    provider: Provider, sms: Any, identity: str
) -> None:
    if identity == "phone number":
        first = provider.control.seed_phone_number()["PhoneNumberArn"]
    else:
        first = provider.control.seed_sender_id("ACME", "US")["SenderIdArn"]
    second = provider.control.seed_phone_number()["PhoneNumberId"]
    props = {"OriginationIdentities": [first, second], "Tags": [{"Key": "team", "Value": "sms"}]}
    event = make_event("Create", props, request_id="same-request")

    answers = [provider.send(event), provider.send(dict(event))]

    assert [a["Status"] for a in answers] == ["SUCCESS", "SUCCESS"], [a["Reason"] for a in answers]
    assert answers[0]["PhysicalResourceId"] == answers[1]["PhysicalResourceId"]
    assert answers[0]["Data"] == answers[1]["Data"]
    assert [p["PoolId"] for p in _pools(sms)] == [answers[0]["PhysicalResourceId"]]
    assert provider.operations().count("CreatePool") <= 2  # a replayed ClientToken, never a second pool


def test_a_retried_deployment_reusing_the_request_id_makes_a_new_pool_after_the_old_was_deleted(
    provider: Provider, sms: Any
) -> None:
    phone = provider.control.seed_phone_number()
    props = {"OriginationIdentities": [phone["PhoneNumberId"]]}
    first = provider.send(make_event("Create", props, request_id="retried"))
    assert provider.delete(first["PhysicalResourceId"], props)["Status"] == "SUCCESS"

    again = provider.send(make_event("Create", props, request_id="retried"))

    assert again["Status"] == "SUCCESS", again["Reason"]
    assert again["PhysicalResourceId"] != first["PhysicalResourceId"]
    assert [p["PoolId"] for p in _pools(sms)] == [again["PhysicalResourceId"]]
    assert _members(sms, again["PhysicalResourceId"]) == {phone["PhoneNumberArn"]}


@pytest.mark.parametrize(
    "faults",
    [
        [("CreatePool", "throttle", 2), ("DescribePhoneNumbers", "throttle", 2)],
        [("CreatePool", "internal_error", 2), ("AssociateOriginationIdentity", "internal_error", 2)],
        [
            ("DescribeKeywords", "drop_connection", 1),
            ("TagResource", "throttle", 1),
            ("PutKeyword", "internal_error", 1),
        ],
    ],
    ids=["throttling", "5xx", "mixed"],
)
def test_create_rides_out_throttling_and_server_errors(
    provider: Provider, sms: Any, faults: list[tuple[str, str, int]]
) -> None:
    phones = [provider.control.seed_phone_number() for _ in range(2)]
    for operation, kind, count in faults:
        provider.control.add_fault(operation, kind, count=count)

    answer = provider.create(
        {
            "OriginationIdentities": [p["PhoneNumberId"] for p in phones],
            "OptionalKeywords": [{"Keyword": "JOIN", "Message": "Hi", "Action": "OPT_IN"}],
            "Tags": [{"Key": "team", "Value": "sms"}],
        }
    )

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert len(_pools(sms)) == 1
    assert _members(sms, answer["PhysicalResourceId"]) == {p["PhoneNumberArn"] for p in phones}
    outcomes = {c["outcome"] for c in provider.control.calls()}
    assert outcomes - {"ok"}, "no fault was injected"


def test_create_under_the_realistic_request_rate_succeeds(provider: Provider, sms: Any) -> None:
    phones = [provider.control.seed_phone_number() for _ in range(3)]
    provider.control.set_rate_profile("realistic")
    try:
        answer = provider.create({"OriginationIdentities": [p["PhoneNumberArn"] for p in phones]}, seconds=60)
    finally:
        provider.control.set_rate_profile("off")

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert _members(sms, answer["PhysicalResourceId"]) == {p["PhoneNumberArn"] for p in phones}


@pytest.mark.parametrize("kind", ["drop_connection", "internal_error"])
def test_a_lost_createpool_answer_does_not_make_a_second_pool(
    provider: Provider, sms: Any, kind: str
) -> None:
    phone = provider.control.seed_phone_number()
    provider.control.add_fault("CreatePool", kind, when="after")

    answer = provider.create({"OriginationIdentities": [phone["PhoneNumberId"]]})

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert [p["PoolId"] for p in _pools(sms)] == [answer["PhysicalResourceId"]]


def test_a_lost_association_answer_is_not_an_error(provider: Provider, sms: Any) -> None:
    phones = [provider.control.seed_phone_number() for _ in range(2)]
    provider.control.add_fault("AssociateOriginationIdentity", "drop_connection", when="after")

    answer = provider.create({"OriginationIdentities": [p["PhoneNumberId"] for p in phones]})

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert _members(sms, answer["PhysicalResourceId"]) == {p["PhoneNumberArn"] for p in phones}


def test_a_create_that_fails_after_createpool_deletes_the_pool(provider: Provider, sms: Any) -> None:
    seed = provider.control.seed_phone_number(keywords={"INFO": ("Info", "AUTOMATIC_RESPONSE")})
    clashing = provider.control.seed_phone_number(keywords={"INFO": ("Info", "OPT_IN")})
    props = {"OriginationIdentities": [seed["PhoneNumberId"], clashing["PhoneNumberId"]]}

    answer = provider.create(props)

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith("AssociateOriginationIdentity for " + clashing["PhoneNumberId"])
    assert "KEYWORD_MISMATCH" in answer["Reason"]
    # The answer names the pool that was made (and deleted), so the rollback Delete is harmless.
    assert answer["PhysicalResourceId"].startswith("pool-")
    assert "DeletePool" in provider.operations()
    assert _pools(sms) == []
    assert provider.delete(answer["PhysicalResourceId"], props)["Status"] == "SUCCESS"


def test_a_protected_pool_is_still_cleaned_up_when_its_create_fails(provider: Provider, sms: Any) -> None:
    seed = provider.control.seed_phone_number(keywords={"INFO": ("Info", "AUTOMATIC_RESPONSE")})
    clashing = provider.control.seed_phone_number(keywords={"INFO": ("Info", "OPT_IN")})
    props = {
        "OriginationIdentities": [seed["PhoneNumberId"], clashing["PhoneNumberId"]],
        "DeletionProtectionEnabled": "true",
    }

    answer = provider.create(props)

    assert answer["Status"] == "FAILED"
    assert _pools(sms) == []


def test_a_pool_that_stays_creating_fails_in_time_with_its_id_and_the_rollback_delete_removes_it(
    provider: Provider, sms: Any
) -> None:
    phone = provider.control.seed_phone_number()
    props = {"OriginationIdentities": [phone["PhoneNumberId"]]}
    provider.control.set_activation_delay(6)

    # Five seconds of Lambda time: the wait gives up with time left to answer (crhelper's own
    # timer would answer with an empty PhysicalResourceId at 4.5 s, and two answers fail the test).
    answer = provider.send(make_event("Create", props), seconds=5)

    assert answer["Status"] == "FAILED"
    pool_id = answer["PhysicalResourceId"]
    assert pool_id.startswith("pool-")
    assert answer["Reason"].startswith(f"Pool {pool_id} is still CREATING")
    assert "rollback deletes it" in answer["Reason"]

    deleted = provider.delete(pool_id, props)
    assert deleted["Status"] == "SUCCESS", deleted["Reason"]
    assert [p["Status"] for p in _pools(sms)] in ([], ["DELETING"])


def test_the_fake_context_runs_down() -> None:
    context = FakeContext(10)
    assert 9000 < context.get_remaining_time_in_millis() <= 10000


def test_slow_calls_stop_the_create_in_time_and_the_pool_is_cleaned_up(provider: Provider, sms: Any) -> None:
    phones = [provider.control.seed_phone_number() for _ in range(3)]
    provider.control.add_fault("AssociateOriginationIdentity", "latency", latency_seconds=4.0)

    answer = provider.send(
        make_event("Create", {"OriginationIdentities": [p["PhoneNumberId"] for p in phones]}), seconds=6
    )

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith("The Lambda ran out of time before associating")
    assert answer["PhysicalResourceId"].startswith("pool-")
    assert _pools(sms) == []


def test_update_of_a_pool_deleted_outside_the_stack_makes_a_new_pool(provider: Provider, sms: Any) -> None:
    phone = provider.control.seed_phone_number()
    props = {"OriginationIdentities": [phone["PhoneNumberId"]]}
    old_id = provider.create(props)["PhysicalResourceId"]
    sms.delete_pool(PoolId=old_id)

    answer = provider.update(old_id, {**props, "SharedRoutesEnabled": "true"}, props)

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] not in (old_id, "")
    assert [p["PoolId"] for p in _pools(sms)] == [answer["PhysicalResourceId"]]
    assert answer["Data"]["SharedRoutesEnabled"] == "true"


def test_crhelpers_own_timeout_answer_names_the_pool_once_it_exists(provider: Provider, sms: Any) -> None:
    phone = provider.control.seed_phone_number()
    # A call that outlasts the Lambda: crhelper's timer answers before the handler can.
    provider.control.add_fault("DescribeKeywords", "latency", latency_seconds=3.0)
    event = make_event("Create", {"OriginationIdentities": [phone["PhoneNumberId"]]})

    index.handler(event, FakeContext(2.5))

    timer_answer = provider.responses.bodies[0]
    assert (timer_answer["Status"], timer_answer["Reason"]) == ("FAILED", "Execution timed out")
    assert timer_answer["PhysicalResourceId"].startswith("pool-")
    # (In Lambda the function is stopped here; run on, the handler still deletes its pool.)
    assert _pools(sms) == []


def test_throttling_beyond_botocores_usual_ten_retries_is_ridden_out_while_time_allows(
    provider: Provider, sms: Any, short_retry_pauses: float
) -> None:
    phone = provider.control.seed_phone_number()
    for operation in ("DescribePhoneNumbers", "CreatePool", "DescribeKeywords"):
        provider.control.add_fault(operation, "throttle", count=20)

    answer = provider.create({"OriginationIdentities": [phone["PhoneNumberId"]]})

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert [p["PoolId"] for p in _pools(sms)] == [answer["PhysicalResourceId"]]
    assert provider.operations().count("CreatePool") == 21


def test_throttling_that_outlasts_the_lambda_stops_in_time_to_clean_up_and_answer(
    provider: Provider, sms: Any
) -> None:
    phones = [provider.control.seed_phone_number() for _ in range(2)]
    provider.control.add_fault("AssociateOriginationIdentity", "throttle", count=1000)
    event = make_event("Create", {"OriginationIdentities": [p["PhoneNumberId"] for p in phones]})

    with fast_retry_backoff(0.2):
        answer = provider.send(event, seconds=8)  # one answer: the provider's, not crhelper's timer

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith(
        f"AssociateOriginationIdentity for {phones[1]['PhoneNumberId']} failed"
    )
    assert "ThrottlingException" in answer["Reason"]
    assert _pools(sms) == []
    # The Lambda's time ended the retries, not the attempt count.
    attempts = provider.operations().count("AssociateOriginationIdentity")
    assert 1 < attempts < pool_client.MAX_ATTEMPTS


def test_a_connection_lost_beyond_the_retries_names_the_call_and_its_subject(
    provider: Provider, sms: Any, short_retry_pauses: float
) -> None:
    phones = [provider.control.seed_phone_number() for _ in range(2)]
    both = {"OriginationIdentities": [p["PhoneNumberId"] for p in phones]}
    one = {"OriginationIdentities": [phones[0]["PhoneNumberId"]]}
    pool_id = provider.create(both)["PhysicalResourceId"]
    provider.control.add_fault("DisassociateOriginationIdentity", "drop_connection", count=1000)

    answer = provider.update(pool_id, one, both)

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith(
        f"DisassociateOriginationIdentity for {phones[1]['PhoneNumberId']} failed: ConnectionClosedError"
    ), answer["Reason"]
    assert _members(sms, pool_id) == {p["PhoneNumberArn"] for p in phones}


def _attempts_per_call() -> int:
    """Every attempt the provider's client makes for one call (botocore counts the first one too)."""
    client = boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1", config=pool_client.CLIENT_CONFIG)
    return int(client.meta.config.retries["total_max_attempts"])


@pytest.mark.parametrize("seed", ["phone number", "sender ID"])
def test_a_pool_made_by_a_createpool_whose_every_answer_was_lost_is_found_and_completed(
    provider: Provider, sms: Any, short_retry_pauses: float, seed: str
) -> None:
    if seed == "phone number":
        first = provider.control.seed_phone_number()["PhoneNumberId"]
    else:
        first = provider.control.seed_sender_id("ACME", "US")["SenderIdArn"]
    second = provider.control.seed_phone_number()
    props = {"OriginationIdentities": [first, second["PhoneNumberId"]], "DeletionProtectionEnabled": "true"}
    # The first attempt makes the pool; it and every retry (the same ClientToken) lose their answer.
    provider.control.add_fault("CreatePool", "drop_connection", when="after", count=_attempts_per_call())

    answer = provider.create(props)

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert [p["PoolId"] for p in _pools(sms)] == [answer["PhysicalResourceId"]]
    assert second["PhoneNumberArn"] in _members(sms, answer["PhysicalResourceId"])
    assert answer["Data"]["DeletionProtectionEnabled"] == "true"


def test_a_replacement_whose_every_createpool_answer_was_lost_completes_the_new_pool(
    provider: Provider, sms: Any, short_retry_pauses: float
) -> None:
    us = provider.control.seed_phone_number()
    gb = provider.control.seed_phone_number(iso_country_code="GB")
    old = {"OriginationIdentities": [us["PhoneNumberId"]]}
    new = {"OriginationIdentities": [gb["PhoneNumberId"]], "IsoCountryCode": "GB"}
    old_id = provider.create(old)["PhysicalResourceId"]
    provider.control.add_fault("CreatePool", "drop_connection", when="after", count=1000)

    answer = provider.update(old_id, new, old)

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    new_id = answer["PhysicalResourceId"]
    assert new_id != old_id
    assert {p["PoolId"] for p in _pools(sms)} == {old_id, new_id}
    assert _members(sms, new_id) == {gb["PhoneNumberArn"]}


def test_a_createpool_that_cannot_be_confirmed_says_a_pool_may_be_left(
    provider: Provider, sms: Any, short_retry_pauses: float
) -> None:
    sender = provider.control.seed_sender_id("ACME", "US")["SenderIdArn"]
    # Every answer lost, the replay's too: the pool cannot be found, so the answer must say so.
    provider.control.add_fault("CreatePool", "drop_connection", when="after", count=1000)

    answer = provider.create({"OriginationIdentities": [sender]})

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith("CreatePool for ACME failed: ConnectionClosedError"), answer["Reason"]
    assert "A pool may have been made with tag smsvoicepool:create-token=" in answer["Reason"]
