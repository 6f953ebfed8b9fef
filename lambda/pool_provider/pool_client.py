"""The ``pinpoint-sms-voice-v2`` client the provider uses: retries and timeouts chosen for a Lambda.

Every control-plane call of the service is limited to about one request per second, shared with
everything else in the account, so throttling is normal: botocore's standard retry mode retries
ThrottlingException, 5xx answers and dropped connections with jittered exponential backoff. The
connect and read timeouts stay far below the Lambda timeout, so a hung call fails in time for the
provider to answer CloudFormation. The client comes from boto3's default session, so the usual
environment (``AWS_REGION``, ``AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2``) applies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import boto3
from botocore.config import Config

if TYPE_CHECKING:
    from mypy_boto3_pinpoint_sms_voice_v2 import PinpointSMSVoiceV2Client

SERVICE_NAME: Final = "pinpoint-sms-voice-v2"
MAX_ATTEMPTS: Final = 10
CONNECT_TIMEOUT_SECONDS: Final = 5
READ_TIMEOUT_SECONDS: Final = 20

CLIENT_CONFIG: Final = Config(
    retries={"mode": "standard", "max_attempts": MAX_ATTEMPTS},
    connect_timeout=CONNECT_TIMEOUT_SECONDS,
    read_timeout=READ_TIMEOUT_SECONDS,
)


def make_client() -> PinpointSMSVoiceV2Client:
    """A client from the default session, with the provider's retry and timeout settings."""
    return boto3.client(SERVICE_NAME, config=CLIENT_CONFIG)
