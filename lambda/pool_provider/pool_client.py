"""The ``pinpoint-sms-voice-v2`` client the provider uses: retries and timeouts chosen for a Lambda.

Every control-plane call of the service is limited to about one request per second, shared with
everything else in the account, so throttling is normal, and when many pools deploy at once a call
may be throttled for a long time. botocore's standard retry mode retries ThrottlingException, 5xx
answers and dropped connections with jittered exponential backoff; here the pause is capped at
``MAX_BACKOFF_SECONDS`` and the attempts are many (``MAX_ATTEMPTS``), so what ends the retries is
the Lambda's time: a retry whose pause would run into the time kept for clean-up and the answer is
not made (see ``pool_waiter.TimeBudget.may_retry_after``). The connect and read timeouts of each
attempt stay short, so a hung call fails in time for the provider to answer CloudFormation. The
client comes from boto3's default session, so the usual environment (``AWS_REGION``,
``AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2``) applies.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Final

import boto3
from botocore.config import Config
from botocore.retries import standard

if TYPE_CHECKING:
    from mypy_boto3_pinpoint_sms_voice_v2 import PinpointSMSVoiceV2Client
    from pool_waiter import TimeBudget

logger = logging.getLogger(__name__)

SERVICE_NAME: Final = "pinpoint-sms-voice-v2"
# About as many attempts as the provider's 5-minute Lambda has time for at MAX_BACKOFF_SECONDS
# (jittered: 2.5 s on average): the time budget, not the count, ends a throttled call's retries.
MAX_ATTEMPTS: Final = 100
# Pauses grow 1, 2, 4 s (throttling; 5xx and lost connections start at 50 ms), then stay at most
# this long: at 1 request/s, with many pools deploying at once, a longer pause (botocore's default
# is 20 s) leaves the quota unused (100 pools: 136 s with 10 s, 121 s with 5 s; the bound is 99 s).
MAX_BACKOFF_SECONDS: Final = 5
CONNECT_TIMEOUT_SECONDS: Final = 5
READ_TIMEOUT_SECONDS: Final = 10

CLIENT_CONFIG: Final = Config(
    retries={"mode": "standard", "max_attempts": MAX_ATTEMPTS},
    connect_timeout=CONNECT_TIMEOUT_SECONDS,
    read_timeout=READ_TIMEOUT_SECONDS,
)


class _NoRetryQuota:
    """No client-wide retry quota: the client lives for one invocation, whose time bounds retries.

    (botocore's quota stops retrying after a few dozen failed attempts in a client's life, which
    would leave the calls after a long outage, the clean-up included, with no retries at all.)
    """

    def acquire_retry_quota(self, context: Any) -> bool:
        return True


class _TimeBoundRetries:
    """botocore's standard retry decision and backoff, but no retry whose pause outlasts the budget."""

    def __init__(self, client: Any, budget: TimeBudget) -> None:
        adapter = standard.RetryEventAdapter()
        throttling = standard.ThrottlingErrorDetector(adapter)
        self._handler = standard.RetryHandler(
            retry_policy=standard.RetryPolicy(
                retry_checker=standard.StandardRetryConditions(
                    max_attempts=client.meta.config.retries["total_max_attempts"]
                ),
                retry_backoff=standard.ExponentialBackoff(
                    max_backoff=MAX_BACKOFF_SECONDS, throttling_detector=throttling
                ),
            ),
            retry_event_adapter=adapter,
            # Duck-typed: botocore calls only acquire_retry_quota (the stubs name its RetryQuota).
            retry_quota=_NoRetryQuota(),  # type: ignore[arg-type]
        )
        self._budget = budget

    def needs_retry(self, **kwargs: Any) -> float | bool | None:
        delay: float | None = self._handler.needs_retry(**kwargs)
        if delay is None:
            return None  # not retryable, or out of attempts: botocore's own handler agrees
        if not self._budget.may_retry_after(delay):
            logger.warning(
                "Not retrying %s after attempt %s: the Lambda's time is nearly used up",
                kwargs["operation"].name,
                kwargs["attempts"],
            )
            return False  # non-None: botocore's handler (which runs after this one) cannot retry
        return delay


def make_client(budget: TimeBudget | None = None) -> PinpointSMSVoiceV2Client:
    """A client from the default session, with the provider's retry and timeout settings.

    With ``budget``, retries go on (up to MAX_ATTEMPTS) only while the budget has time for the pause.
    """
    client = boto3.client(SERVICE_NAME, config=CLIENT_CONFIG)
    if budget is not None:
        retries = _TimeBoundRetries(client, budget)
        events = client.meta.events
        service = client.meta.service_model.service_id.hyphenize()
        # First: the first answer that is not None decides (endpoint.py), so this one does.
        # needs-retry handlers answer a delay (the stubs type every handler as returning None).
        events.register_first(f"needs-retry.{service}", retries.needs_retry)  # type: ignore[arg-type]
    return client
