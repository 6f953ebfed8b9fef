"""Driving the provider the way CloudFormation does: events in, the body PUT to the ResponseURL out.

``index.handler`` runs for real (crhelper included) against the SMS Voice emulator over HTTP; only
crhelper's HTTPS connection is replaced, by a fake that records what would reach CloudFormation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import contract
import index  # the Lambda module, importable through pytest's pythonpath (lambda/ is a keyword)
import pytest

from tests.support.harness import (
    FakeContext,
    ResponseRecorder,
    check_answer,
    fast_retry_backoff,
    is_mutating,
    make_event,
    recording_responses,
)

if TYPE_CHECKING:
    from localcloud.sms_voice import Emulator
    from localcloud.sms_voice.control import ControlClient

# Re-exported for the provider tests that build events or contexts by hand.
__all__ = ["FakeContext", "Provider", "make_event"]


@pytest.fixture
def responses() -> Iterator[ResponseRecorder]:
    """Capture what crhelper sends to CloudFormation instead of sending it."""
    with recording_responses() as recorder:
        yield recorder


@dataclass
class Provider:
    """Runs ``index.handler`` on events and returns the single answer each one produced."""

    responses: ResponseRecorder
    control: ControlClient

    def run(self, event: dict[str, Any], *, seconds: float = 20.0) -> dict[str, Any]:
        before = len(self.responses.bodies)
        index.handler(event, FakeContext(seconds))
        return check_answer(
            event, self.responses.answers_since(before), attributes=frozenset(contract.ATTRIBUTES)
        )

    def create(
        self, properties: Mapping[str, Any], *, seconds: float = 20.0, **kwargs: Any
    ) -> dict[str, Any]:
        return self.run(make_event("Create", properties, **kwargs), seconds=seconds)

    def update(
        self, physical_id: str, properties: Mapping[str, Any], old: Mapping[str, Any], **kwargs: Any
    ) -> dict[str, Any]:
        return self.run(
            make_event("Update", properties, physical_id=physical_id, old_properties=old, **kwargs)
        )

    def delete(self, physical_id: str, properties: Mapping[str, Any], **kwargs: Any) -> dict[str, Any]:
        return self.run(make_event("Delete", properties, physical_id=physical_id, **kwargs))

    def existing_pool(self, properties: Mapping[str, Any]) -> str:
        """The id of a pool created from ``properties`` (the stack's state before the step under
        test); the call log is cleared, so what the test reads next are the calls of its own step."""
        answer = self.create(properties)
        assert answer["Status"] == "SUCCESS", answer
        self.control.clear_calls()
        return str(answer["PhysicalResourceId"])

    def update_existing(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        """The step most update tests take: a pool from ``old`` (:meth:`existing_pool`), then the
        Update to ``new``; returns the pool's id and the Update's answer."""
        pool_id = self.existing_pool(old)
        return pool_id, self.update(pool_id, new, old)

    def failed_before_any_change(self, answer: Mapping[str, Any], pool_id: str) -> str:
        """The Reason of ``answer``, after checking that it is a FAILED keeping ``pool_id`` and that
        no mutating call was made (the test's step was refused before its first change)."""
        assert answer["Status"] == "FAILED", answer
        assert answer["PhysicalResourceId"] == pool_id, answer
        assert self.mutating_calls() == [], self.operations()
        return str(answer["Reason"])

    def mutating_calls(self) -> list[str]:
        return [c["operation"] for c in self.control.calls() if is_mutating(c["operation"])]

    def operations(self) -> list[str]:
        return [c["operation"] for c in self.control.calls()]


@pytest.fixture
def control(emulator: Emulator, sms_endpoint: str) -> Iterator[ControlClient]:
    """The emulator's control plane on a fresh account (activation delay 0)."""
    emulator.control.set_activation_delay(0)
    yield emulator.control
    emulator.control.clear_faults()
    emulator.control.set_activation_delay(0)


@pytest.fixture
def provider(responses: ResponseRecorder, control: ControlClient) -> Provider:
    return Provider(responses=responses, control=control)


@pytest.fixture
def short_retry_pauses() -> Iterator[float]:
    """botocore's retry pauses cut to 50 ms (throttling would pause up to 10 s); attempts unchanged."""
    with fast_retry_backoff(0.05) as pause:
        yield pause
