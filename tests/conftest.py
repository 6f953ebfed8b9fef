"""Shared test set-up: a dummy AWS environment and the local SMS Voice emulator.

Nothing here talks to AWS. Each test that needs the service gets the emulator over HTTP, the way
boto3 reaches the real endpoint; state is reset between tests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

# Opt-in runs against a real account (tests/aws) keep the user's credentials, profile and Region.
REAL_AWS = os.environ.get("SMSVOICE_POOL_REAL_AWS") == "1"

# Before anything imports boto3 or crhelper (crhelper builds clients at import and needs a region).
if not REAL_AWS:
    os.environ.setdefault("AWS_REGION", "us-east-1")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    # Dummy keys, so that no test can ever reach a real account by accident.
    os.environ["AWS_ACCESS_KEY_ID"] = "testing"
    os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
    os.environ.pop("AWS_SESSION_TOKEN", None)
    os.environ.pop("AWS_PROFILE", None)
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

if TYPE_CHECKING:
    from localcloud.sms_voice import Emulator
    from tests.support.cfn_driver import CustomResourceDriver, HandlerBundle, ResponseServer
    from tests.support.in_process import CloudFormation


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    """One emulator for the session (activation delay 0), on a free loopback port."""
    from localcloud.sms_voice import Emulator  # noqa: PLC0415  # after the env set-up above

    with Emulator(activation_delay=0.0) as emu:
        yield emu


@pytest.fixture
def sms_endpoint(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> str:
    """A freshly reset account; boto3 clients made in the test reach the emulator."""
    emulator.control.reset()
    monkeypatch.setenv("AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2", emulator.endpoint_url)
    return emulator.endpoint_url


@pytest.fixture
def sms(sms_endpoint: str) -> Any:
    """A boto3 pinpoint-sms-voice-v2 client on a freshly reset emulator account."""
    from tests.support.harness import sms_client  # noqa: PLC0415  # after the env set-up above

    return sms_client(sms_endpoint)


@pytest.fixture
def cloudformation(emulator: Emulator, sms_endpoint: str) -> Iterator[CloudFormation]:
    """CloudFormation for one custom resource, played in this process (tests/support/in_process.py):
    crhelper's answers recorded instead of sent, on a freshly reset account with activation delay 0.
    Afterwards the emulator has no faults, no rate limits and activation delay 0 again."""
    from tests.support.harness import recording_responses  # noqa: PLC0415  # after the env set-up above
    from tests.support.in_process import CloudFormation  # noqa: PLC0415  # after the env set-up above

    emulator.control.set_activation_delay(0)
    with recording_responses() as recorder:
        yield CloudFormation(control=emulator.control, responses=recorder)
    emulator.control.clear_faults()
    emulator.control.set_rate_profile("off")
    emulator.control.set_activation_delay(0)


@pytest.fixture
def short_retry_pauses() -> Iterator[float]:
    """botocore's retry pauses cut to the harness's 5 ms (throttling would pause up to 20 s); the
    attempts are unchanged, so a fault outlasting them ends the same way, only sooner."""
    from tests.support.harness import fast_retry_backoff  # noqa: PLC0415  # after the env set-up above

    with fast_retry_backoff() as pause:
        yield pause


@pytest.fixture(scope="session")
def response_server() -> Iterator[ResponseServer]:
    """The protocol driver's HTTPS ResponseURL server (tests/support/cfn_driver.py), one per session."""
    from tests.support.cfn_driver import ResponseServer  # noqa: PLC0415  # after the env set-up above

    with ResponseServer() as server:
        yield server


@pytest.fixture
def driver(
    handler_bundle: HandlerBundle, response_server: ResponseServer, emulator: Emulator
) -> CustomResourceDriver:
    """A fresh Custom::SmsVoicePool played by the protocol driver (tests/support/cfn_driver.py) on a
    freshly reset emulator account: each invocation runs ``handler_bundle`` (the test module's own
    fixture: which code, which timeout) in a fresh process, its SMS Voice calls sent to the emulator."""
    import contract  # noqa: PLC0415  # lambda/pool_provider/contract.py, after the env set-up above

    from tests.support.cfn_driver import CustomResourceDriver  # noqa: PLC0415  # after the env set-up above

    emulator.control.reset()
    bundle = handler_bundle.with_settings(
        environment={
            **handler_bundle.environment,
            "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": emulator.endpoint_url,
        }
    )
    return CustomResourceDriver(bundle, response_server, resource_type=contract.RESOURCE_TYPE)
