"""Driving the provider the way CloudFormation does: events in, the body PUT to the ResponseURL out.

``index.handler`` runs for real (crhelper included) against the SMS Voice emulator over HTTP; only
crhelper's HTTPS connection is replaced, by a fake that records what would reach CloudFormation.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import contract
import crhelper.utils
import index  # the Lambda module, importable through pytest's pythonpath (lambda/ is a keyword)
import pytest
from botocore.retries import standard

if TYPE_CHECKING:
    from localcloud.sms_voice import Emulator
    from localcloud.sms_voice.control import ControlClient

STACK_ID = (
    "arn:aws:cloudformation:us-east-1:000000000000:stack/PoolStack/1b2c3d4e-0000-0000-0000-000000000000"
)
LOGICAL_ID = "Pool"
RESPONSE_URL = (
    "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/secret?X-Amz-Signature=abc"
)
MUTATING_OPERATIONS = frozenset(
    {
        "CreatePool",
        "UpdatePool",
        "DeletePool",
        "AssociateOriginationIdentity",
        "DisassociateOriginationIdentity",
        "PutKeyword",
        "DeleteKeyword",
        "TagResource",
        "UntagResource",
    }
)


class FakeContext:
    """A Lambda context whose remaining time runs down from ``seconds`` like the real one."""

    def __init__(self, seconds: float = 20.0) -> None:
        self._deadline = time.monotonic() + seconds
        self.function_name = "pool-provider"
        self.aws_request_id = str(uuid.uuid4())

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


@dataclass
class Responses:
    """Bodies crhelper PUT to the ResponseURL, in order."""

    bodies: list[dict[str, Any]] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)


class _FakeHTTPResponse:
    reason = "OK"
    status = 200


def make_event(
    request_type: str,
    properties: Mapping[str, Any],
    *,
    physical_id: str | None = None,
    old_properties: Mapping[str, Any] | None = None,
    request_id: str | None = None,
) -> dict[str, Any]:
    """A CloudFormation custom resource event (properties as CloudFormation sends them: strings)."""
    event: dict[str, Any] = {
        "RequestType": request_type,
        "ServiceToken": "arn:aws:lambda:us-east-1:000000000000:function:pool-provider",
        "ResponseURL": RESPONSE_URL,
        "StackId": STACK_ID,
        "RequestId": request_id or str(uuid.uuid4()),
        "LogicalResourceId": LOGICAL_ID,
        "ResourceType": "Custom::SmsVoicePool",
        "ResourceProperties": {
            "ServiceToken": "arn:aws:lambda:us-east-1:000000000000:function:pool-provider",
            **properties,
        },
    }
    if physical_id is not None:
        event["PhysicalResourceId"] = physical_id
    if old_properties is not None:
        event["OldResourceProperties"] = dict(old_properties)
    return event


@pytest.fixture
def responses(monkeypatch: pytest.MonkeyPatch) -> Responses:
    """Capture what crhelper sends to CloudFormation instead of sending it."""
    captured = Responses()

    class FakeHTTPSConnection:
        def __init__(self, host: str, **_: Any) -> None:
            self.host = host

        def request(self, method: str, url: str, body: str, headers: Mapping[str, str]) -> None:
            assert method == "PUT"
            assert headers["content-type"] == ""
            captured.raw.append(body.encode())
            captured.bodies.append(json.loads(body))

        def getresponse(self) -> _FakeHTTPResponse:
            return _FakeHTTPResponse()

    monkeypatch.setattr(crhelper.utils, "HTTPSConnection", FakeHTTPSConnection)
    return captured


@dataclass
class Provider:
    """Runs ``index.handler`` on events and returns the single answer each one produced."""

    responses: Responses
    control: ControlClient

    def run(self, event: dict[str, Any], *, seconds: float = 20.0) -> dict[str, Any]:
        before = len(self.responses.bodies)
        index.handler(event, FakeContext(seconds))
        answers = self.responses.bodies[before:]
        assert len(answers) == 1, f"expected one answer, got {answers}"
        answer = answers[0]
        # What every answer must be, whatever the test is about.
        assert len(self.responses.raw[-1]) < 4096
        assert answer["PhysicalResourceId"], "an empty PhysicalResourceId hides the reason"
        assert (answer["StackId"], answer["RequestId"], answer["LogicalResourceId"]) == (
            event["StackId"],
            event["RequestId"],
            event["LogicalResourceId"],
        )
        assert len(answer["Reason"]) <= 256 and not answer["Reason"].startswith("ERROR: (truncated)")
        if answer["Status"] == "SUCCESS" and event["RequestType"] != "Delete":
            assert set(answer["Data"]) == set(contract.ATTRIBUTES)
            assert all(isinstance(value, str) for value in answer["Data"].values())
        if event["RequestType"] != "Create":
            # Only a replacement changes the id, and only an Update replaces.
            assert answer["PhysicalResourceId"] == event["PhysicalResourceId"] or (
                event["RequestType"] == "Update" and answer["Status"] == "SUCCESS"
            )
        return answer

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

    def mutating_calls(self) -> list[str]:
        return [c["operation"] for c in self.control.calls() if c["operation"] in MUTATING_OPERATIONS]

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
def provider(responses: Responses, control: ControlClient) -> Provider:
    return Provider(responses=responses, control=control)


@pytest.fixture
def short_retry_pauses(monkeypatch: pytest.MonkeyPatch) -> float:
    """botocore's retry pauses cut to 50 ms (throttling would pause up to 10 s); attempts unchanged."""
    pause = 0.05
    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda self, context: pause)
    return pause
