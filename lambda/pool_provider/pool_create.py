"""Create: the pool the template describes (see pool_build for the idempotent machinery)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pool_build import PoolOutcome, build_pool, preflight_new_pool, resolve_new_pool
from pool_properties import PoolProperties
from pool_waiter import TimeBudget

if TYPE_CHECKING:
    from mypy_boto3_pinpoint_sms_voice_v2 import PinpointSMSVoiceV2Client


def create_pool_resource(
    client: PinpointSMSVoiceV2Client,
    desired: PoolProperties,
    create_token: str,
    budget: TimeBudget,
    on_pool_created: Callable[[str], None],
    *,
    left_behind_hint: str = "CloudFormation's rollback deletes it.",
) -> PoolOutcome:
    """Create the pool the template describes; ``on_pool_created`` learns its id at once."""
    identities, message_type, country = resolve_new_pool(client, desired)
    adopt = preflight_new_pool(client, desired, identities, message_type, create_token, replacing=None)
    return build_pool(
        client,
        desired=desired,
        identities=identities,
        message_type=message_type,
        iso_country_code=country,
        create_token=create_token,
        budget=budget,
        on_pool_created=on_pool_created,
        adopt=adopt,
        left_behind_hint=left_behind_hint,
    )
