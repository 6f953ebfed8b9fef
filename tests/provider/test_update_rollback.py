"""A failed Update undoes what it changed, so CloudFormation's rollback Update always succeeds.

A failure is injected at each mutating step of an Update in turn (every step of the same kind
before it succeeds; the failing one fails every attempt botocore makes). The Update answers FAILED
and leaves the pool exactly as it was; the rollback Update that follows (old and new properties
swapped) answers SUCCESS and leaves it so. The step that can never be undone, the first phone number
joining a pool made from sender IDs only, comes after every step that can fail.
"""

from __future__ import annotations

from typing import Any

import pool_client
import pytest
from botocore.config import Config

from tests.provider.conftest import Provider
from tests.provider.test_update import UPDATE_CASES, Case, seed_update_case
from tests.reliability.reliability_helpers import snapshot_account

ATTEMPTS = 2


@pytest.fixture(autouse=True)
def few_attempts(monkeypatch: pytest.MonkeyPatch, short_retry_pauses: float) -> None:
    """Two attempts per call (not 100), so a fault plan of two calls fails a step for good."""
    config = Config(
        retries={"mode": "standard", "total_max_attempts": ATTEMPTS}, connect_timeout=5, read_timeout=10
    )
    monkeypatch.setattr(pool_client, "CLIENT_CONFIG", config)


def _failing_at(provider: Provider, steps: list[str], index: int) -> None:
    operation = steps[index]
    provider.control.add_fault(
        operation, "internal_error", count=ATTEMPTS, skip=steps[:index].count(operation)
    )


def _forward_steps(
    provider: Provider, sms: Any, pool_id: str, old: dict[str, Any], new: dict[str, Any]
) -> list[str]:
    """The mutating calls of the Update (made once, then rolled back to the snapshot taken before)."""
    before = snapshot_account(sms)
    provider.control.clear_calls()
    forward = provider.update(pool_id, new, old)
    assert forward["Status"] == "SUCCESS", forward["Reason"]
    steps = provider.mutating_calls()
    back = provider.update(pool_id, old, new)
    assert back["Status"] == "SUCCESS", back["Reason"]
    assert snapshot_account(sms) == before
    return steps


def _fails_then_rolls_back(
    provider: Provider, sms: Any, pool_id: str, old: dict[str, Any], new: dict[str, Any], *, steps: list[str]
) -> None:
    before = snapshot_account(sms)
    for index in range(len(steps)):
        _failing_at(provider, steps, index)
        failed = provider.update(pool_id, new, old)
        provider.control.clear_faults()
        assert failed["Status"] == "FAILED", f"step {index} ({steps[index]}) did not fail"
        assert snapshot_account(sms) == before, f"failure at step {index} ({steps[index]}) left changes"

        rollback = provider.update(pool_id, old, new)

        assert rollback["Status"] == "SUCCESS", f"step {index} ({steps[index]}): {rollback['Reason']}"
        assert snapshot_account(sms) == before


def test_a_sender_only_pool_is_restored_whatever_step_of_the_update_fails(
    provider: Provider, sms: Any
) -> None:
    acme = provider.control.seed_sender_id("ACME", "US")
    brand = provider.control.seed_sender_id("BRAND", "US")
    phone = provider.control.seed_phone_number()
    old = {
        "OriginationIdentities": [acme["SenderIdArn"], brand["SenderIdArn"]],
        "OptionalKeywords": [{"Keyword": "JOIN", "Message": "Welcome", "Action": "OPT_IN"}],
        "Tags": [{"Key": "team", "Value": "a"}, {"Key": "env", "Value": "x"}],
    }
    new = {
        "OriginationIdentities": [acme["SenderIdArn"], phone["PhoneNumberId"]],
        "SharedRoutesEnabled": "true",
        "OptionalKeywords": [{"Keyword": "PROMO", "Message": "Deals", "Action": "OPT_IN"}],
        "Tags": [{"Key": "team", "Value": "b"}],
    }
    created = provider.create(old)
    assert created["Status"] == "SUCCESS", created["Reason"]
    pool_id = created["PhysicalResourceId"]

    # Every step that can fail comes before the phone number joins (it can never leave again).
    steps = [
        "UpdatePool",
        "DisassociateOriginationIdentity",
        "PutKeyword",
        "DeleteKeyword",
        "TagResource",
        "UntagResource",
        "AssociateOriginationIdentity",
    ]
    _fails_then_rolls_back(provider, sms, pool_id, old, new, steps=steps)

    # Those are the Update's steps: made without a fault, it makes exactly these calls.
    provider.control.clear_calls()
    forward = provider.update(pool_id, new, old)
    assert forward["Status"] == "SUCCESS", forward["Reason"]
    assert provider.mutating_calls() == steps


LATER = {"Keyword": "LATER", "Message": "Later", "Action": "OPT_IN"}


def _with_later_steps(properties: dict[str, Any]) -> dict[str, Any]:
    """``properties`` plus a keyword and a tag: steps that come after every other kind of change."""
    return {
        **properties,
        "OptionalKeywords": [*properties.get("OptionalKeywords", []), LATER],
        "Tags": [*properties.get("Tags", []), {"Key": "later", "Value": "1"}],
    }


@pytest.mark.parametrize("case", UPDATE_CASES.values(), ids=UPDATE_CASES.keys())
def test_every_update_kind_is_undone_when_a_later_step_fails(
    provider: Provider, sms: Any, case: Case
) -> None:
    before, after, _, _ = case
    seeded = seed_update_case(provider)
    old, new = before(seeded), _with_later_steps(after(seeded))
    created = provider.create(old)
    assert created["Status"] == "SUCCESS", created["Reason"]
    pool_id = created["PhysicalResourceId"]

    steps = _forward_steps(provider, sms, pool_id, old, new)

    assert len(steps) >= 2, steps
    _fails_then_rolls_back(provider, sms, pool_id, old, new, steps=steps)
