"""CloudFormation played in this process for one custom resource: events go to ``index.handler``.

The handler runs for real (crhelper included) against the SMS Voice emulator over HTTP; only
crhelper's HTTPS connection to the ResponseURL is replaced, by the harness's recorder. Each answer
is returned after :func:`tests.support.harness.check_answer`. The provider and reliability tests
use this one class; the protocol driver (``cfn_driver``) plays the same part out of process.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import contract
import index  # the Lambda module (pytest's pythonpath holds lambda/pool_provider)

from tests.support import harness
from tests.support.harness import FakeContext, ResponseRecorder, check_answer, make_event

if TYPE_CHECKING:
    from localcloud.sms_voice.control import ControlClient


def invoke(event: dict[str, Any], responses: ResponseRecorder, seconds: float) -> dict[str, Any]:
    """One invocation of ``index.handler`` with ``seconds`` of Lambda time; its one answer, checked."""
    before = len(responses.bodies)
    index.handler(event, FakeContext(seconds))
    return check_answer(event, responses.answers_since(before), attributes=frozenset(contract.ATTRIBUTES))


@dataclass
class CloudFormation:
    """Sends events to ``index.handler`` and returns the one answer each produced.

    ``seconds`` is the Lambda time budget of each invocation unless a call gives its own (the
    fault-injection tests shorten it).
    """

    control: ControlClient
    responses: ResponseRecorder
    seconds: float = 20.0

    def send(self, event: dict[str, Any], *, seconds: float | None = None) -> dict[str, Any]:
        return invoke(event, self.responses, self.seconds if seconds is None else seconds)

    def create(
        self, properties: Mapping[str, Any], *, seconds: float | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        return self.send(make_event("Create", properties, **kwargs), seconds=seconds)

    def update(
        self, physical_id: str, properties: Mapping[str, Any], old: Mapping[str, Any], **kwargs: Any
    ) -> dict[str, Any]:
        return self.send(
            make_event("Update", properties, physical_id=physical_id, old_properties=old, **kwargs)
        )

    def delete(self, physical_id: str, properties: Mapping[str, Any], **kwargs: Any) -> dict[str, Any]:
        return self.send(make_event("Delete", properties, physical_id=physical_id, **kwargs))

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

    def operations(self) -> list[str]:
        return harness.operations(self.control)

    def mutating_calls(self) -> list[str]:
        return harness.mutating_calls(self.control)
