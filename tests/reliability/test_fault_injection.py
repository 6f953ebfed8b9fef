"""Fault injection: every API call on every path, hit by throttling, 5xx, dropped connections, latency.

Each path (create, in-place update, no-op update, replacement with hand-over, delete) makes the
sequence of calls recorded in ``CLEAN_CALLS`` when nothing fails (a test proves the record current),
and each test injects one fault into one call of that sequence (the n-th call of an operation is hit
by letting the n-1 earlier ones pass). Nothing runs at collection time. The handler gets a shorter
Lambda time budget than the other tests (``LAMBDA_SECONDS``), so a fault that outlasts every retry
ends when the time does instead of after the usual 20 s. The outcome must be one CloudFormation can live with:

* SUCCESS, with the account exactly as after the clean run; or
* FAILED with a short reason, and after what CloudFormation does next (the rollback Delete of the
  answered id after a failed Create, the rollback Update with old and new swapped after a failed
  Update) the account exactly as before the operation.

Never an orphaned pool (a pool no answer names), a pool deleted that should live, or an answer
without a PhysicalResourceId. Faults within botocore's retry budget must not fail the operation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from localcloud.sms_voice import Emulator
from localcloud.sms_voice.control import ControlClient
from tests.reliability.reliability_helpers import (
    RETRY_BUDGET,
    CloudFormation,
    is_mutating,
    settled_snapshot,
)
from tests.support.harness import make_event

SNS_TOPIC = "arn:aws:sns:us-east-1:000000000000:inbound"


# --- the paths ----------------------------------------------------------------------------------
@dataclass
class Prepared:
    """A path ready to run: the event under test and what CloudFormation sends after a FAILED."""

    event: dict[str, Any]
    rollback: Callable[[CloudFormation, dict[str, Any]], None]
    ids: dict[str, dict[str, Any]]  # the seeded identities by name
    existing: list[str] = field(default_factory=list)  # pool ids that exist before the event

    def names(self) -> dict[str, str]:
        """Identity ARN -> seed name: seeded ids differ per run, snapshots compare by name."""
        arns = {info.get("PhoneNumberArn") or info["SenderIdArn"]: name for name, info in self.ids.items()}
        return arns


def _no_rollback(cfn: CloudFormation, answer: dict[str, Any]) -> None:
    """After a failed Delete the stack is DELETE_FAILED: nothing more is sent."""


def _seed(control: ControlClient) -> dict[str, dict[str, Any]]:
    control.seed_opt_out_list("Other")
    return {
        "us1": control.seed_phone_number(keywords={"OLD": ("Inherited", "AUTOMATIC_RESPONSE")}),
        "us2": control.seed_phone_number(),
        "us3": control.seed_phone_number(),
        "gb1": control.seed_phone_number(iso_country_code="GB"),
        "brand": control.seed_sender_id("BRAND", iso_country_code="US"),
    }


def _keyword(word: str, message: str, action: str = "OPT_IN") -> dict[str, str]:
    return {"Keyword": word, "Message": message, "Action": action}


def _create_props(ids: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "OriginationIdentities": [ids["us1"]["PhoneNumberId"], ids["us2"]["PhoneNumberArn"], "BRAND"],
        "MandatoryKeywords": {"HELP": {"Message": "Call 555 0100 for help"}},
        "OptionalKeywords": [_keyword("JOIN", "Welcome")],
        "SharedRoutesEnabled": "true",
        "DeletionProtectionEnabled": "true",
        "Tags": [{"Key": "env", "Value": "test"}],
    }


def _old_props(ids: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "OriginationIdentities": [ids["us1"]["PhoneNumberId"], ids["us2"]["PhoneNumberId"]],
        "OptionalKeywords": [_keyword("JOIN", "Welcome"), _keyword("INFO", "Info", "AUTOMATIC_RESPONSE")],
        "Tags": [{"Key": "env", "Value": "a"}, {"Key": "team", "Value": "x"}],
    }


def _new_props(ids: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "OriginationIdentities": [ids["us1"]["PhoneNumberArn"], ids["us3"]["PhoneNumberId"], "BRAND"],
        "MandatoryKeywords": {"STOP": {"Message": "Bye now"}},
        "OptionalKeywords": [_keyword("JOIN", "Welcome aboard")],
        "SharedRoutesEnabled": "True",
        "OptOutListName": "Other",
        "Tags": [{"Key": "env", "Value": "b"}, {"Key": "cost", "Value": "1"}],
    }


def _update_rollback(old: dict[str, Any], new: dict[str, Any], physical_id: str) -> Callable[..., None]:
    def rollback(cfn: CloudFormation, answer: dict[str, Any]) -> None:
        # A failed Update keeps the id it was sent; CloudFormation then sends the old properties.
        assert answer["PhysicalResourceId"] == physical_id, answer
        back = cfn.update(physical_id, old, new)
        assert back["Status"] == "SUCCESS", back
        assert back["PhysicalResourceId"] == physical_id, back

    return rollback


def prepare_create(cfn: CloudFormation) -> Prepared:
    ids = _seed(cfn.control)

    def rollback(cfn: CloudFormation, answer: dict[str, Any]) -> None:
        delete = cfn.delete(answer["PhysicalResourceId"], _create_props(ids))
        assert delete["Status"] == "SUCCESS", delete

    return Prepared(make_event("Create", _create_props(ids)), rollback, ids)


def _prepared_update(
    cfn: CloudFormation, ids: dict[str, dict[str, Any]], old: dict[str, Any], new: dict[str, Any]
) -> Prepared:
    """An Update from ``old`` to ``new`` of a pool created from ``old``; a FAILED one is rolled back."""
    pool_id = cfn.existing_pool(old)
    event = make_event("Update", new, physical_id=pool_id, old_properties=old)
    return Prepared(event, _update_rollback(old, new, pool_id), ids, [pool_id])


def prepare_update(cfn: CloudFormation) -> Prepared:
    ids = _seed(cfn.control)
    return _prepared_update(cfn, ids, _old_props(ids), _new_props(ids))


def prepare_noop_update(cfn: CloudFormation) -> Prepared:
    ids = _seed(cfn.control)
    old = _old_props(ids)
    # The same pool written differently (ARNs for ids, other boolean spelling): nothing to change.
    same = {**old, "OriginationIdentities": [ids["us1"]["PhoneNumberArn"], ids["us2"]["PhoneNumberArn"]]}
    return _prepared_update(cfn, ids, old, same)


def prepare_replacement(cfn: CloudFormation) -> Prepared:
    ids = _seed(cfn.control)
    old = {"OriginationIdentities": [ids["us1"]["PhoneNumberId"], ids["us2"]["PhoneNumberId"]]}
    # A new country: a new pool seeded by the GB number; us2 is handed over, us1 stays behind.
    new = {
        "OriginationIdentities": [ids["gb1"]["PhoneNumberId"], ids["us2"]["PhoneNumberId"]],
        "IsoCountryCode": "GB",
        "Tags": [{"Key": "env", "Value": "gb"}],
    }
    return _prepared_update(cfn, ids, old, new)


def prepare_delete(cfn: CloudFormation) -> Prepared:
    ids = _seed(cfn.control)
    props = _old_props(ids)
    pool_id = cfn.existing_pool(props)
    return Prepared(make_event("Delete", props, physical_id=pool_id), _no_rollback, ids, [pool_id])


def prepare_create_waiting(cfn: CloudFormation) -> Prepared:
    """A pool that is CREATING for a moment: the handler waits (DescribePools) before going on."""
    ids = _seed(cfn.control)
    # Long enough that the first poll (right after CreatePool) sees CREATING on a loaded machine,
    # shorter than the 1 s pause before the second. The cloudformation fixture restores 0.
    cfn.control.set_activation_delay(0.8)
    props = {
        "OriginationIdentities": [ids["us2"]["PhoneNumberId"], ids["us3"]["PhoneNumberId"]],
        "DeletionProtectionEnabled": "true",
    }

    def rollback(cfn: CloudFormation, answer: dict[str, Any]) -> None:
        delete = cfn.delete(answer["PhysicalResourceId"], props)
        assert delete["Status"] == "SUCCESS", delete

    return Prepared(make_event("Create", props), rollback, ids)


PATHS: dict[str, Callable[[CloudFormation], Prepared]] = {
    "create": prepare_create,
    "create-waiting": prepare_create_waiting,
    "update": prepare_update,
    "noop-update": prepare_noop_update,
    "replacement": prepare_replacement,
    "delete": prepare_delete,
}


# --- the faults ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class FaultCase:
    name: str
    kind: str
    when: str = "before"
    count: int = 1
    latency_seconds: float = 0.0
    # Within the retry budget: the operation must succeed. Otherwise SUCCESS or a clean FAILED.
    must_succeed: bool = True
    mutating_only: bool = False  # "after" faults differ from "before" only for calls with effects


FAULTS = (
    FaultCase("throttled-twice", "throttle", count=2),
    FaultCase("internal-error", "internal_error"),
    FaultCase("dropped-before-effect", "drop_connection"),
    FaultCase("dropped-after-effect", "drop_connection", when="after", mutating_only=True),
    FaultCase("internal-error-after-effect", "internal_error", when="after", mutating_only=True),
    FaultCase("latency", "latency", latency_seconds=0.05, mutating_only=True),
    FaultCase("throttled-beyond-retries", "throttle", count=RETRY_BUDGET, must_succeed=False),
    FaultCase(
        "dropped-after-effect-beyond-retries",
        "drop_connection",
        when="after",
        count=RETRY_BUDGET,
        must_succeed=False,
        mutating_only=True,
    ),
)


@dataclass(frozen=True)
class Target:
    """One fault in one call: the ``occurrence``-th (0-based) call of ``operation`` on ``path``."""

    path: str
    operation: str
    occurrence: int
    fault: FaultCase


# Paths whose other calls the paths above already cover: only these operations get faults.
FOCUS: dict[str, set[str]] = {"create-waiting": {"DescribePools"}}


# --- the calls of each path -----------------------------------------------------------------------
# What each path calls when nothing fails, in order: the faults are aimed at these calls.
# test_each_path_makes_the_recorded_calls_when_nothing_fails fails when the provider's calls change.
CLEAN_CALLS: dict[str, tuple[str, ...]] = {
    "create": (
        "DescribePhoneNumbers",
        "DescribeSenderIds",
        "CreatePool",
        "DescribeKeywords",
        "AssociateOriginationIdentity",
        "AssociateOriginationIdentity",
        "UpdatePool",
        "PutKeyword",
        "PutKeyword",
        "DeleteKeyword",
    ),
    "create-waiting": (
        "DescribePhoneNumbers",
        "CreatePool",
        "DescribePools",
        "DescribePools",
        "DescribeKeywords",
        "AssociateOriginationIdentity",
    ),
    "update": (
        "DescribePools",
        "ListPoolOriginationIdentities",
        "DescribeKeywords",
        "ListTagsForResource",
        "DescribePhoneNumbers",
        "DescribeSenderIds",
        "DescribeOptOutLists",
        "AssociateOriginationIdentity",
        "AssociateOriginationIdentity",
        "UpdatePool",
        "DisassociateOriginationIdentity",
        "PutKeyword",
        "PutKeyword",
        "DeleteKeyword",
        "TagResource",
        "UntagResource",
    ),
    "noop-update": (
        "DescribePools",
        "ListPoolOriginationIdentities",
        "DescribeKeywords",
        "ListTagsForResource",
    ),
    "replacement": (
        "DescribePools",
        "ListPoolOriginationIdentities",
        "DescribeKeywords",
        "ListTagsForResource",
        "DescribePhoneNumbers",
        "DescribePhoneNumbers",
        "DisassociateOriginationIdentity",
        "CreatePool",
        "DescribeKeywords",
        "AssociateOriginationIdentity",
    ),
    "delete": ("DeletePool",),
}
# The Lambda time budget of every invocation here: long enough for a clean run and for botocore's
# retries within budget, short enough that a fault outlasting them is cut off quickly.
LAMBDA_SECONDS = 8.0


@dataclass(frozen=True)
class CleanRun:
    operations: list[str]
    expected: dict[str, dict[str, Any]]  # the account after the clean run, by role and seed name


def _clean_run(cfn: CloudFormation, account: Any, path: str) -> CleanRun:
    prepared = PATHS[path](cfn)
    cfn.control.clear_calls()
    answer = cfn.send(prepared.event)
    assert answer["Status"] == "SUCCESS", f"clean {path} failed: {answer}"
    operations = cfn.operations()
    return CleanRun(operations, _labelled(settled_snapshot(account), prepared, answer["PhysicalResourceId"]))


# The account after each path's clean run, filled by the first test that needs it (on its worker).
_EXPECTED: dict[str, dict[str, dict[str, Any]]] = {}


def _expected_after_clean_run(emulator: Emulator, cfn: CloudFormation, account: Any, path: str) -> Any:
    if path not in _EXPECTED:
        _EXPECTED[path] = _clean_run(cfn, account, path).expected
        emulator.control.reset()  # the test goes on with a fresh account
        emulator.control.set_activation_delay(0)
    return _EXPECTED[path]


@pytest.fixture
def cloudformation(cloudformation: CloudFormation) -> CloudFormation:
    """The reliability harness with the shorter Lambda time budget of this file."""
    cloudformation.seconds = LAMBDA_SECONDS
    return cloudformation


@pytest.mark.parametrize("path", PATHS)
def test_each_path_makes_the_recorded_calls_when_nothing_fails(
    cloudformation: CloudFormation, account: Any, path: str
) -> None:
    run = _clean_run(cloudformation, account, path)
    assert run.operations == list(CLEAN_CALLS[path]), "the provider's calls changed: update CLEAN_CALLS"
    _EXPECTED.setdefault(path, run.expected)


def _cases() -> list[Any]:
    cases = []
    for path in PATHS:
        seen: dict[str, int] = {}
        for position, operation in enumerate(CLEAN_CALLS[path]):
            occurrence = seen.get(operation, 0)
            seen[operation] = occurrence + 1
            if path in FOCUS and operation not in FOCUS[path]:
                continue
            for fault in FAULTS:
                if fault.mutating_only and not is_mutating(operation):
                    continue
                case_id = f"{path}-{position:02d}-{operation}#{occurrence + 1}-{fault.name}"
                cases.append(pytest.param(Target(path, operation, occurrence, fault), id=case_id))
    return cases


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "target" in metafunc.fixturenames:
        metafunc.parametrize("target", _cases())


# --- checking outcomes --------------------------------------------------------------------------
def _labelled(
    snapshot: dict[str, dict[str, Any]], prepared: Prepared, answered: str | None
) -> dict[str, dict[str, Any]]:
    """Pools by role: existing-N (there before), answered (the id CloudFormation holds), or ORPHAN-N;
    members by seed name."""
    names = prepared.names()
    labelled: dict[str, dict[str, Any]] = {}
    orphans = 0
    for pool_id, pool in sorted(snapshot.items()):
        if pool_id in prepared.existing:
            label = f"existing-{prepared.existing.index(pool_id)}"
        elif pool_id == answered:
            label = "answered"
        else:
            orphans += 1
            label = f"ORPHAN-{orphans}"
        labelled[label] = {**pool, "Members": sorted(names.get(arn, arn) for arn in pool["Members"])}
    return labelled


def test_a_fault_in_any_call_ends_in_success_or_a_clean_failure(
    emulator: Emulator,
    cloudformation: CloudFormation,
    account: Any,
    target: Target,
) -> None:
    path, operation, occurrence, fault = target.path, target.operation, target.occurrence, target.fault
    expected = _expected_after_clean_run(emulator, cloudformation, account, path)
    control = cloudformation.control
    prepared = PATHS[path](cloudformation)
    before = _labelled(settled_snapshot(account), prepared, None)
    control.clear_calls()
    if occurrence:
        # Let the earlier calls of this operation through, so the fault hits the one under test.
        control.add_fault(operation, "latency", count=occurrence, latency_seconds=0.0)
    control.add_fault(
        operation, fault.kind, count=fault.count, latency_seconds=fault.latency_seconds, when=fault.when
    )

    answer = cloudformation.send(prepared.event)
    hit = [call for call in control.calls() if call["operation"] == operation]
    assert len(hit) > occurrence, f"the fault never fired: {cloudformation.operations()}"
    control.clear_faults()

    if fault.must_succeed:
        assert answer["Status"] == "SUCCESS", (
            f"{fault.name} within the retry budget failed: {answer['Reason']}"
        )
    if answer["Status"] == "SUCCESS":
        after = _labelled(settled_snapshot(account), prepared, answer["PhysicalResourceId"])
        assert after == expected
    else:
        assert answer["Reason"].startswith(operation), answer["Reason"]
        prepared.rollback(cloudformation, answer)
        after = _labelled(settled_snapshot(account), prepared, None)
        assert after == before, f"after FAILED ({answer['Reason']}) and CloudFormation's rollback"


def test_a_create_whose_cleanup_also_fails_answers_with_the_pool_id_so_the_rollback_deletes_it(
    cloudformation: CloudFormation, account: Any
) -> None:
    control = cloudformation.control
    prepared = prepare_create(cloudformation)  # DeletionProtectionEnabled: cleanup must lift it
    control.add_fault("AssociateOriginationIdentity", "throttle", count=RETRY_BUDGET)
    control.add_fault("DeletePool", "internal_error", count=RETRY_BUDGET)

    answer = cloudformation.send(prepared.event)
    control.clear_faults()

    assert answer["Status"] == "FAILED"
    assert "AssociateOriginationIdentity" in answer["Reason"]
    assert list(settled_snapshot(account)) == [answer["PhysicalResourceId"]]
    prepared.rollback(cloudformation, answer)
    assert settled_snapshot(account) == {}


def test_a_settled_snapshot_outlasts_a_pool_that_vanishes_while_it_is_read(
    cloudformation: CloudFormation, account: Any
) -> None:
    """A DELETING pool listed by DescribePools may be gone before its tags are read: no error."""
    control = cloudformation.control
    seed = control.seed_phone_number()
    pool = control.seed_pool([seed["PhoneNumberId"]], tags={"env": "test"})
    control.set_activation_delay(0.2)  # the cloudformation fixture restores 0
    account.delete_pool(PoolId=pool["PoolId"])
    # The first tag read waits until the DELETING pool it was listed with is gone.
    control.add_fault("ListTagsForResource", "latency", latency_seconds=0.4)

    assert settled_snapshot(account) == {}
