"""Driving the provider the way CloudFormation does: events in, the body PUT to the ResponseURL out.

``index.handler`` runs for real (crhelper included) against the SMS Voice emulator over HTTP; only
crhelper's HTTPS connection is replaced, by a fake that records what would reach CloudFormation.
"""

from __future__ import annotations

import pytest

from tests.support.harness import FakeContext, make_event
from tests.support.in_process import CloudFormation

# The provider tests' name for the in-process CloudFormation: the provider, driven as CloudFormation does.
Provider = CloudFormation

# Re-exported for the provider tests that build events or contexts by hand.
__all__ = ["FakeContext", "Provider", "make_event"]


@pytest.fixture
def provider(cloudformation: CloudFormation) -> Provider:
    """The root ``cloudformation`` fixture (tests/conftest.py) under the provider tests' name: a
    fresh account, activation delay 0, crhelper's answers recorded."""
    return cloudformation
