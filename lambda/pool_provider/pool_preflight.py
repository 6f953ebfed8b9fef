"""Pre-flight: the template's identities resolved and checked, before any mutating call.

Everything the service would refuse half-way through (an identity that is missing, not ACTIVE, in
another pool, of the other message type or configured differently; a missing opt-out list; a pool
left without a phone number) is found here, so bad input changes nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, cast

import contract
from contract import PHONE_NUMBER, IdentityRef
from pool_errors import ApiCall, PoolConflictError, PoolPropertyError
from pool_identities import (
    Identity,
    check_usable,
    describe_identities,
    reject_duplicates,
)
from pool_paging import all_items
from pool_planner import ActualPool, Join, PoolSettings, how_identity_joins
from pool_properties import OldProperties, PoolProperties, TwoWaySettings

if TYPE_CHECKING:
    from mypy_boto3_pinpoint_sms_voice_v2 import PinpointSMSVoiceV2Client
    from mypy_boto3_pinpoint_sms_voice_v2.literals import MessageTypeType


@dataclass(frozen=True)
class DesiredIdentities:
    """The template's identities, in template order: each is in the pool already, or looked up."""

    refs: tuple[IdentityRef, ...]
    members: dict[str, Identity]  # canonical key -> identity, template order
    looked_up: dict[str, Identity]  # the members not in the pool (looked up), template order

    @property
    def first_key(self) -> str:
        return next(iter(self.members))


def resolve_identities(
    client: PinpointSMSVoiceV2Client,
    refs: tuple[IdentityRef, ...],
    default_country: str | None,
    known: Mapping[str, Identity],
) -> DesiredIdentities:
    """Key the parsed identities canonically; look up (five per call) only those not in ``known``.

    ``default_country`` (the country of a sender ID written without one) may be known only now,
    from the pool, so two refs that name the same identity are rejected again with it.
    """
    reject_duplicates(refs, default_country)
    unknown = [ref for ref in refs if ref.key(default_country) not in known]
    looked_up = describe_identities(client, unknown, default_country) if unknown else {}
    members: dict[str, Identity] = {}
    by_key: dict[str, Identity] = {}
    for ref in refs:
        member = looked_up[ref] if ref in looked_up else known[ref.key(default_country)]
        if ref in looked_up:
            by_key[member.key] = member
        if member.key in members:
            raise PoolPropertyError(
                f'{contract.ORIGINATION_IDENTITIES} names {member.identity_id} twice ("{ref.written[:60]}"); '
                "list each identity once."
            )
        members[member.key] = member
    return DesiredIdentities(refs=refs, members=members, looked_up=by_key)


def derive_message_type(
    desired: PoolProperties, identities: DesiredIdentities, current: str | None
) -> MessageTypeType:
    """The template's MessageType, else the pool's (``current``) or, when the first identity is not
    in the pool yet, the one it supports."""
    if desired.message_type is not None:
        return desired.message_type
    first = identities.members[identities.first_key]
    if identities.first_key not in identities.looked_up:
        # The first identity is already in the pool, so it has the pool's message type.
        return cast("MessageTypeType", current)
    if current in first.message_types:
        return current
    if len(first.message_types) == 1:
        return first.message_types[0]
    raise PoolPropertyError(
        f"{contract.MESSAGE_TYPE} is not set and the first identity {first.identity_id} supports "
        f"{' and '.join(first.message_types) or 'no message type'}; set {contract.MESSAGE_TYPE}."
    )


def derive_country(desired: PoolProperties, identities: DesiredIdentities, current: str | None) -> str:
    if desired.iso_country_code is not None:
        return desired.iso_country_code
    if current is not None:
        # Omitted, it keeps the pool's country: pools may mix countries, so only an explicit new
        # IsoCountryCode is worth a new pool.
        return current
    return identities.members[identities.first_key].iso_country_code


def check_joins(
    identities: DesiredIdentities,
    message_type: MessageTypeType,
    pool_members: Mapping[str, Identity],
    current: PoolSettings,
    wanted: PoolSettings,
    *,
    own_pool_ids: Sequence[str],
    first_identity: PoolSettings | None = None,
) -> None:
    """Every identity that will join must be usable, of the message type, free, and not REFUSED by
    ``how_identity_joins`` (direct or bridged through ``first_identity``: see pool_planner.Join)."""
    capabilities = {m.number_capabilities for m in pool_members.values() if m.is_phone_number}
    for key, member in identities.looked_up.items():
        if key in pool_members:
            continue
        check_usable(member, message_type)
        check_free(member, own_pool_ids)
        if how_identity_joins(member, current, wanted, first_identity) is Join.REFUSED:
            what = "two-way settings" if member.is_phone_number else "two-way (sender IDs have none)"
            if member.is_phone_number and member.opt_out_list_name != wanted.opt_out_list_name:
                what = f"opt-out list ({member.opt_out_list_name})"
            elif member.is_phone_number and member.self_managed_opt_outs_enabled != (
                wanted.self_managed_opt_outs_enabled
            ):
                what = "self-managed opt-out setting"
            raise PoolConflictError(
                f"{member.identity_id} cannot join the pool: its {what} differs from the pool's. "
                "Make the identity's configuration match the pool's, or remove it."
            )
        if member.is_phone_number:
            if capabilities and member.number_capabilities not in capabilities:
                raise PoolConflictError(
                    f"Phone number {member.identity_id} has capabilities "
                    f"{'/'.join(sorted(member.number_capabilities))} unlike the pool's other phone numbers; "
                    "every phone number in a pool has the same ones."
                )
            capabilities.add(member.number_capabilities)


def check_free(member: Identity, own_pool_ids: Sequence[str]) -> None:
    """A phone number in a pool other than ``own_pool_ids`` cannot join (one pool at a time)."""
    if member.pool_id is not None and member.pool_id not in own_pool_ids:
        raise PoolConflictError(
            f"Phone number {member.identity_id} is already in pool {member.pool_id}; remove it there "
            f"first or remove it from {contract.ORIGINATION_IDENTITIES}."
        )


def check_keeps_a_phone_number(identities: DesiredIdentities, actual: ActualPool) -> None:
    had_phone = any(m.is_phone_number for m in actual.members.values())
    if had_phone and not any(m.is_phone_number for m in identities.members.values()):
        raise PoolConflictError(
            f"Pool {actual.pool_id} must keep at least one phone number, and "
            f"{contract.ORIGINATION_IDENTITIES} lists none; keep one of its phone numbers."
        )


def seed_settings(seed: Identity) -> PoolSettings:
    """The settings a pool created from ``seed`` inherits (deletion protection is never inherited)."""
    return PoolSettings(
        two_way_enabled=bool(seed.two_way_enabled),
        two_way_channel_arn=seed.two_way_channel_arn if seed.two_way_enabled else None,
        two_way_channel_role=seed.two_way_channel_role if seed.two_way_enabled else None,
        self_managed_opt_outs_enabled=bool(seed.self_managed_opt_outs_enabled),
        opt_out_list_name=seed.opt_out_list_name or "Default",
        shared_routes_enabled=False,
        deletion_protection_enabled=False,
    )


# Properties a pool inherits from its first identity, and their PoolProperties fields.
_INHERITED_FIELDS: Final = {
    contract.OPT_OUT_LIST_NAME: "opt_out_list_name",
    contract.SELF_MANAGED_OPT_OUTS_ENABLED: "self_managed_opt_outs_enabled",
    contract.TWO_WAY: "two_way",
}


def _removed_mandatory_keywords(desired: PoolProperties, old: OldProperties) -> list[str]:
    return [
        name
        for name in contract.MANDATORY_KEYWORD_NAMES
        if name in old.mandatory_keywords and name not in desired.mandatory_keywords
    ]


def first_identity(client: PinpointSMSVoiceV2Client, identities: DesiredIdentities) -> Identity:
    """The template's first identity, looked up (one call when it is already in the pool)."""
    first_key = identities.first_key
    seed = identities.looked_up.get(first_key)
    if seed is None:
        ref = identities.refs[0]
        seed = describe_identities(client, [ref], identities.members[first_key].iso_country_code)[ref]
    return seed


def needs_first_identity_settings(
    identities: DesiredIdentities,
    pool_members: Mapping[str, Identity],
    current: PoolSettings,
    wanted: PoolSettings,
) -> bool:
    """Whether an identity can join only bridged (see pool_planner.Join), or not at all."""
    return any(
        how_identity_joins(identities.members[key], current, wanted, None) is Join.REFUSED
        for key in identities.looked_up
        if key not in pool_members
    )


def restore_removed_properties(
    client: PinpointSMSVoiceV2Client,
    desired: PoolProperties,
    old: OldProperties,
    identities: DesiredIdentities,
) -> PoolProperties:
    """A property the template no longer sets goes back to what the first identity gives the pool.

    Omitted in both the old and the new template, such a property stays as the pool has it; removed
    (or, in a rollback Update, never set in the properties being restored) it is inherited again,
    so a rollback restores the old pool. Only then is the first identity looked up.
    """
    removed = [
        name
        for name, field_name in _INHERITED_FIELDS.items()
        if name in old.names and getattr(desired, field_name) is None
    ]
    removed_keywords = _removed_mandatory_keywords(desired, old)
    if not removed and not removed_keywords:
        return desired
    seed = first_identity(client, identities)
    inherited = seed_settings(seed)
    changes: dict[str, Any] = {}
    if contract.OPT_OUT_LIST_NAME in removed:
        changes["opt_out_list_name"] = inherited.opt_out_list_name
    if contract.SELF_MANAGED_OPT_OUTS_ENABLED in removed:
        changes["self_managed_opt_outs_enabled"] = inherited.self_managed_opt_outs_enabled
    if contract.TWO_WAY in removed:
        changes["two_way"] = TwoWaySettings(
            inherited.two_way_enabled, inherited.two_way_channel_arn, inherited.two_way_channel_role
        )
    if removed_keywords and seed.kind == PHONE_NUMBER:
        # A sender ID has no keywords: a pool made from one keeps its current HELP/STOP messages.
        with ApiCall("DescribeKeywords", seed.identity_id):
            found = all_items(
                client.get_paginator("describe_keywords").paginate,
                "Keywords",
                OriginationIdentity=seed.arn,
                Keywords=removed_keywords,
            )
        messages = {k["Keyword"].upper(): k["KeywordMessage"] for k in found}
        changes["mandatory_keywords"] = {**messages, **desired.mandatory_keywords}
    return dataclasses.replace(desired, **changes)


def check_opt_out_list(client: PinpointSMSVoiceV2Client, current: PoolSettings, wanted: PoolSettings) -> None:
    """An opt-out list the pool would switch to must exist (UpdatePool would fail half-way)."""
    if wanted.opt_out_list_name == current.opt_out_list_name:
        return
    missing = PoolPropertyError(
        f'{contract.OPT_OUT_LIST_NAME} "{wanted.opt_out_list_name}" does not exist in this account '
        "and Region; create the opt-out list or fix the name."
    )
    fixes = {"ResourceNotFoundException": missing}
    with ApiCall("DescribeOptOutLists", wanted.opt_out_list_name, fixes=fixes):
        client.describe_opt_out_lists(OptOutListNames=[wanted.opt_out_list_name])
