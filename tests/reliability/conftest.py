"""Fixtures for the reliability tests, and the hypothesis profiles they run under.

Profiles: ``ci`` (the default) is derandomized and keeps no example database, so every run of
``make test`` plays the same sequences; ``explore`` draws fresh random sequences and more of them
(``POOL_HYPOTHESIS_PROFILE=explore .venv/bin/pytest tests/reliability``).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings

from tests.reliability.reliability_helpers import CloudFormation

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
def cloudformation(cloudformation: CloudFormation, short_retry_pauses: float) -> CloudFormation:
    """The root in-process CloudFormation (tests/conftest.py), with botocore's retry pauses shortened
    (tests/conftest.py ``short_retry_pauses``) for the whole test."""
    return cloudformation


@pytest.fixture
def account(sms: Any) -> Any:
    """The root ``sms`` client (tests/conftest.py), by the name these tests inspect the account with
    (its calls are in the call log too: read the log first)."""
    return sms
