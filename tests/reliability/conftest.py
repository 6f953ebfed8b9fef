"""Fixtures for the reliability tests, and the hypothesis profiles they run under.

Profiles: ``ci`` (the default) is derandomized and keeps no example database, so every run of
``make test`` plays the same sequences; ``explore`` draws fresh random sequences and more of them
(``POOL_HYPOTHESIS_PROFILE=explore .venv/bin/pytest tests/reliability``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, Phase, settings

from tests.reliability.reliability_helpers import CloudFormation
from tests.support.harness import fast_retry_backoff, recording_responses

if TYPE_CHECKING:
    from localcloud.sms_voice import Emulator

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=20,
    stateful_step_count=12,
    # No shrinking: a failure prints its whole step sequence at once instead of minutes later.
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "explore",
    derandomize=False,
    database=None,
    deadline=None,
    max_examples=100,
    stateful_step_count=25,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def cloudformation(emulator: Emulator, sms_endpoint: str) -> Iterator[CloudFormation]:
    """A fresh account, botocore's retry pauses shortened, and a recorder for crhelper's answers."""
    emulator.control.set_activation_delay(0)
    with recording_responses() as recorder, fast_retry_backoff():
        yield CloudFormation(control=emulator.control, responses=recorder)
    emulator.control.clear_faults()
    emulator.control.set_rate_profile("off")
    emulator.control.set_activation_delay(0)


@pytest.fixture
def account(sms: Any) -> Any:
    """The root ``sms`` client (tests/conftest.py), by the name these tests inspect the account with
    (its calls are in the call log too: read the log first)."""
    return sms
