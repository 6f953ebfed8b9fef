"""The one test harness for driving ``index.handler`` the way CloudFormation and Lambda do.

Everything the provider, reliability, protocol-driver and bench code needs to play CloudFormation
lives here once: the event builder (properties stringified as CloudFormation delivers them), the fake
Lambda context, the recorder that stands in for crhelper's HTTPS PUT to the ResponseURL, the checker
with the strictest rules an answer must meet, the patch that shortens botocore's retry pauses, and
what counts as a mutating call.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

import boto3
import contract  # lambda/pool_provider/contract.py (on the path of pytest and bench)
import crhelper.utils
from botocore.retries import standard

from localcloud.sms_voice.service import is_read_only
from tests.support.lambda_runner import LambdaContext

if TYPE_CHECKING:
    from localcloud.sms_voice.control import ControlClient

ACCOUNT_ID: Final = "000000000000"
REGION: Final = "us-east-1"
STACK_ID: Final = (
    f"arn:aws:cloudformation:{REGION}:{ACCOUNT_ID}:stack/PoolStack/1b2c3d4e-0000-0000-0000-000000000000"
)
LOGICAL_ID: Final = "Pool"
SERVICE_TOKEN: Final = f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:pool-provider"
# A pre-signed S3 URL: its signature must never reach a log.
RESPONSE_URL: Final = (
    "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/secret?X-Amz-Signature=abc"
)
# CloudFormation's limits on an answer (custom-resources.md section 1.3).
MAX_ANSWER_BYTES: Final = 4096
MAX_REASON_CHARS: Final = 256
MAX_PHYSICAL_ID_BYTES: Final = 1024

# --- what a mutating call is -------------------------------------------------------------------------
# Every SMS Voice operation that is not a read (the emulator's rule, ``is_read_only``) changes the
# account; a refused request makes none.
# The writes the provider itself makes (each a mutating call by the rule above).
MUTATING_OPERATIONS: Final = frozenset(
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


def is_mutating(operation: str) -> bool:
    """True for every operation that is not a read (Describe*/List*/Get*)."""
    return not is_read_only(operation)


def operations(control: ControlClient) -> list[str]:
    """The SMS Voice operations in the emulator's call log, in the order they arrived."""
    return [str(call["operation"]) for call in control.calls()]


def mutating_calls(control: ControlClient) -> list[str]:
    """The operations in the emulator's call log that changed the account (:func:`is_mutating`)."""
    return [operation for operation in operations(control) if is_mutating(operation)]


# --- the account --------------------------------------------------------------------------------------
def sms_client(endpoint_url: str) -> Any:
    """A boto3 SMS Voice v2 client on ``endpoint_url`` (the emulator), in the harness's Region."""
    return boto3.client("pinpoint-sms-voice-v2", region_name=REGION, endpoint_url=endpoint_url)


# --- the event ----------------------------------------------------------------------------------------
def stringify(value: Any) -> Any:
    """Property values as CloudFormation delivers them: every scalar a string, structure kept.

    CloudFormation resolves every intrinsic before it calls the Lambda, so a value still holding
    one (``Ref``, ``Fn::*``, e.g. from a synthesized template) is refused with ValueError.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        if any(key == "Ref" or str(key).startswith("Fn::") for key in value):
            raise ValueError(f"an unresolved intrinsic is not what CloudFormation sends: {value}")
        return {str(k): stringify(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [stringify(v) for v in value]
    return str(value)


def make_event(
    request_type: str,
    properties: Mapping[str, Any],
    *,
    physical_id: str | None = None,
    old_properties: Mapping[str, Any] | None = None,
    request_id: str | None = None,
    logical_id: str = LOGICAL_ID,
    response_url: str = RESPONSE_URL,
    stack_id: str = STACK_ID,
    service_token: str = SERVICE_TOKEN,
    resource_type: str = contract.RESOURCE_TYPE,
) -> dict[str, Any]:
    """A CloudFormation custom resource event; properties are passed as given (tests hand strings,
    and bad-input cases a wrong structure on purpose; :func:`stringify` makes a template's values
    into what CloudFormation sends). ServiceToken leads the properties, as CloudFormation sends it;
    a ServiceToken among ``properties`` wins. Without ``request_id`` a fresh RequestId is made."""
    event: dict[str, Any] = {
        "RequestType": request_type,
        "ServiceToken": service_token,
        "ResponseURL": response_url,
        "StackId": stack_id,
        "RequestId": request_id or str(uuid.uuid4()),
        "LogicalResourceId": logical_id,
        "ResourceType": resource_type,
        "ResourceProperties": {"ServiceToken": service_token, **properties},
    }
    if physical_id is not None:
        event["PhysicalResourceId"] = physical_id
    if old_properties is not None:
        event["OldResourceProperties"] = dict(old_properties)
    return event


class FakeContext(LambdaContext):
    """The Lambda runner's context for an in-process call: remaining time runs down from ``seconds``."""

    def __init__(self, seconds: float = 20.0) -> None:
        super().__init__(function_arn=SERVICE_TOKEN, timeout_seconds=seconds)
        self.function_name = "pool-provider"


# --- the answer ---------------------------------------------------------------------------------------
class _PutAccepted:
    reason = "OK"
    status = 200


@dataclass
class ResponseRecorder:
    """Bodies crhelper PUT to the ResponseURL, in order, parsed and as sent."""

    bodies: list[dict[str, Any]] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)

    def connection_class(self) -> type:
        """A stand-in for crhelper's ``HTTPSConnection`` that records instead of sending."""
        recorder = self

        class RecordingConnection:
            def __init__(self, host: str, **_: Any) -> None:
                self.host = host

            def request(self, method: str, url: str, body: str, headers: Mapping[str, str]) -> None:
                assert method == "PUT", method
                assert headers["content-type"] == "", "S3 pre-signed URLs are signed without a type"
                recorder.raw.append(body.encode())
                recorder.bodies.append(json.loads(body))

            def getresponse(self) -> _PutAccepted:
                return _PutAccepted()

        return RecordingConnection

    def answers_since(self, before: int) -> list[dict[str, Any]]:
        return self.bodies[before:]


@contextlib.contextmanager
def recording_responses() -> Iterator[ResponseRecorder]:
    """crhelper's response transport replaced by a recorder for the duration (usable outside pytest)."""
    recorder = ResponseRecorder()
    # crhelper.utils imports HTTPSConnection from http.client without re-exporting it for mypy.
    original = crhelper.utils.HTTPSConnection  # type: ignore[attr-defined]
    crhelper.utils.HTTPSConnection = recorder.connection_class()  # type: ignore[attr-defined]
    try:
        yield recorder
    finally:
        crhelper.utils.HTTPSConnection = original  # type: ignore[attr-defined]


def check_answer(
    event: Mapping[str, Any],
    answers: list[dict[str, Any]],
    *,
    attributes: frozenset[str] | None = None,
) -> dict[str, Any]:
    """The one answer to ``event``, after checking the strictest rules every answer must meet.

    Exactly one answer; at most 4096 bytes; Status SUCCESS or FAILED; a non-empty string
    PhysicalResourceId of at most 1024 bytes; the request's StackId, RequestId and
    LogicalResourceId; a Reason of at most 256 characters, present on FAILED and never crhelper's
    truncation; every Data value a string (and, given ``attributes``, exactly those keys on a
    SUCCESS that is not a Delete); the same id on Delete and on a failed Update (only a successful
    Update may replace).
    """
    assert len(answers) == 1, f"expected exactly one answer, got {answers}"
    (answer,) = answers
    size = len(json.dumps(answer).encode())
    assert size <= MAX_ANSWER_BYTES, f"answer of {size} bytes"
    assert answer["Status"] in ("SUCCESS", "FAILED"), answer
    physical_id = answer.get("PhysicalResourceId")
    assert isinstance(physical_id, str) and 0 < len(physical_id.encode()) <= MAX_PHYSICAL_ID_BYTES, (
        f"Invalid PhysicalResourceId (CloudFormation rejects an empty or over-1 KiB id): {answer}"
    )
    for key in ("StackId", "RequestId", "LogicalResourceId"):
        assert answer[key] == event[key], (key, answer)
    reason = answer.get("Reason") or ""
    assert len(reason) <= MAX_REASON_CHARS, reason
    assert not reason.startswith("ERROR: (truncated)"), reason
    if answer["Status"] == "FAILED":
        assert reason, f"FAILED without a reason: {answer}"
    data = answer.get("Data") or {}
    assert all(isinstance(value, str) for value in data.values()), data
    if attributes is not None and answer["Status"] == "SUCCESS" and event["RequestType"] != "Delete":
        assert set(data) == attributes, data
    if event["RequestType"] != "Create":
        assert physical_id == event["PhysicalResourceId"] or (
            event["RequestType"] == "Update" and answer["Status"] == "SUCCESS"
        ), f"{event['RequestType']} answered with another id: {answer}"
    return answer


# --- retries ------------------------------------------------------------------------------------------
@contextlib.contextmanager
def fast_retry_backoff(seconds: float = 0.005) -> Iterator[float]:
    """botocore's retry pauses shortened; the number of attempts (the retry budget) is unchanged.

    Throttling backoff grows to 20 s; the tests are about what the provider does when the attempts
    run out, not about how long botocore sleeps between them.
    """
    original = standard.ExponentialBackoff.delay_amount
    standard.ExponentialBackoff.delay_amount = lambda self, context: seconds  # type: ignore[method-assign]  # the test double
    try:
        yield seconds
    finally:
        standard.ExponentialBackoff.delay_amount = original  # type: ignore[method-assign]  # put back
