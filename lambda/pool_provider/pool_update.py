"""Update: converge the pool in place, or replace it when MessageType/IsoCountryCode change.

Update converges the pool's ACTUAL state (not only the old properties) to the template, making only
the calls the difference needs. A replacement hands the phone numbers over from the old pool and
puts them back if it fails; the old pool is deleted by CloudFormation's cleanup Delete.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

import contract
from pool_apply import apply_plan, associate, disassociate
from pool_build import (
    COUNTRY_TAG_KEY,
    PoolOutcome,
    build_pool,
    preflight_new_pool,
    resolve_new_pool,
)
from pool_create import create_pool_resource
from pool_errors import (
    PoolConflictError,
    PoolPropertyError,
)
from pool_handover import handover_tags, is_handover_tag
from pool_identities import Identity
from pool_planner import ActualPool, desired_settings, plan_pool
from pool_preflight import (
    check_joins,
    check_keeps_a_phone_number,
    check_opt_out_list,
    derive_country,
    derive_message_type,
    first_identity,
    needs_first_identity_settings,
    resolve_identities,
    restore_removed_properties,
    seed_settings,
)
from pool_properties import NO_OLD_PROPERTIES, OldProperties, PoolProperties
from pool_state import PoolFacts, read_pool
from pool_waiter import TimeBudget, describe_pool, is_settled, wait_for_pool

if TYPE_CHECKING:
    from mypy_boto3_pinpoint_sms_voice_v2 import PinpointSMSVoiceV2Client
    from mypy_boto3_pinpoint_sms_voice_v2.literals import MessageTypeType

logger = logging.getLogger(__name__)


def update_pool_resource(
    client: PinpointSMSVoiceV2Client,
    desired: PoolProperties,
    pool_id: str,
    create_token: str,
    budget: TimeBudget,
    *,
    old: OldProperties = NO_OLD_PROPERTIES,
) -> PoolOutcome:
    """Converge pool ``pool_id`` to the template, or replace it when MessageType/IsoCountryCode change.

    ``old`` is what the event's OldResourceProperties set (parsed once, in index.py).
    """
    existing = read_existing_pool(client, pool_id, budget)
    if existing is None:
        # Deleted outside the stack: a new pool (a new PhysicalResourceId) puts the stack right.
        logger.warning("Pool %s no longer exists; creating a new pool", pool_id)
        return create_pool_resource(
            client, desired, create_token, budget, lambda _: None, left_behind_hint="delete it yourself."
        )
    facts, actual = existing
    return converge_pool(client, desired, facts, actual, create_token=create_token, budget=budget, old=old)


def read_existing_pool(
    client: PinpointSMSVoiceV2Client, pool_id: str, budget: TimeBudget
) -> tuple[PoolFacts, ActualPool] | None:
    """The pool (once it is no longer CREATING) and all it holds; None when gone or DELETING."""
    info = describe_pool(client, pool_id) if contract.is_pool_id(pool_id) else None
    if info is not None and info["Status"] == "CREATING":
        info = wait_for_pool(client, pool_id, budget, done=is_settled, waiting_for="ACTIVE")
    if info is None or info["Status"] == "DELETING":
        return None
    facts = PoolFacts.from_info(cast("Mapping[str, Any]", info))
    return facts, read_pool(client, facts)


def pool_country(actual: ActualPool) -> str | None:
    """The pool's country: the provider's tag, else its first identity's (DescribePools has none)."""
    return actual.tags.get(COUNTRY_TAG_KEY) or next(
        (m.iso_country_code for m in actual.members.values()), None
    )


def converge_pool(
    client: PinpointSMSVoiceV2Client,
    desired: PoolProperties,
    facts: PoolFacts,
    actual: ActualPool,
    *,
    create_token: str,
    budget: TimeBudget,
    old: OldProperties = NO_OLD_PROPERTIES,
    may_replace: bool = True,
) -> PoolOutcome:
    """Converge the pool ``read_existing_pool`` read to the template (see update_pool_resource).

    ``may_replace`` False: a template that needs a new pool raises instead (an adoption never
    creates a pool).
    """
    pool_id = facts.pool_id
    current_country = pool_country(actual)
    identities = resolve_identities(
        client, desired.identities, desired.iso_country_code or current_country, actual.members
    )
    message_type = derive_message_type(desired, identities, facts.message_type)
    country = derive_country(desired, identities, current_country)
    if message_type == facts.message_type and country == current_country:
        desired = restore_removed_properties(client, desired, old, identities)
    elif not may_replace:
        raise PoolConflictError(
            f"Pool {pool_id} is {facts.message_type} in {current_country}, and the template needs a "
            f"{message_type} pool in {country}; set {contract.MESSAGE_TYPE} and {contract.ISO_COUNTRY_CODE} "
            "to the pool's."
        )
    else:
        return replace_pool(
            client,
            desired=desired,
            old=actual,
            old_facts=facts,
            create_token=create_token,
            budget=budget,
            message_type=message_type,
            old_template_protected=old.deletion_protection_enabled,
        )
    check_keeps_a_phone_number(identities, actual)
    wanted = desired_settings(desired, actual.settings)
    # An identity that cannot join directly may join bridged (pool_planner.Join): only then is the
    # first identity looked up for the settings it gives a pool.
    bridge = None
    if needs_first_identity_settings(identities, actual.members, actual.settings, wanted):
        bridge = seed_settings(first_identity(client, identities))
    check_joins(
        identities,
        message_type,
        actual.members,
        actual.settings,
        wanted,
        own_pool_ids=[pool_id],
        first_identity=bridge,
    )
    check_opt_out_list(client, actual.settings, wanted)
    plan = plan_pool(desired, identities.members, actual, bridge, first_phone_last=True)
    marks = tuple(key for key in actual.tags if is_handover_tag(key))
    if marks:
        # A replacement is over once its new pool gets an Update: the mark goes (the protection
        # it came with goes with the plan's UpdatePool, unless the template asks for it).
        plan = dataclasses.replace(plan, tag_keys_to_remove=(*plan.tag_keys_to_remove, *marks))
    updated = (
        apply_plan(client, pool_id, facts.pool_arn, plan, budget, undo_on_failure=True)
        if not plan.is_empty
        else None
    )
    return PoolOutcome(pool_id, (updated or facts).attributes(country))


def replace_pool(
    client: PinpointSMSVoiceV2Client,
    *,
    desired: PoolProperties,
    old: ActualPool,
    old_facts: PoolFacts,
    create_token: str,
    budget: TimeBudget,
    message_type: MessageTypeType,
    old_template_protected: bool = False,
) -> PoolOutcome:
    """A new pool for a new MessageType/IsoCountryCode; the old one stays for CloudFormation's Delete.

    Phone numbers the new pool keeps are handed over: disassociated from the old pool first (a phone
    number is in one pool at a time), while the old pool keeps at least one phone number so it stays
    usable if the stack rolls back. Where that is impossible, fail before changing anything.
    """
    protected_by_mark = not old_template_protected and any(is_handover_tag(key) for key in old.tags)
    if old_facts.settings.deletion_protection_enabled and not protected_by_mark:
        # CloudFormation's cleanup Delete of the old pool would fail, and the stack would silently
        # abandon it (a failed cleanup does not fail the update). A hand-over mark's protection is
        # no obstacle: the cleanup Delete lifts it (pool_handover).
        raise PoolConflictError(
            f"Changing {contract.MESSAGE_TYPE}/{contract.ISO_COUNTRY_CODE} replaces pool {old.pool_id}, "
            f"which has {contract.DELETION_PROTECTION_ENABLED} true. Deploy with it false first, then make "
            "the change."
        )
    # An omitted IsoCountryCode stays omitted: the new pool takes its first identity's country.
    new_props = dataclasses.replace(desired, message_type=message_type)
    identities, message_type, country = resolve_new_pool(client, new_props)
    moving = [i for i in identities.looked_up.values() if i.pool_id == old.pool_id]
    for identity in moving:
        if message_type not in identity.message_types:
            # Front-loaded: with long ids, the property and the fix must survive the 256-character cut
            # (the stack event names the old pool anyway).
            raise PoolConflictError(
                f"{contract.MESSAGE_TYPE} {message_type} cannot keep phone number {identity.identity_id} "
                f"({old_facts.message_type}; a phone number's message type never changes): remove it from "
                f"{contract.ORIGINATION_IDENTITIES} or keep {contract.MESSAGE_TYPE} {old_facts.message_type}."
            )
    moving_keys = {identity.key for identity in moving}
    old_phones = [m for m in old.members.values() if m.is_phone_number]
    if moving and all(m.key in moving_keys for m in old_phones):
        raise PoolConflictError(
            f"Replacing pool {old.pool_id} would move all its phone numbers to the new pool, but a pool "
            "keeps at least one. Add a spare phone number to the pool in one deployment, then replace it "
            "in the next."
        )
    marks = handover_tags(old.pool_id, moving)
    if len(new_props.tags) + contract.RESERVED_TAG_COUNT + len(marks) > contract.TAGS_PER_POOL:
        raise PoolPropertyError(
            f"{contract.TAGS} has {len(new_props.tags)} tags; a replacement that takes phone numbers over "
            f"marks the new pool with {len(marks)} more (a pool holds {contract.TAGS_PER_POOL}). Remove some."
        )
    if marks:
        # Protected, the new pool's Delete fails at its first call if the stack rolls back, and
        # reads the mark to give the numbers back (pool_handover); its first Update lifts it.
        new_props = dataclasses.replace(new_props, deletion_protection_enabled=True)
    adopt = preflight_new_pool(
        client, new_props, identities, message_type, create_token, replacing=old.pool_id
    )
    handed_over: list[Identity] = []
    try:
        for identity in moving:
            disassociate(client, old.pool_id, identity)
            handed_over.append(identity)
        return build_pool(
            client,
            desired=new_props,
            identities=identities,
            message_type=message_type,
            iso_country_code=country,
            create_token=create_token,
            budget=budget,
            on_pool_created=lambda _: None,
            adopt=adopt,
            wait_until_gone=bool(moving),
            # A failed Update is rolled back by another Update; nothing would delete the new pool.
            left_behind_hint="delete it yourself.",
            extra_tags=marks,
        )
    except Exception:
        with budget.cleaning_up():
            for member in handed_over:
                try:
                    associate(client, old.pool_id, member)
                except Exception:
                    logger.exception("Could not hand %s back to pool %s", member.identity_id, old.pool_id)
        raise
