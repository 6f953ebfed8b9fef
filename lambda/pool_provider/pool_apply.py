"""Applying a plan to a pool: the mutating calls, in the planned order, each made safe to retry.

botocore retries a call whose answer was lost; the service may already have done it, so "already
associated", "not associated" and "keyword already gone" count as done.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

import contract
from pool_errors import (
    API_ERRORS,
    PoolConflictError,
    api_failure,
    error_code,
    error_reason,
    error_resource_type,
)
from pool_planner import MemberIdentity, PoolPlan
from pool_state import PoolFacts
from pool_waiter import TimeBudget

if TYPE_CHECKING:
    from mypy_boto3_pinpoint_sms_voice_v2 import PinpointSMSVoiceV2Client
    from mypy_boto3_pinpoint_sms_voice_v2.type_defs import TagTypeDef, UpdatePoolRequestTypeDef

logger = logging.getLogger(__name__)


def associate(client: PinpointSMSVoiceV2Client, pool_id: str, member: MemberIdentity) -> None:
    try:
        client.associate_origination_identity(
            PoolId=pool_id, OriginationIdentity=member.arn, IsoCountryCode=member.iso_country_code
        )
    except API_ERRORS as error:
        # A retried call whose first attempt took effect (the answer was lost) finds it done.
        if error_reason(error) == "RESOURCE_ALREADY_ASSOCIATED":
            return
        raise api_failure("AssociateOriginationIdentity", error, member.identity_id) from error


def disassociate(client: PinpointSMSVoiceV2Client, pool_id: str, member: MemberIdentity) -> None:
    try:
        client.disassociate_origination_identity(
            PoolId=pool_id, OriginationIdentity=member.arn, IsoCountryCode=member.iso_country_code
        )
    except API_ERRORS as error:
        if error_reason(error) in ("PHONE_NUMBER_NOT_ASSOCIATED_TO_POOL", "NO_ORIGINATION_IDENTITIES_FOUND"):
            return
        if error_reason(error) == "LAST_PHONE_NUMBER":
            raise PoolConflictError(
                f"Cannot remove {member.identity_id} from pool {pool_id}: a pool keeps at least one phone "
                f"number. Add another phone number to {contract.ORIGINATION_IDENTITIES} first."
            ) from error
        raise api_failure("DisassociateOriginationIdentity", error, member.identity_id) from error


def _put_keywords(client: PinpointSMSVoiceV2Client, pool_id: str, plan: PoolPlan) -> None:
    for put in plan.put_keywords:
        try:
            if put.action is None:
                client.put_keyword(
                    OriginationIdentity=pool_id, Keyword=put.keyword, KeywordMessage=put.message
                )
            else:
                client.put_keyword(
                    OriginationIdentity=pool_id,
                    Keyword=put.keyword,
                    KeywordMessage=put.message,
                    KeywordAction=put.action,
                )
        except API_ERRORS as error:
            # The service's message and the chained error (logged with the traceback) may quote
            # the keyword message, which may come from a NoEcho parameter: neither is passed on.
            raise api_failure("PutKeyword", error, put.keyword, quote_service=False) from None
    for keyword in plan.delete_keywords:
        try:
            client.delete_keyword(OriginationIdentity=pool_id, Keyword=keyword)
        except API_ERRORS as error:
            if error_code(error) != "ResourceNotFoundException" or error_resource_type(error) != "keyword":
                raise api_failure("DeleteKeyword", error, keyword) from error


def _apply_tags(client: PinpointSMSVoiceV2Client, pool_id: str, pool_arn: str, plan: PoolPlan) -> None:
    if plan.tags_to_set:
        tags: list[TagTypeDef] = [{"Key": key, "Value": value} for key, value in plan.tags_to_set.items()]
        try:
            client.tag_resource(ResourceArn=pool_arn, Tags=tags)
        except API_ERRORS as error:
            raise api_failure("TagResource", error, pool_id) from error
    if plan.tag_keys_to_remove:
        try:
            client.untag_resource(ResourceArn=pool_arn, TagKeys=list(plan.tag_keys_to_remove))
        except API_ERRORS as error:
            raise api_failure("UntagResource", error, pool_id) from error


def _update_pool(
    client: PinpointSMSVoiceV2Client, pool_id: str, changes: Mapping[str, object]
) -> PoolFacts | None:
    """UpdatePool with ``changes`` (none: no call); the pool's facts after it."""
    if not changes:
        return None
    request = cast("UpdatePoolRequestTypeDef", {"PoolId": pool_id, **changes})
    try:
        return PoolFacts.from_info(cast("Mapping[str, Any]", client.update_pool(**request)))
    except API_ERRORS as error:
        changed = ", ".join(sorted(changes))
        raise api_failure("UpdatePool", error, f"{pool_id} ({changed})") from error


def apply_plan(
    client: PinpointSMSVoiceV2Client, pool_id: str, pool_arn: str, plan: PoolPlan, budget: TimeBudget
) -> PoolFacts | None:
    """Make the planned calls in order; the pool's facts after UpdatePool, if it was called.

    Slow calls (retried throttling) can use up the Lambda's time: the plan stops while there is
    still time to clean up and answer, instead of letting crhelper's timer answer without an id.
    """
    logger.info("Applying %d change(s) to pool %s", plan.mutating_call_count, pool_id)
    updated: PoolFacts | None = None
    for member in plan.associate_first:
        budget.check(f"associating {member.identity_id} with pool {pool_id}")
        associate(client, pool_id, member)
    budget.check(f"updating pool {pool_id}")
    updated = _update_pool(client, pool_id, plan.bridge_update)
    for member in plan.associate_bridged:
        budget.check(f"associating {member.identity_id} with pool {pool_id}")
        associate(client, pool_id, member)
    budget.check(f"updating pool {pool_id}")
    updated = _update_pool(client, pool_id, plan.settings_update) or updated
    for member in plan.associate_after_settings:
        budget.check(f"associating {member.identity_id} with pool {pool_id}")
        associate(client, pool_id, member)
    for member in plan.disassociate:
        budget.check(f"removing {member.identity_id} from pool {pool_id}")
        disassociate(client, pool_id, member)
    budget.check(f"setting the keywords of pool {pool_id}")
    _put_keywords(client, pool_id, plan)
    budget.check(f"tagging pool {pool_id}")
    _apply_tags(client, pool_id, pool_arn, plan)
    return updated
