"""End-to-end fixtures: ONE local cloud (ministack + the SMS Voice emulator) for the whole e2e session,
bootstrapped once, driven with the real `npx cdk` CLI exactly as `make demo` does.

Every test starts from an empty SMS Voice account and no app stack, and leaves none behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from localcloud.cdk_cli import CdkCli
from localcloud.cloud import LocalCloud
from localcloud.sms_voice.control import ControlClient
from tests.e2e.e2e_helpers import AppStack

if TYPE_CHECKING:
    from mypy_boto3_pinpoint_sms_voice_v2 import PinpointSMSVoiceV2Client

# Long enough that the provider really waits for CREATING -> ACTIVE, short enough for a quick run.
E2E_ACTIVATION_DELAY_SECONDS = 1.0


@pytest.fixture(scope="session")
def local_cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCloud]:
    with LocalCloud(
        tmp_path_factory.mktemp("localcloud"), activation_delay=E2E_ACTIVATION_DELAY_SECONDS
    ) as cloud:
        yield cloud


@pytest.fixture(scope="session")
def bootstrapped_cdk(local_cloud: LocalCloud, tmp_path_factory: pytest.TempPathFactory) -> CdkCli:
    cdk = CdkCli(local_cloud.subprocess_env(), tmp_path_factory.mktemp("cdk"))
    cdk.bootstrap()
    return cdk


@pytest.fixture(scope="session")
def control(local_cloud: LocalCloud) -> ControlClient:
    return ControlClient(local_cloud.endpoints.sms_voice_endpoint_url)


@pytest.fixture(scope="session")
def sms_voice(local_cloud: LocalCloud) -> PinpointSMSVoiceV2Client:
    return local_cloud.sms_voice_client()


@pytest.fixture(scope="session")
def cloudformation(local_cloud: LocalCloud) -> Any:
    return local_cloud.cloudformation_client()


@pytest.fixture
def app_stack(
    bootstrapped_cdk: CdkCli, cloudformation: Any, sms_voice: PinpointSMSVoiceV2Client, control: ControlClient
) -> Iterator[AppStack]:
    """An empty account and no app stack; whatever the test deployed is destroyed afterwards."""
    stack = AppStack(bootstrapped_cdk, cloudformation, sms_voice)
    if stack.status() is not None:
        stack.destroy()
    control.reset()
    yield stack
    control.clear_faults()
    if stack.status() is not None:
        stack.destroy()
