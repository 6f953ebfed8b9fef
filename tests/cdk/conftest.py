"""Fixtures for the CDK tests; see cdk_synth.py for how apps are synthesized."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import pytest

from tests.cdk.cdk_synth import Synthesized, synthesize


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Synthesized]:
    """``synth(build, context=None)``: synthesize into a fresh temporary cdk.out."""

    def run(build: Callable[[cdk.App], cdk.Stack], context: dict[str, Any] | None = None) -> Synthesized:
        return synthesize(build, tmp_path_factory.mktemp("cdk.out"), context)

    return run
