"""Control-plane fault plans, rate limits and the call log, observed through boto3."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ConnectionClosedError, EndpointConnectionError

from localcloud.sms_voice import Emulator
from localcloud.sms_voice.control import ControlError
from tests.emulator.emulator_helpers import api_error, associate_error


def _outcomes(emulator: Emulator, operation: str) -> list[str]:
    return [c["outcome"] for c in emulator.control.calls() if c["operation"] == operation]


def test_throttle_fault_fails_the_next_calls_then_clears(emulator: Emulator, client: Any) -> None:
    emulator.control.add_fault("DescribePools", "throttle", count=2)

    errors = [api_error(client.describe_pools)["Code"] for _ in range(2)]
    client.describe_pools()
    client.describe_phone_numbers()

    assert errors == ["ThrottlingException"] * 2
    assert _outcomes(emulator, "DescribePools") == ["ThrottlingException", "ThrottlingException", "ok"]


def test_a_fault_plan_can_let_the_first_calls_through(emulator: Emulator, client: Any) -> None:
    emulator.control.add_fault("DescribePools", "throttle", count=1, skip=2)

    for _ in range(2):
        client.describe_pools()
    error = api_error(client.describe_pools)
    client.describe_pools()

    assert error["Code"] == "ThrottlingException"
    assert _outcomes(emulator, "DescribePools") == ["ok", "ok", "ThrottlingException", "ok"]
    with pytest.raises(ControlError, match="HTTP 400"):
        emulator.control.add_fault("DescribePools", "throttle", skip=-1)


def test_internal_error_before_has_no_effect(emulator: Emulator, client: Any) -> None:
    phone = emulator.control.seed_phone_number()
    emulator.control.add_fault("CreatePool", "internal_error")

    error = api_error(
        client.create_pool, OriginationIdentity=phone["PhoneNumberId"], MessageType="TRANSACTIONAL"
    )

    assert (error["Code"], error["HTTPStatus"]) == ("InternalServerException", 500)
    assert error["RequestId"]
    assert client.describe_pools()["Pools"] == []


def test_a_quota_fault_names_the_quota_and_is_not_retried(emulator: Emulator, client: Any) -> None:
    phone = emulator.control.seed_phone_number()
    emulator.control.add_fault("AssociateOriginationIdentity", "quota_exceeded", count=5)
    pool = client.create_pool(OriginationIdentity=phone["PhoneNumberId"], MessageType="TRANSACTIONAL")
    other = emulator.control.seed_phone_number()

    error = associate_error(client, pool["PoolId"], other["PhoneNumberId"], IsoCountryCode="US")

    assert (error["Code"], error["Reason"]) == (
        "ServiceQuotaExceededException",
        "ORIGINATION_IDENTITIES_PER_POOL",
    )
    assert _outcomes(emulator, "AssociateOriginationIdentity") == ["ServiceQuotaExceededException"]


def test_internal_error_after_takes_effect_but_loses_the_response(emulator: Emulator, client: Any) -> None:
    phone = emulator.control.seed_phone_number()
    emulator.control.add_fault("CreatePool", "internal_error", when="after")

    error = api_error(
        client.create_pool, OriginationIdentity=phone["PhoneNumberId"], MessageType="TRANSACTIONAL"
    )

    assert error["Code"] == "InternalServerException"
    assert len(client.describe_pools()["Pools"]) == 1


def test_dropped_connection_before_has_no_effect(emulator: Emulator, client: Any) -> None:
    phone = emulator.control.seed_phone_number()
    emulator.control.add_fault("CreatePool", "drop_connection")

    with pytest.raises((ConnectionClosedError, EndpointConnectionError)):
        client.create_pool(OriginationIdentity=phone["PhoneNumberId"], MessageType="TRANSACTIONAL")

    assert client.describe_pools()["Pools"] == []
    assert _outcomes(emulator, "CreatePool") == ["connection_dropped"]


def test_latency_fault_delays_the_call(emulator: Emulator, client: Any) -> None:
    emulator.control.add_fault("DescribePools", "latency", latency_seconds=0.2)

    client.describe_pools()

    [call] = emulator.control.calls()
    assert call["outcome"] == "ok"
    assert call["duration"] >= 0.2


def test_wildcard_fault_hits_whichever_operation_comes_next(emulator: Emulator, client: Any) -> None:
    emulator.control.add_fault("*", "throttle")

    first = api_error(client.describe_phone_numbers)
    client.describe_pools()

    assert first["Code"] == "ThrottlingException"


def test_clear_faults_and_reset_remove_plans(emulator: Emulator, client: Any) -> None:
    emulator.control.add_fault("DescribePools", "throttle", count=5)
    emulator.control.clear_faults()
    client.describe_pools()
    emulator.control.add_fault("DescribePools", "throttle", count=5)
    emulator.control.reset()

    client.describe_pools()

    assert _outcomes(emulator, "DescribePools") == ["ok"], "reset also cleared the call log"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"operation": "DescribePools", "kind": "explode"},
        {"operation": "DescribePools", "kind": "throttle", "when": "later"},
        {"operation": "NoSuchOperation", "kind": "throttle"},
        {"operation": "DescribePools", "kind": "throttle", "count": 0},
    ],
)
def test_bad_fault_plans_are_refused(emulator: Emulator, kwargs: dict[str, Any]) -> None:
    with pytest.raises(ControlError, match="HTTP 400"):
        emulator.control.add_fault(**kwargs)


def test_rate_limit_throttles_only_its_operation(emulator: Emulator, client: Any) -> None:
    emulator.control.set_rate_limits({"DescribePools": 0.01})  # one token, refilled every 100 s

    client.describe_pools()
    throttled = api_error(client.describe_pools)
    client.describe_phone_numbers()
    client.describe_phone_numbers()

    assert throttled["Code"] == "ThrottlingException"
    assert _outcomes(emulator, "DescribePools") == ["ok", "ThrottlingException"]


def test_realistic_profile_limits_every_operation_to_one_per_second(emulator: Emulator, client: Any) -> None:
    emulator.control.set_rate_profile("realistic")

    outcomes = []
    for _ in range(3):
        try:
            client.describe_keywords(OriginationIdentity="pool-missing")
            outcomes.append("ok")
        except client.exceptions.ThrottlingException:
            outcomes.append("ThrottlingException")
        except client.exceptions.ResourceNotFoundException:
            outcomes.append("ResourceNotFoundException")

    assert outcomes[0] == "ResourceNotFoundException", "the rate limit is checked before the operation runs"
    assert "ThrottlingException" in outcomes
    emulator.control.set_rate_profile("off")
    assert [api_error(client.describe_keywords, OriginationIdentity="p")["Code"] for _ in range(3)] == [
        "ResourceNotFoundException"
    ] * 3


def test_bad_rate_settings_are_refused(emulator: Emulator) -> None:
    with pytest.raises(ControlError):
        emulator.control.set_rate_profile("fast")
    with pytest.raises(ControlError):
        emulator.control.set_rate_limits({"DescribePools": 0})


def test_call_log_records_api_calls_in_order_with_their_requests(
    emulator: Emulator, make_pool: Any, sms: Any
) -> None:
    emulator.control.clear_calls()
    pool = make_pool()  # seeding is a control-plane call: not logged
    emulator.control.set_rate_profile("off")

    sms.describe_pools(PoolIds=[pool["PoolId"]])
    api_error(sms.delete_keyword, OriginationIdentity=pool["PoolId"], Keyword="HELP")

    calls = emulator.control.calls()
    assert [c["operation"] for c in calls] == ["CreatePool", "DescribePools", "DeleteKeyword"]
    assert calls[1]["request"] == {"PoolIds": [pool["PoolId"]]}
    assert (calls[2]["outcome"], calls[2]["reason"]) == ("ConflictException", "RESOURCE_DELETION_NOT_ALLOWED")
    assert calls[0]["started"] <= calls[1]["started"] <= calls[2]["started"]
    assert all(c["duration"] >= 0 for c in calls)
    emulator.control.clear_calls()
    assert emulator.control.calls() == []
