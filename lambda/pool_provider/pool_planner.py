"""The difference between the pool a template wants and the pool that exists, as a list of changes.

Pure: no client, no I/O. Both Create (after CreatePool) and Update (in place, forward or rollback)
converge the actual pool to the desired one with the same plan, so an Update with nothing to change
plans nothing, and a rollback Update (old and new properties swapped) restores the old pool the same
way a forward Update changes it.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import contract
from pool_identities import Identity
from pool_properties import Keyword, PoolProperties

if TYPE_CHECKING:
    from mypy_boto3_pinpoint_sms_voice_v2.literals import KeywordActionType


@dataclass(frozen=True)
class PoolSettings:
    """The UpdatePool-managed settings of a pool (as DescribePools reports them)."""

    two_way_enabled: bool
    two_way_channel_arn: str | None
    two_way_channel_role: str | None
    self_managed_opt_outs_enabled: bool
    opt_out_list_name: str
    shared_routes_enabled: bool
    deletion_protection_enabled: bool


@dataclass(frozen=True)
class ActualPool:
    pool_id: str
    pool_arn: str
    settings: PoolSettings
    members: Mapping[str, Identity]  # canonical key -> member
    keywords: Mapping[str, Keyword]  # upper-cased keyword -> entry
    tags: Mapping[str, str]


@dataclass(frozen=True)
class KeywordPut:
    keyword: str
    message: str
    action: KeywordActionType | None  # None for HELP/STOP, whose action never changes


@dataclass(frozen=True)
class PoolPlan:
    """Changes in the order they are applied; every association comes before any disassociation.

    The one step that can never be undone, the first phone number joining a pool that has none (a
    pool keeps at least one phone number), comes last (``associate_last``), after every step that
    can fail. The ``undo_*`` fields and ``previous_*`` state let a failed Update put back what it
    changed, so the rollback Update finds the pool as it was.
    """

    associate_first: tuple[Identity, ...] = ()
    # Identities that join bridged (see Join): UpdatePool to the settings the first identity gives a
    # pool (bridge_update), associate, then the settings_update.
    bridge_update: Mapping[str, object] = field(default_factory=dict)
    associate_bridged: tuple[Identity, ...] = ()
    settings_update: Mapping[str, object] = field(default_factory=dict)  # UpdatePool members (no PoolId)
    associate_after_settings: tuple[Identity, ...] = ()
    disassociate: tuple[Identity, ...] = ()
    put_keywords: tuple[KeywordPut, ...] = ()
    delete_keywords: tuple[str, ...] = ()
    tags_to_set: Mapping[str, str] = field(default_factory=dict)
    tag_keys_to_remove: tuple[str, ...] = ()
    associate_last: tuple[Identity, ...] = ()
    # UpdatePool members that put back the settings bridge_update / settings_update change.
    undo_bridge_update: Mapping[str, object] = field(default_factory=dict)
    undo_settings_update: Mapping[str, object] = field(default_factory=dict)
    previous_keywords: Mapping[str, Keyword] = field(default_factory=dict)  # upper-cased keyword
    previous_tags: Mapping[str, str] = field(default_factory=dict)

    @property
    def mutating_call_count(self) -> int:
        return (
            len(self.associate_last)
            + len(self.associate_first)
            + (1 if self.bridge_update else 0)
            + len(self.associate_bridged)
            + (1 if self.settings_update else 0)
            + len(self.associate_after_settings)
            + len(self.disassociate)
            + len(self.put_keywords)
            + len(self.delete_keywords)
            + (1 if self.tags_to_set else 0)
            + (1 if self.tag_keys_to_remove else 0)
        )

    @property
    def is_empty(self) -> bool:
        return self.mutating_call_count == 0


def opt_out_list_name(name_or_arn: str) -> str:
    """An opt-out list name from a name or an ``...:opt-out-list/<Name>`` ARN."""
    marker = ":opt-out-list/"
    return name_or_arn.split(marker, 1)[1] if marker in name_or_arn else name_or_arn


def desired_settings(desired: PoolProperties, actual: PoolSettings) -> PoolSettings:
    """The settings the pool must end with; a property left out keeps the pool's value."""
    two_way = desired.two_way
    if two_way is None:
        enabled, channel, role = (
            actual.two_way_enabled,
            actual.two_way_channel_arn,
            actual.two_way_channel_role,
        )
    elif two_way.enabled:
        enabled = True
        channel = two_way.channel_arn
        # The API cannot clear a role once set; a template without one leaves it as it is.
        role = two_way.channel_role if two_way.channel_role is not None else actual.two_way_channel_role
    else:
        enabled, channel, role = False, actual.two_way_channel_arn, actual.two_way_channel_role
    return PoolSettings(
        two_way_enabled=enabled,
        two_way_channel_arn=channel,
        two_way_channel_role=role,
        self_managed_opt_outs_enabled=actual.self_managed_opt_outs_enabled
        if desired.self_managed_opt_outs_enabled is None
        else desired.self_managed_opt_outs_enabled,
        opt_out_list_name=actual.opt_out_list_name
        if desired.opt_out_list_name is None
        else opt_out_list_name(desired.opt_out_list_name),
        shared_routes_enabled=desired.shared_routes_enabled,
        deletion_protection_enabled=desired.deletion_protection_enabled,
    )


def settings_update(actual: PoolSettings, wanted: PoolSettings) -> dict[str, object]:
    """UpdatePool members for the fields that change; two-way fields only when they change."""
    update: dict[str, object] = {}
    if wanted.two_way_enabled != actual.two_way_enabled:
        update["TwoWayEnabled"] = wanted.two_way_enabled
    if wanted.two_way_enabled:
        # The channel and role can only be sent while two-way is (or becomes) enabled.
        if wanted.two_way_channel_arn != actual.two_way_channel_arn and wanted.two_way_channel_arn:
            update["TwoWayChannelArn"] = wanted.two_way_channel_arn
        if wanted.two_way_channel_role != actual.two_way_channel_role and wanted.two_way_channel_role:
            update["TwoWayChannelRole"] = wanted.two_way_channel_role
    if wanted.self_managed_opt_outs_enabled != actual.self_managed_opt_outs_enabled:
        update["SelfManagedOptOutsEnabled"] = wanted.self_managed_opt_outs_enabled
    if wanted.opt_out_list_name != actual.opt_out_list_name:
        update["OptOutListName"] = wanted.opt_out_list_name
    if wanted.shared_routes_enabled != actual.shared_routes_enabled:
        update["SharedRoutesEnabled"] = wanted.shared_routes_enabled
    if wanted.deletion_protection_enabled != actual.deletion_protection_enabled:
        update["DeletionProtectionEnabled"] = wanted.deletion_protection_enabled
    return update


def matches_settings(member: Identity, settings: PoolSettings) -> bool:
    """Whether an identity may join a pool with ``settings`` (its configuration must match)."""
    if not member.is_phone_number:
        return not settings.two_way_enabled
    channel = member.two_way_channel_arn if member.two_way_enabled else None
    pool_channel = settings.two_way_channel_arn if settings.two_way_enabled else None
    return (
        member.two_way_enabled == settings.two_way_enabled
        and channel == pool_channel
        and member.self_managed_opt_outs_enabled == settings.self_managed_opt_outs_enabled
        and member.opt_out_list_name == settings.opt_out_list_name
    )


class Join(enum.Enum):
    """How an identity that is not in a pool yet joins it (``how_identity_joins``).

    DIRECT_NOW and DIRECT_AFTER_UPDATE are direct joins: the identity matches the pool's current
    settings (it joins before UpdatePool changes them) or the wanted ones (it joins after).

    BRIDGED: the identity matches neither, but matches the settings the pool's first identity gives
    a pool (``first_identity``). That happens when it joined a pool made from the first identity before
    UpdatePool changed the pool's settings, and a rollback or a later Update brings it back. It joins
    through those settings: UpdatePool to them, associate, then UpdatePool to the wanted settings.

    REFUSED: it matches none of them; the service would refuse the association.
    """

    DIRECT_NOW = "direct, now"
    DIRECT_AFTER_UPDATE = "direct, after UpdatePool"
    BRIDGED = "bridged"
    REFUSED = "refused"


def how_identity_joins(
    member: Identity,
    current: PoolSettings,
    wanted: PoolSettings,
    first_identity: PoolSettings | None,
) -> Join:
    """How ``member`` joins a pool whose settings go from ``current`` to ``wanted`` (see ``Join``).

    ``first_identity``: the settings the pool's first identity gives a pool; None when not looked up
    (then an identity that matches neither the current nor the wanted settings is REFUSED).
    """
    if matches_settings(member, current):
        return Join.DIRECT_NOW
    if matches_settings(member, wanted):
        return Join.DIRECT_AFTER_UPDATE
    if first_identity is not None and matches_settings(member, first_identity):
        return Join.BRIDGED
    return Join.REFUSED


def with_identity_settings(settings: PoolSettings, identity_settings: PoolSettings) -> PoolSettings:
    """``settings`` with the fields an identity must match (two-way, opt-outs) from ``identity_settings``."""
    two_way = identity_settings.two_way_enabled
    return dataclasses.replace(
        settings,
        two_way_enabled=two_way,
        two_way_channel_arn=identity_settings.two_way_channel_arn
        if two_way
        else settings.two_way_channel_arn,
        self_managed_opt_outs_enabled=identity_settings.self_managed_opt_outs_enabled,
        opt_out_list_name=identity_settings.opt_out_list_name,
    )


def plan_keywords(
    desired: PoolProperties, actual: Mapping[str, Keyword]
) -> tuple[tuple[KeywordPut, ...], tuple[str, ...]]:
    puts: list[KeywordPut] = []
    for name in contract.MANDATORY_KEYWORD_NAMES:
        message = desired.mandatory_keywords.get(name)
        current = actual.get(name)
        if message is not None and (current is None or current.message != message):
            puts.append(KeywordPut(name, message, None))
    wanted = {keyword.keyword.upper(): keyword for keyword in desired.optional_keywords}
    for upper, keyword in wanted.items():
        current = actual.get(upper)
        # Keywords match in any case (the service may store its own spelling): compare the rest.
        if current is None or (current.message, current.action) != (keyword.message, keyword.action):
            puts.append(KeywordPut(keyword.keyword, keyword.message, keyword.action))
    deletes = tuple(
        entry.keyword
        for upper, entry in actual.items()
        if upper not in contract.MANDATORY_KEYWORD_NAMES and upper not in wanted
    )
    return tuple(puts), deletes


def plan_tags(
    desired: Mapping[str, str], actual: Mapping[str, str]
) -> tuple[dict[str, str], tuple[str, ...]]:
    """Tags to set and keys to remove; the provider's reserved keys are never touched, nor AWS's own
    (``aws:``, e.g. the ``aws:cloudformation:*`` tags of a pool a native AWS::SMSVOICE::Pool made),
    which no API call may change."""
    reserved = (contract.RESERVED_TAG_PREFIX, "aws:")
    user_actual = {key: value for key, value in actual.items() if not key.lower().startswith(reserved)}
    to_set = {key: value for key, value in desired.items() if user_actual.get(key) != value}
    to_remove = tuple(key for key in user_actual if key not in desired)
    return to_set, to_remove


def plan_pool(
    desired: PoolProperties,
    desired_members: Mapping[str, Identity],
    actual: ActualPool,
    first_identity: PoolSettings | None = None,
    *,
    first_phone_last: bool = False,
) -> PoolPlan:
    """Everything needed to turn ``actual`` into ``desired`` (``desired_members`` keyed canonically).

    Each identity joins as ``how_identity_joins`` says: before UpdatePool, after it, or bridged
    through the settings ``first_identity`` gives a pool, for the moment of the association. One it
    refuses joins after UpdatePool and the service judges it (the caller's pre-flight, which asks the
    same function, has refused it already when ``first_identity`` is known).

    ``first_phone_last`` (an Update): in a pool without phone numbers, the phone numbers that may
    join under the wanted settings join after every other step, so that a failure before them can
    be undone completely. (One that matches only the current settings must join before UpdatePool
    changes them; a later failure cannot take it out again.)
    """
    wanted_settings = desired_settings(desired, actual.settings)
    additions = [member for key, member in desired_members.items() if key not in actual.members]
    joins = {
        member: how_identity_joins(member, actual.settings, wanted_settings, first_identity)
        for member in additions
    }
    first = tuple(member for member in additions if joins[member] is Join.DIRECT_NOW)
    after = tuple(member for member in additions if joins[member] in (Join.DIRECT_AFTER_UPDATE, Join.REFUSED))
    bridged = tuple(member for member in additions if joins[member] is Join.BRIDGED)
    state = actual.settings
    if bridged and first_identity is not None:
        state = with_identity_settings(actual.settings, first_identity)
    last: tuple[Identity, ...] = ()
    if first_phone_last and not any(member.is_phone_number for member in actual.members.values()):
        last = tuple(
            member
            for member in (*first, *after)
            if member.is_phone_number and matches_settings(member, wanted_settings)
        )
        first = tuple(member for member in first if member not in last)
        after = tuple(member for member in after if member not in last)
    removals = tuple(member for key, member in actual.members.items() if key not in desired_members)
    puts, deletes = plan_keywords(desired, actual.keywords)
    tags_to_set, tag_keys_to_remove = plan_tags(desired.tags, actual.tags)
    return PoolPlan(
        associate_last=last,
        undo_bridge_update=settings_update(state, actual.settings),
        undo_settings_update=settings_update(wanted_settings, state),
        previous_keywords=actual.keywords,
        previous_tags=actual.tags,
        associate_first=first,
        bridge_update=settings_update(actual.settings, state),
        associate_bridged=bridged,
        settings_update=settings_update(state, wanted_settings),
        associate_after_settings=after,
        disassociate=removals,
        put_keywords=puts,
        delete_keywords=deletes,
        tags_to_set=tags_to_set,
        tag_keys_to_remove=tag_keys_to_remove,
    )
