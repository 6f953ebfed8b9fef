"""AdoptPoolId through CloudFormation's own sequences, played by tests/support/cfn_driver:
each invocation a fresh handler process, answers PUT to a real HTTPS ResponseURL, a failed Create
followed by the rollback Delete with the id from the FAILED answer, a failed Update by the rollback
Update. The adopted pool must survive every failed path, and no failed path may delete it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import contract
import pytest

from tests.support.cfn_driver import CustomResourceDriver, HandlerBundle, ResponseServer
from tests.support.harness import mutating_calls, operations

if TYPE_CHECKING:
    from localcloud.sms_voice import Emulator


@pytest.fixture
def handler_bundle() -> HandlerBundle:
    """The ``driver`` fixture's (tests/conftest.py) handler: lambda/pool_provider as it is."""
    # Short: a call failing on every retry gives up (and answers) after a few seconds.
    return HandlerBundle.from_source(timeout_seconds=8.0)


def _console_pool(emulator: Emulator) -> tuple[str, dict[str, Any]]:
    phone = emulator.control.seed_phone_number()
    return str(phone["PhoneNumberId"]), emulator.control.seed_pool([phone["PhoneNumberArn"]])


def test_adopt_update_delete(driver: CustomResourceDriver, emulator: Emulator, sms: Any) -> None:
    phone, pool = _console_pool(emulator)
    props = {contract.ORIGINATION_IDENTITIES: [phone], contract.ADOPT_POOL_ID: pool["PoolArn"]}

    created = driver.create(props)
    assert created.status == "CREATE_COMPLETE", created.reason
    assert driver.physical_id == pool["PoolId"]
    assert "CreatePool" not in operations(emulator.control)

    updated = driver.update({**props, contract.SHARED_ROUTES_ENABLED: True})
    assert updated.status == "UPDATE_COMPLETE", updated.reason
    assert sms.describe_pools(PoolIds=[pool["PoolId"]])["Pools"][0]["SharedRoutesEnabled"] is True

    deleted = driver.delete()
    assert deleted.status == "DELETE_COMPLETE", deleted.reason
    assert [p["Status"] for p in sms.describe_pools()["Pools"]] in ([], ["DELETING"])


def test_an_adoption_failing_half_way_rolls_back_and_the_pool_survives(
    driver: CustomResourceDriver, emulator: Emulator, sms: Any
) -> None:
    phone, pool = _console_pool(emulator)
    emulator.control.add_fault("PutKeyword", "internal_error", count=1000)
    emulator.control.clear_calls()

    operation = driver.create(
        {
            contract.ORIGINATION_IDENTITIES: [phone],
            contract.ADOPT_POOL_ID: pool["PoolId"],
            contract.SHARED_ROUTES_ENABLED: True,
            contract.MANDATORY_KEYWORDS: {"HELP": {"Message": "Adopted help"}},
        }
    )

    assert operation.status == "ROLLBACK_COMPLETE"
    assert operation.request_types == ["Create", "Delete"]
    create, delete = operation.invocations
    assert create.response is not None and delete.response is not None
    assert create.response["PhysicalResourceId"] == f"{contract.NOT_ADOPTED_ID_PREFIX}{pool['PoolId']}"
    assert create.response["Reason"].startswith("Not adopted, every change undone (pool as it was): ")
    assert delete.response["Status"] == "SUCCESS"
    calls = operations(emulator.control)
    assert "DeletePool" not in calls and "CreatePool" not in calls
    survivor = sms.describe_pools(PoolIds=[pool["PoolId"]])["Pools"][0]
    assert survivor["Status"] == "ACTIVE"
    assert survivor["SharedRoutesEnabled"] is False, "the change made before the failure was undone"


def test_adopting_a_missing_pool_rolls_back_without_a_change(
    driver: CustomResourceDriver, emulator: Emulator
) -> None:
    phone = str(emulator.control.seed_phone_number()["PhoneNumberId"])
    missing = "pool-" + "0" * 32

    operation = driver.create({contract.ORIGINATION_IDENTITIES: [phone], contract.ADOPT_POOL_ID: missing})

    assert operation.status == "ROLLBACK_COMPLETE"
    assert operation.reason is not None and operation.reason.startswith("Not adopted, nothing changed: ")
    assert mutating_calls(emulator.control) == []


def test_adopting_a_pool_another_stack_manages_rolls_back_and_leaves_it_alone(
    driver: CustomResourceDriver, response_server: ResponseServer, emulator: Emulator, sms: Any
) -> None:
    phone, pool = _console_pool(emulator)
    props = {contract.ORIGINATION_IDENTITIES: [phone], contract.ADOPT_POOL_ID: pool["PoolId"]}
    assert driver.create(props).status == "CREATE_COMPLETE"
    other_stack = CustomResourceDriver(
        driver.bundle, response_server, resource_type=contract.RESOURCE_TYPE, stack_name="OtherStack"
    )
    emulator.control.clear_calls()

    operation = other_stack.create(props)

    assert operation.status == "ROLLBACK_COMPLETE"
    assert operation.reason is not None and "managed by another Custom::SmsVoicePool" in operation.reason
    assert mutating_calls(emulator.control) == []
    assert sms.describe_pools(PoolIds=[pool["PoolId"]])["Pools"][0]["Status"] == "ACTIVE"


def test_a_create_delivered_twice_adopts_once(driver: CustomResourceDriver, emulator: Emulator) -> None:
    phone, pool = _console_pool(emulator)
    token, event = driver.event(
        "Create", {contract.ORIGINATION_IDENTITIES: [phone], contract.ADOPT_POOL_ID: pool["PoolId"]}
    )
    emulator.control.clear_calls()

    first = driver.deliver(token, event)
    second = driver.deliver(token, event)  # Lambda's retry: the very same event, a fresh process

    assert first.response is not None and second.response is not None
    assert first.response["Status"] == second.response["Status"] == "SUCCESS"
    assert first.response["PhysicalResourceId"] == second.response["PhysicalResourceId"] == pool["PoolId"]
    assert mutating_calls(emulator.control) == ["TagResource"]


def test_changing_adopt_pool_id_fails_the_update_and_the_rollback_completes(
    driver: CustomResourceDriver, emulator: Emulator
) -> None:
    phone, pool = _console_pool(emulator)
    _, other = _console_pool(emulator)
    props = {contract.ORIGINATION_IDENTITIES: [phone], contract.ADOPT_POOL_ID: pool["PoolId"]}
    assert driver.create(props).status == "CREATE_COMPLETE"
    emulator.control.clear_calls()

    operation = driver.update({**props, contract.ADOPT_POOL_ID: other["PoolId"]})

    assert operation.status == "UPDATE_ROLLBACK_COMPLETE"
    assert operation.reason is not None and operation.reason.startswith("AdoptPoolId cannot change")
    assert mutating_calls(emulator.control) == []
    assert driver.physical_id == pool["PoolId"]
