"""Driving the provider the way CloudFormation does: events in, the body PUT to the ResponseURL out.

``index.handler`` runs for real (crhelper included) against the SMS Voice emulator over HTTP; only
crhelper's HTTPS connection is replaced, by a fake that records what would reach CloudFormation.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.support.harness import (
    FakeContext,
    ResponseRecorder,
    fast_retry_backoff,
    make_event,
    recording_responses,
)
from tests.support.in_process import CloudFormation

if TYPE_CHECKING:
    from localcloud.sms_voice import Emulator
    from localcloud.sms_voice.control import ControlClient

# Re-exported for the provider tests that build events or contexts by hand.
# The provider tests' name for the in-process CloudFormation: the provider, driven as CloudFormation does.
Provider = CloudFormation

__all__ = ["FakeContext", "Provider", "make_event"]


@pytest.fixture
def responses() -> Iterator[ResponseRecorder]:
    """Capture what crhelper sends to CloudFormation instead of sending it."""
    with recording_responses() as recorder:
        yield recorder


@pytest.fixture
def control(emulator: Emulator, sms_endpoint: str) -> Iterator[ControlClient]:
    """The emulator's control plane on a fresh account (activation delay 0)."""
    emulator.control.set_activation_delay(0)
    yield emulator.control
    emulator.control.clear_faults()
    emulator.control.set_activation_delay(0)


@pytest.fixture
def provider(responses: ResponseRecorder, control: ControlClient) -> Provider:
    """CloudFormation for one pool, played in this process (tests/support/in_process.py)."""
    return Provider(control=control, responses=responses)


@pytest.fixture
def short_retry_pauses() -> Iterator[float]:
    """botocore's retry pauses cut to the harness's 5 ms (throttling would pause up to 20 s); the
    attempts are unchanged, so a fault outlasting them ends the same way, only sooner."""
    with fast_retry_backoff() as pause:
        yield pause
