"""Waiting for a pool to change state, inside the time the Lambda has left.

There is no botocore waiter for pools. DescribePools is polled once a second (the service's request
rate) for the first minute, when pools usually settle, then with a growing pause; the answer thus
comes at most about a second after the pool is ACTIVE. The wait gives up while there is still time to
clean up and answer CloudFormation: crhelper's own timer answers FAILED half a second before the
Lambda ends, with an empty PhysicalResourceId, and that answer must never be the one sent.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Protocol

from pool_errors import ApiCall, PoolWaitTimeoutError

if TYPE_CHECKING:
    from mypy_boto3_pinpoint_sms_voice_v2 import PinpointSMSVoiceV2Client
    from mypy_boto3_pinpoint_sms_voice_v2.type_defs import PoolInformationTypeDef

# Pauses between DescribePools calls: 1 s (the service quota; botocore retries a throttled poll) for
# the first minute, then growing by half each time up to 5 s for slow pools.
FIRST_PAUSE_SECONDS: Final = 1.0
STEADY_POLLING_SECONDS: Final = 60.0
PAUSE_GROWTH: Final = 1.5
MAX_PAUSE_SECONDS: Final = 5.0
# Kept free after the last wait for cleanup and the answer; a share of the time the Lambda had,
# bounded so short test budgets still wait and long Lambdas do not idle.
RESERVE_SHARE: Final = 0.2
MIN_RESERVE_SECONDS: Final = 2.0
MAX_RESERVE_SECONDS: Final = 30.0
# crhelper fires its timeout answer 0.5 s before the end; our last call must finish before that.
FINAL_MARGIN_SECONDS: Final = 1.5


class LambdaContext(Protocol):
    """The part of the Lambda context object the provider uses."""

    def get_remaining_time_in_millis(self) -> int: ...


@dataclass
class TimeBudget:
    """How long waits may run: until the reserve (normal work) or the final margin (cleanup)."""

    context: LambdaContext
    reserve_seconds: float
    sleep: Callable[[float], None] = field(default=time.sleep)
    # Inside ``cleaning_up()``: calls may retry into the reserve (cleaning up is what it is for).
    in_cleanup: bool = False

    @classmethod
    def for_invocation(cls, context: LambdaContext) -> TimeBudget:
        total = context.get_remaining_time_in_millis() / 1000.0
        reserve = min(MAX_RESERVE_SECONDS, max(MIN_RESERVE_SECONDS, total * RESERVE_SHARE))
        return cls(context=context, reserve_seconds=reserve)

    def seconds_left(self, *, cleanup: bool = False) -> float:
        """Time left for waiting; cleanup may use the reserve, normal work may not."""
        remaining = self.context.get_remaining_time_in_millis() / 1000.0
        return remaining - (FINAL_MARGIN_SECONDS if cleanup else self.reserve_seconds)

    def may_retry_after(self, pause: float) -> bool:
        """Whether a call may pause ``pause`` seconds and try again (the client's retries ask)."""
        return self.seconds_left(cleanup=self.in_cleanup) > pause

    @contextlib.contextmanager
    def cleaning_up(self) -> Iterator[None]:
        """Calls made inside retry until the final margin instead of stopping at the reserve."""
        previous, self.in_cleanup = self.in_cleanup, True
        try:
            yield
        finally:
            self.in_cleanup = previous

    def check(self, next_step: str) -> None:
        """Raise PoolWaitTimeoutError when normal work has used up its time."""
        if self.seconds_left() <= 0:
            raise PoolWaitTimeoutError(
                f"The Lambda ran out of time before {next_step} (slow or throttled calls); "
                "raise its timeout, then retry."
            )


def describe_pool(client: PinpointSMSVoiceV2Client, pool_id: str) -> PoolInformationTypeDef | None:
    """The pool, or None when it no longer exists."""
    with ApiCall("DescribePools", pool_id, tolerate=("ResourceNotFoundException",)):
        return client.describe_pools(PoolIds=[pool_id])["Pools"][0]
    return None


def wait_for_pool(
    client: PinpointSMSVoiceV2Client,
    pool_id: str,
    budget: TimeBudget,
    *,
    done: Callable[[PoolInformationTypeDef | None], bool],
    waiting_for: str,
    cleanup: bool = False,
) -> PoolInformationTypeDef | None:
    """Poll DescribePools until ``done(pool)`` (pool None = gone); raise PoolWaitTimeoutError in time."""
    pause = FIRST_PAUSE_SECONDS
    waited = 0.0
    while True:
        pool = describe_pool(client, pool_id)
        if done(pool):
            return pool
        if budget.seconds_left(cleanup=cleanup) < pause:
            status = pool["Status"] if pool is not None else "gone"
            raise PoolWaitTimeoutError(
                f"Pool {pool_id} is still {status} after {waited:.0f} s waiting for {waiting_for}; the "
                "Lambda ran out of time (raise its timeout, then retry)."
            )
        budget.sleep(pause)
        waited += pause
        if waited >= STEADY_POLLING_SECONDS:
            pause = min(MAX_PAUSE_SECONDS, pause * PAUSE_GROWTH)


def is_settled(pool: PoolInformationTypeDef | None) -> bool:
    """Not CREATING: ACTIVE, DELETING or gone (a state DeletePool can act on or does not need)."""
    return pool is None or pool["Status"] != "CREATING"
