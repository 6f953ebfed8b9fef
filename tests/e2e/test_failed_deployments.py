"""Deployments that fail on the local cloud end cleanly: an update rolls back and the pool keeps its old
settings; a create rolls back and leaves no pool."""

from __future__ import annotations

import pytest

from localcloud.sms_voice.control import ControlClient
from tests.e2e.e2e_helpers import MISSING_PHONE_ID, AppStack, phone_arns, pool_context, wait_until_no_pools

pytestmark = pytest.mark.e2e


def _deploy_pool(app_stack: AppStack, control: ControlClient) -> tuple[str, list[str]]:
    phones = phone_arns(control, 2)
    app_stack.deploy(pool_context(phones, tags="stage=one"))
    return app_stack.outputs()["PoolId"], phones


def _assert_pool_unchanged(app_stack: AppStack, pool_id: str, phones: list[str]) -> None:
    [pool] = app_stack.pools()
    assert pool["PoolId"] == pool_id
    assert pool["Status"] == "ACTIVE"
    assert pool["SharedRoutesEnabled"] is False
    assert app_stack.pool_identities(pool_id) == set(phones)
    assert app_stack.pool_tags(pool["PoolArn"]).get("stage") == "one"


def test_update_adding_an_identity_that_does_not_exist_rolls_back(
    app_stack: AppStack, control: ControlClient
) -> None:
    pool_id, phones = _deploy_pool(app_stack, control)

    result = app_stack.deploy(
        pool_context([*phones, MISSING_PHONE_ID], sharedRoutesEnabled="true", tags="stage=two"),
        check=False,
    )

    assert result.exit_code != 0
    assert app_stack.status() == "UPDATE_ROLLBACK_COMPLETE"
    assert "UPDATE_FAILED" in app_stack.resource_statuses()
    assert MISSING_PHONE_ID in result.output, "the failure names the identity that does not exist"
    _assert_pool_unchanged(app_stack, pool_id, phones)


def test_update_failing_halfway_rolls_back_to_the_old_settings(
    app_stack: AppStack, control: ControlClient
) -> None:
    pool_id, phones = _deploy_pool(app_stack, control)
    extra = phone_arns(control, 1)
    # Every association fails on a quota (not retried, so the failure comes at once), whatever ran
    # before it; the Update undoes its earlier steps and the rollback Update finds the old pool.
    control.add_fault("AssociateOriginationIdentity", "quota_exceeded", count=1000)

    result = app_stack.deploy(
        pool_context([*phones, *extra], sharedRoutesEnabled="true", tags="stage=two"), check=False
    )

    assert result.exit_code != 0
    assert "ORIGINATION_IDENTITIES_PER_POOL" in result.output, "the Reason names the quota"
    control.clear_faults()
    assert app_stack.status() == "UPDATE_ROLLBACK_COMPLETE"
    _assert_pool_unchanged(app_stack, pool_id, phones)


def test_create_with_an_identity_that_does_not_exist_leaves_no_pool(
    app_stack: AppStack, control: ControlClient
) -> None:
    phones = phone_arns(control, 1)

    result = app_stack.deploy(pool_context([*phones, MISSING_PHONE_ID]), check=False)

    assert result.exit_code != 0
    assert app_stack.status() == "ROLLBACK_COMPLETE"
    assert "CREATE_FAILED" in app_stack.resource_statuses()
    assert wait_until_no_pools(app_stack) == []


def test_create_failing_after_the_pool_was_made_leaves_no_pool(
    app_stack: AppStack, control: ControlClient
) -> None:
    # CreatePool succeeds with the first phone number; adding the second one fails on a quota (not
    # retried). ministack sends no Delete after a failed Create, so only the provider's own clean-up
    # can remove the pool.
    phones = phone_arns(control, 2)
    control.add_fault("AssociateOriginationIdentity", "quota_exceeded", count=1000)

    result = app_stack.deploy(pool_context(phones), check=False)

    assert result.exit_code != 0
    control.clear_faults()
    assert app_stack.status() == "ROLLBACK_COMPLETE"
    assert wait_until_no_pools(app_stack) == []
    created = [
        call for call in control.calls() if call["operation"] == "CreatePool" and call["outcome"] == "ok"
    ]
    assert created, "the pool was created before the failure (otherwise this test proves nothing)"
