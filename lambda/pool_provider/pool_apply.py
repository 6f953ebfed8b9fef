"""Applying a plan to a pool: the mutating calls, in the planned order, each made safe to retry.

botocore retries a call whose answer was lost; the service may already have done it, so "already
associated", "not associated" and "keyword already gone" count as done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, Final, cast

import contract
from pool_errors import EVERY_CHANGE_UNDONE, ApiCall, PoolConflictError, PoolProviderError
from pool_identities import Identity
from pool_planner import PoolPlan
from pool_properties import Keyword
from pool_state import PoolFacts
from pool_waiter import TimeBudget

if TYPE_CHECKING:
    from mypy_boto3_pinpoint_sms_voice_v2 import PinpointSMSVoiceV2Client
    from mypy_boto3_pinpoint_sms_voice_v2.literals import KeywordActionType
    from mypy_boto3_pinpoint_sms_voice_v2.type_defs import TagTypeDef, UpdatePoolRequestTypeDef

logger = logging.getLogger(__name__)


# A retried call whose first attempt took effect (its answer was lost) finds the work done.
ALREADY_ASSOCIATED: Final = ("RESOURCE_ALREADY_ASSOCIATED",)
NOT_ASSOCIATED: Final = ("PHONE_NUMBER_NOT_ASSOCIATED_TO_POOL", "NO_ORIGINATION_IDENTITIES_FOUND")
KEYWORD_GONE: Final = ("ResourceNotFoundException/keyword",)


def associate(client: PinpointSMSVoiceV2Client, pool_id: str, member: Identity) -> None:
    with ApiCall("AssociateOriginationIdentity", member.identity_id, tolerate=ALREADY_ASSOCIATED):
        client.associate_origination_identity(
            PoolId=pool_id, OriginationIdentity=member.arn, IsoCountryCode=member.iso_country_code
        )


def disassociate(client: PinpointSMSVoiceV2Client, pool_id: str, member: Identity) -> None:
    last_number = PoolConflictError(
        f"Cannot remove {member.identity_id} from pool {pool_id}: a pool keeps at least one phone "
        f"number. Add another phone number to {contract.ORIGINATION_IDENTITIES} first."
    )
    with ApiCall(
        "DisassociateOriginationIdentity",
        member.identity_id,
        tolerate=NOT_ASSOCIATED,
        fixes={"LAST_PHONE_NUMBER": last_number},
    ):
        client.disassociate_origination_identity(
            PoolId=pool_id, OriginationIdentity=member.arn, IsoCountryCode=member.iso_country_code
        )


def _put_keyword(
    client: PinpointSMSVoiceV2Client,
    pool_id: str,
    keyword: str,
    message: str,
    action: KeywordActionType | None,
) -> None:
    """PutKeyword; ``action`` None for HELP/STOP, whose action never changes."""
    # The service's message and the chained error (logged with the traceback) may quote the
    # keyword message, which may come from a NoEcho parameter: neither is passed on.
    with ApiCall("PutKeyword", keyword, quote_service=False):
        if action is None:
            client.put_keyword(OriginationIdentity=pool_id, Keyword=keyword, KeywordMessage=message)
        else:
            client.put_keyword(
                OriginationIdentity=pool_id, Keyword=keyword, KeywordMessage=message, KeywordAction=action
            )


def _delete_keyword(client: PinpointSMSVoiceV2Client, pool_id: str, keyword: str) -> None:
    with ApiCall("DeleteKeyword", keyword, tolerate=KEYWORD_GONE):
        client.delete_keyword(OriginationIdentity=pool_id, Keyword=keyword)


def _restore_keyword(
    client: PinpointSMSVoiceV2Client, pool_id: str, keyword: str, previous: Keyword | None
) -> None:
    """Put ``keyword`` back as it was (``previous``), or delete it if the pool did not have it."""
    if previous is None:
        _delete_keyword(client, pool_id, keyword)
        return
    mandatory = previous.keyword.upper() in contract.MANDATORY_KEYWORD_NAMES
    _put_keyword(client, pool_id, previous.keyword, previous.message, None if mandatory else previous.action)


def tag(client: PinpointSMSVoiceV2Client, pool_id: str, pool_arn: str, tags: Mapping[str, str]) -> None:
    tag_list: list[TagTypeDef] = [{"Key": key, "Value": value} for key, value in tags.items()]
    with ApiCall("TagResource", pool_id):
        client.tag_resource(ResourceArn=pool_arn, Tags=tag_list)


def _untag(client: PinpointSMSVoiceV2Client, pool_id: str, pool_arn: str, keys: Sequence[str]) -> None:
    with ApiCall("UntagResource", pool_id):
        client.untag_resource(ResourceArn=pool_arn, TagKeys=list(keys))


def _restore_tags(
    client: PinpointSMSVoiceV2Client,
    pool_id: str,
    pool_arn: str,
    keys: Sequence[str],
    previous: Mapping[str, str],
) -> None:
    """Tags ``keys`` back as they were: the previous value, or no tag."""
    back = {key: previous[key] for key in keys if key in previous}
    if back:
        tag(client, pool_id, pool_arn, back)
    added = [key for key in keys if key not in previous]
    if added:
        _untag(client, pool_id, pool_arn, added)


def _update_pool(
    client: PinpointSMSVoiceV2Client, pool_id: str, changes: Mapping[str, object]
) -> PoolFacts | None:
    """UpdatePool with ``changes`` (none: no call); the pool's facts after it."""
    if not changes:
        return None
    request = cast("UpdatePoolRequestTypeDef", {"PoolId": pool_id, **changes})
    with ApiCall("UpdatePool", f"{pool_id} ({', '.join(sorted(changes))})"):
        updated = client.update_pool(**request)
    return PoolFacts.from_info(cast("Mapping[str, Any]", updated))


# What a step changed, and how to put it back.
Undo = tuple[str, Callable[[], object]]


def apply_plan(
    client: PinpointSMSVoiceV2Client,
    pool_id: str,
    pool_arn: str,
    plan: PoolPlan,
    budget: TimeBudget,
    *,
    undo_on_failure: bool = False,
) -> PoolFacts | None:
    """Make the planned calls in order; the pool's facts after UpdatePool, if it was called.

    Slow calls (retried throttling) can use up the Lambda's time: the plan stops while there is
    still time to clean up and answer, instead of letting crhelper's timer answer without an id.
    With ``undo_on_failure`` (an Update), a failure puts back every change already made, newest
    first, so the rollback Update finds the pool as it was (a new pool is deleted instead).
    """
    logger.info("Applying %d change(s) to pool %s", plan.mutating_call_count, pool_id)
    done: list[Undo] = []
    try:
        return _apply(client, pool_id, pool_arn, plan, budget, done=done)
    except Exception as failure:
        if not (undo_on_failure and done):
            raise
        not_undone = _undo(done, pool_id, budget)
        if not_undone:
            raise PoolProviderError(
                f"{failure} Could not undo: {', '.join(not_undone)}; the rollback Update retries it."
            ) from failure
        failure.add_note(EVERY_CHANGE_UNDONE)
        raise


def _undo(done: list[Undo], pool_id: str, budget: TimeBudget) -> list[str]:
    """Undo ``done`` newest first; what could not be undone."""
    logger.info("Undoing %d change(s) to pool %s after a failure", len(done), pool_id)
    not_undone: list[str] = []
    with budget.cleaning_up():
        for what, undo in reversed(done):
            try:
                undo()
            except Exception as error:  # every step is tried; what failed is reported
                logger.warning("Could not undo %s on pool %s: %s", what, pool_id, error)
                not_undone.append(what)
    return not_undone


def _apply(
    client: PinpointSMSVoiceV2Client,
    pool_id: str,
    pool_arn: str,
    plan: PoolPlan,
    budget: TimeBudget,
    *,
    done: list[Undo],
) -> PoolFacts | None:
    def join(members: Sequence[Identity]) -> None:
        for member in members:
            budget.check(f"associating {member.identity_id} with pool {pool_id}")
            associate(client, pool_id, member)
            done.append((f"associate {member.identity_id}", partial(disassociate, client, pool_id, member)))

    def update(changes: Mapping[str, object], undo: Mapping[str, object]) -> PoolFacts | None:
        budget.check(f"updating pool {pool_id}")
        facts = _update_pool(client, pool_id, changes)
        if facts is not None:
            done.append(
                (f"UpdatePool {', '.join(sorted(changes))}", partial(_update_pool, client, pool_id, undo))
            )
        return facts

    join(plan.associate_first)
    updated = update(plan.bridge_update, plan.undo_bridge_update)
    join(plan.associate_bridged)
    updated = update(plan.settings_update, plan.undo_settings_update) or updated
    join(plan.associate_after_settings)
    for member in plan.disassociate:
        budget.check(f"removing {member.identity_id} from pool {pool_id}")
        disassociate(client, pool_id, member)
        done.append((f"disassociate {member.identity_id}", partial(associate, client, pool_id, member)))
    budget.check(f"setting the keywords of pool {pool_id}")
    previous_keywords = plan.previous_keywords
    for put in plan.put_keywords:
        _put_keyword(client, pool_id, put.keyword, put.message, put.action)
        previous = previous_keywords.get(put.keyword.upper())
        done.append(
            (
                f"PutKeyword {put.keyword}",
                partial(_restore_keyword, client, pool_id, put.keyword, previous),
            )
        )
    for keyword in plan.delete_keywords:
        _delete_keyword(client, pool_id, keyword)
        previous = previous_keywords.get(keyword.upper())
        done.append(
            (
                f"DeleteKeyword {keyword}",
                partial(_restore_keyword, client, pool_id, keyword, previous),
            )
        )
    budget.check(f"tagging pool {pool_id}")
    if plan.tags_to_set:
        tag(client, pool_id, pool_arn, plan.tags_to_set)
        keys = list(plan.tags_to_set)
        done.append(
            ("TagResource", partial(_restore_tags, client, pool_id, pool_arn, keys, plan.previous_tags))
        )
    if plan.tag_keys_to_remove:
        _untag(client, pool_id, pool_arn, plan.tag_keys_to_remove)
        removed = list(plan.tag_keys_to_remove)
        done.append(
            ("UntagResource", partial(_restore_tags, client, pool_id, pool_arn, removed, plan.previous_tags))
        )
    # Last: the first phone number to join a pool without one can never leave it again.
    join(plan.associate_last)
    return updated
