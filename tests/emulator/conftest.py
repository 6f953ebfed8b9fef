"""Helpers for the emulator's tests: clients that skip boto3's own checks and retries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.config import Config

from localcloud.sms_voice import Emulator

NO_RETRIES = Config(retries={"total_max_attempts": 1, "mode": "standard"})


@pytest.fixture
def client(sms_endpoint: str) -> Any:
    """A client that makes exactly one attempt per call (faults and throttles reach the test)."""
    return boto3.client(
        "pinpoint-sms-voice-v2", region_name="us-east-1", endpoint_url=sms_endpoint, config=NO_RETRIES
    )


@pytest.fixture
def raw(sms_endpoint: str) -> Any:
    """A client without boto3's parameter validation, so the emulator's own validation answers."""
    config = NO_RETRIES.merge(Config(parameter_validation=False))
    return boto3.client(
        "pinpoint-sms-voice-v2", region_name="us-east-1", endpoint_url=sms_endpoint, config=config
    )


@pytest.fixture
def make_pool(emulator: Emulator, sms: Any) -> Callable[..., dict[str, Any]]:
    """Create a pool seeded from a new phone number (keyword arguments go to seed_phone_number)."""

    def make(**phone_attributes: Any) -> dict[str, Any]:
        phone = emulator.control.seed_phone_number(**phone_attributes)
        pool: dict[str, Any] = sms.create_pool(
            OriginationIdentity=phone["PhoneNumberArn"], MessageType=phone["MessageType"]
        )
        pool["SeedPhone"] = phone
        return pool

    return make
