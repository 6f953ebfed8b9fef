"""`cdk deploy -c adoptPoolId=...` on the local cloud: a pool made in the console is adopted, updated and
deleted with the stack; a failed adoption never deletes the pool; a pool another stack manages and a
pool that does not exist are refused before anything changes. No adoption ever calls CreatePool."""

from __future__ import annotations

from typing import Any

import pytest

from localcloud.cloud import LocalCloud
from localcloud.sms_voice.control import ControlClient
from tests.e2e.e2e_helpers import AppStack, pool_context, wait_until_no_pools
from tests.support.cfn_driver import CustomResourceDriver, HandlerBundle, ResponseServer
from tests.support.harness import mutating_calls, operations

pytestmark = pytest.mark.e2e

TOKEN_TAG = "smsvoicepool:create-token"


def _console_pool(control: ControlClient, **seed: Any) -> tuple[str, dict[str, Any]]:
    phone = str(control.seed_phone_number()["PhoneNumberArn"])
    return phone, control.seed_pool([phone], **seed)


def test_a_console_pool_is_adopted_updated_and_deleted_with_the_stack(
    app_stack: AppStack, control: ControlClient
) -> None:
    phone, pool = _console_pool(control, tags={"team": "sms"})

    app_stack.deploy(pool_context([phone], adoptPoolId=pool["PoolId"], tags="team=sms"))

    assert app_stack.status() == "CREATE_COMPLETE"
    assert app_stack.outputs()["PoolId"] == pool["PoolId"]
    # Read the pool, find it already as the template says, mark it as managed: the minimum.
    assert operations(control) == [
        "DescribePools",
        "ListPoolOriginationIdentities",
        "DescribeKeywords",
        "ListTagsForResource",
        "TagResource",
    ]
    assert TOKEN_TAG in app_stack.pool_tags(pool["PoolArn"])

    control.clear_calls()
    app_stack.deploy(
        pool_context([phone], adoptPoolId=pool["PoolId"], tags="team=sms", sharedRoutesEnabled="true")
    )

    assert app_stack.status() == "UPDATE_COMPLETE"
    assert app_stack.outputs()["PoolId"] == pool["PoolId"]
    assert [p["SharedRoutesEnabled"] for p in app_stack.pools()] == [True]
    assert mutating_calls(control) == ["UpdatePool"]

    app_stack.destroy()

    assert app_stack.status() is None
    assert wait_until_no_pools(app_stack) == [], "an adopted pool is deleted with the stack"


def test_an_adoption_failing_half_way_keeps_the_pool(app_stack: AppStack, control: ControlClient) -> None:
    # The template turns on self-managed opt-outs and adds a number that joins only after that
    # UpdatePool; the service then refuses the number (its INFO keyword clashes with the pool's).
    phone, pool = _console_pool(control, keywords={"INFO": ("Info", "AUTOMATIC_RESPONSE")})
    clashing = str(
        control.seed_phone_number(self_managed_opt_outs_enabled=True, keywords={"INFO": ("Join", "OPT_IN")})[
            "PhoneNumberArn"
        ]
    )
    control.clear_calls()

    result = app_stack.deploy(
        pool_context([phone, clashing], adoptPoolId=pool["PoolId"], selfManagedOptOutsEnabled="true"),
        check=False,
    )

    assert result.exit_code != 0
    assert app_stack.status() == "ROLLBACK_COMPLETE"
    assert "Not adopted, every change undone (pool as it was)" in result.output
    calls = operations(control)
    assert "CreatePool" not in calls and "DeletePool" not in calls
    [survivor] = app_stack.pools()
    assert (survivor["PoolId"], survivor["Status"]) == (pool["PoolId"], "ACTIVE")
    assert survivor["SelfManagedOptOutsEnabled"] is False, "the UpdatePool before the failure was undone"
    assert TOKEN_TAG not in app_stack.pool_tags(pool["PoolArn"]), "not marked: a fixed template adopts it"
    assert app_stack.pool_identities(pool["PoolId"]) == {phone}


def test_adopting_a_pool_another_stack_manages_is_refused(
    app_stack: AppStack, control: ControlClient, local_cloud: LocalCloud, response_server: ResponseServer
) -> None:
    phone, pool = _console_pool(control)
    # Another stack (played by the protocol driver, with this repository's handler) adopted it first.
    bundle = HandlerBundle.from_source(
        timeout_seconds=30.0,
        environment={"AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": local_cloud.endpoints.sms_voice_endpoint_url},
    )
    other = CustomResourceDriver(
        bundle, response_server, resource_type="Custom::SmsVoicePool", stack_name="Other"
    )
    adopted = other.create({"OriginationIdentities": [phone], "AdoptPoolId": pool["PoolId"]})
    assert adopted.status == "CREATE_COMPLETE", adopted.reason
    marked = app_stack.pool_tags(pool["PoolArn"])
    control.clear_calls()

    result = app_stack.deploy(pool_context([phone], adoptPoolId=pool["PoolArn"]), check=False)

    assert result.exit_code != 0
    assert app_stack.status() == "ROLLBACK_COMPLETE"
    assert "managed by another Custom::SmsVoicePool" in result.output
    assert mutating_calls(control) == []
    assert app_stack.pool_tags(pool["PoolArn"]) == marked
    assert [p["PoolId"] for p in app_stack.pools()] == [pool["PoolId"]]


def test_adopting_a_missing_pool_is_refused_without_a_change(
    app_stack: AppStack, control: ControlClient
) -> None:
    phone = str(control.seed_phone_number()["PhoneNumberArn"])
    missing = "pool-" + "0" * 32

    result = app_stack.deploy(pool_context([phone], adoptPoolId=missing), check=False)

    assert result.exit_code != 0
    assert app_stack.status() == "ROLLBACK_COMPLETE"
    assert f"AdoptPoolId {missing} does not exist" in result.output
    assert mutating_calls(control) == []
    assert app_stack.pools() == []
