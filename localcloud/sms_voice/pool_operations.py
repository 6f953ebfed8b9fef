"""Pool operations: lifecycle and origination identities (keywords are in ``keyword_operations``).

Where the AWS documentation is silent the emulator picks the strictest plausible behaviour;
docs/emulator.md lists every such choice.
"""

from __future__ import annotations

import copy
from typing import Any

from localcloud.sms_voice.api_errors import ConflictError, QuotaExceededError, ValidationError
from localcloud.sms_voice.service import (
    BOOLEAN_VALUES,
    SETTINGS_FILTER_VALUES,
    SETTINGS_FILTERS,
    Identity,
    Service,
    apply_filters,
    flag,
    merged_tags,
    paginate,
    require_active,
    require_unprotected,
    selected,
    with_next_token,
)
from localcloud.sms_voice.state import Keywords, PhoneNumber, Pool
from localcloud.sms_voice.views import pool_info, tag_list

POOLS_PER_ACCOUNT = 100
IDENTITIES_PER_POOL = 100


# --- lifecycle -------------------------------------------------------------------------------
def create_pool(svc: Service, params: dict[str, Any]) -> dict[str, Any]:
    tags = merged_tags({}, params.get("Tags") or [], "the new pool")
    identity = svc.identity(
        params["OriginationIdentity"], params.get("IsoCountryCode"), "OriginationIdentity"
    )
    message_type = params["MessageType"]
    _require_usable(identity)
    _require_message_type(identity, message_type)
    if identity.phone is not None and identity.phone.pool_id is not None:
        raise _phone_in_pool(identity.phone)
    live = [p for p in svc.account.pools.values() if p.gone_at is None]
    if len(live) >= POOLS_PER_ACCOUNT:
        raise QuotaExceededError(f"The account already has {POOLS_PER_ACCOUNT} pools.", "POOLS_PER_ACCOUNT")
    pool_id = svc.new_id("pool")
    now = svc.clock()
    pool = Pool(
        pool_id=pool_id,
        message_type=message_type,
        opt_out_list_name="Default",
        created=now,
        active_at=now + svc.activation_delay,
        deletion_protection_enabled=bool(params.get("DeletionProtectionEnabled", False)),
        identities=[identity.arn],
        tags=tags,
    )
    phone = identity.phone
    if phone is not None:
        pool.opt_out_list_name = phone.opt_out_list_name
        pool.two_way_enabled = phone.two_way_enabled
        pool.two_way_channel_arn = phone.two_way_channel_arn
        pool.two_way_channel_role = phone.two_way_channel_role
        pool.self_managed_opt_outs_enabled = phone.self_managed_opt_outs_enabled
        pool.keywords = copy.deepcopy(phone.keywords)
        phone.pool_id = pool_id
    svc.account.pools[pool_id] = pool
    return {**pool_info(svc.arns, pool, now), "Tags": tag_list(pool.tags)}


def describe_pools(svc: Service, params: dict[str, Any]) -> dict[str, Any]:
    pools = selected(params, "PoolIds", svc.account.pools.values(), svc.pool)
    now = svc.clock()
    pools = apply_filters(pools, params.get("Filters"), _pool_filters(now), _POOL_FILTER_VALUES)
    page, token = paginate("DescribePools", pools, params, svc.max_page_size)
    return with_next_token({"Pools": [pool_info(svc.arns, pool, now) for pool in page]}, token)


def update_pool(svc: Service, params: dict[str, Any]) -> dict[str, Any]:
    pool = svc.active_pool(params["PoolId"])
    apply_settings(svc, pool, params, _POOL_FLAGS)
    return pool_info(svc.arns, pool, svc.clock())


# UpdatePool's boolean members and the Pool attributes they set.
_POOL_FLAGS = {
    "SelfManagedOptOutsEnabled": "self_managed_opt_outs_enabled",
    "SharedRoutesEnabled": "shared_routes_enabled",
    "DeletionProtectionEnabled": "deletion_protection_enabled",
}


def apply_settings(
    svc: Service, resource: Pool | PhoneNumber, params: dict[str, Any], flags: dict[str, str]
) -> None:
    """The settings UpdatePool and UpdatePhoneNumber share: two-way messaging, the opt-out list and
    the boolean members in `flags` (member -> attribute). Every value is checked (two-way rules,
    the opt-out list exists) before anything changes; a member not given keeps its value."""
    two_way = two_way_settings(
        resource.two_way_enabled, resource.two_way_channel_arn, resource.two_way_channel_role, params
    )
    opt_out = params.get("OptOutListName")
    opt_out_name = svc.opt_out_list(opt_out).name if opt_out is not None else resource.opt_out_list_name
    resource.two_way_enabled, resource.two_way_channel_arn, resource.two_way_channel_role = two_way
    resource.opt_out_list_name = opt_out_name
    for member, attribute in flags.items():
        if member in params:
            setattr(resource, attribute, bool(params[member]))


def two_way_settings(
    enabled: bool, channel: str | None, role: str | None, params: dict[str, Any]
) -> tuple[bool, str | None, str | None]:
    """The two-way settings after an update; a channel is required to enable, and needs enabling."""
    enabled = bool(params.get("TwoWayEnabled", enabled))
    channel = params.get("TwoWayChannelArn", channel)
    role = params.get("TwoWayChannelRole", role)
    if enabled and channel is None:
        raise ValidationError(
            "TwoWayEnabled needs a TwoWayChannelArn.",
            "TWO_WAY_CHANNEL_NOT_PRESENT",
            [{"Name": "TwoWayChannelArn", "Message": "Required when TwoWayEnabled is true"}],
        )
    given = [name for name in ("TwoWayChannelArn", "TwoWayChannelRole") if name in params]
    if not enabled and given:
        raise ValidationError(
            f"{' and '.join(given)} can only be set while two-way messaging is enabled.",
            "TWO_WAY_NOT_ENABLED",
            [{"Name": name, "Message": "Two-way messaging is not enabled"} for name in given],
        )
    return enabled, channel, role


def delete_pool(svc: Service, params: dict[str, Any]) -> dict[str, Any]:
    pool = svc.active_pool(params["PoolId"])
    fix = "; disable it with UpdatePool first"
    require_unprotected("pool", pool.pool_id, pool.deletion_protection_enabled, fix)
    now = svc.clock()
    pool.gone_at = now + svc.activation_delay
    info = pool_info(svc.arns, pool, now)
    del info["DeletionProtectionEnabled"]
    return info


# --- origination identities --------------------------------------------------------------------
def associate_origination_identity(svc: Service, params: dict[str, Any]) -> dict[str, Any]:
    pool = svc.active_pool(params["PoolId"])
    identity = svc.identity(
        params["OriginationIdentity"], params.get("IsoCountryCode"), "OriginationIdentity"
    )
    _require_usable(identity)
    if identity.arn in pool.identities:
        raise ConflictError(
            f"{identity.short_id} is already associated with pool {pool.pool_id}.",
            "RESOURCE_ALREADY_ASSOCIATED",
            "pool",
            pool.pool_id,
        )
    if identity.phone is not None and identity.phone.pool_id is not None:
        raise _phone_in_pool(identity.phone)
    if len(pool.identities) >= IDENTITIES_PER_POOL:
        raise QuotaExceededError(
            f"Pool {pool.pool_id} already has {IDENTITIES_PER_POOL} origination identities.",
            "ORIGINATION_IDENTITIES_PER_POOL",
        )
    _require_match(svc, pool, identity)
    pool.identities.append(identity.arn)
    if identity.phone is not None:
        identity.phone.pool_id = pool.pool_id
    return _association(svc, pool, identity)


def disassociate_origination_identity(svc: Service, params: dict[str, Any]) -> dict[str, Any]:
    pool = svc.active_pool(params["PoolId"])
    identity = svc.identity(
        params["OriginationIdentity"], params.get("IsoCountryCode"), "OriginationIdentity"
    )
    if identity.arn not in pool.identities:
        reason = (
            "PHONE_NUMBER_NOT_ASSOCIATED_TO_POOL" if identity.phone else "NO_ORIGINATION_IDENTITIES_FOUND"
        )
        raise ConflictError(
            f"{identity.short_id} is not associated with pool {pool.pool_id}.", reason, "pool", pool.pool_id
        )
    phones = [arn for arn in pool.identities if ":phone-number/" in arn]
    if len(pool.identities) == 1 or (identity.phone is not None and len(phones) == 1):
        raise ConflictError(
            f"{identity.short_id} is the last phone number (or identity) of pool {pool.pool_id}; "
            "associate another one first.",
            "LAST_PHONE_NUMBER",
            "pool",
            pool.pool_id,
        )
    pool.identities.remove(identity.arn)
    if identity.phone is not None:
        identity.phone.pool_id = None
    return _association(svc, pool, identity)


def list_pool_origination_identities(svc: Service, params: dict[str, Any]) -> dict[str, Any]:
    pool = svc.pool(params["PoolId"])
    members = [svc.identity_by_arn(arn) for arn in pool.identities]
    extractors = {
        "iso-country-code": lambda i: [i.iso_country_code],
        "number-capability": _capabilities,
    }
    members = apply_filters(members, params.get("Filters"), extractors, {})
    page, token = paginate("ListPoolOriginationIdentities", members, params, svc.max_page_size)
    identities = []
    for member in page:
        entry = {
            "OriginationIdentityArn": member.arn,
            "OriginationIdentity": member.short_id,
            "IsoCountryCode": member.iso_country_code,
            "NumberCapabilities": _capabilities(member),
        }
        if member.phone is not None:
            entry["PhoneNumber"] = member.phone.phone_number
        identities.append(entry)
    result = {
        "PoolArn": svc.arns.pool(pool.pool_id),
        "PoolId": pool.pool_id,
        "OriginationIdentities": identities,
    }
    return with_next_token(result, token)


def _capabilities(identity: Identity) -> list[str]:
    # Sender IDs send SMS only; the model requires NumberCapabilities for every identity.
    return list(identity.phone.number_capabilities) if identity.phone is not None else ["SMS"]


def _association(svc: Service, pool: Pool, identity: Identity) -> dict[str, Any]:
    return {
        "PoolArn": svc.arns.pool(pool.pool_id),
        "PoolId": pool.pool_id,
        "OriginationIdentityArn": identity.arn,
        "OriginationIdentity": identity.short_id,
        "IsoCountryCode": identity.iso_country_code,
    }


def _require_usable(identity: Identity) -> None:
    if identity.phone is not None:
        require_active("phone-number", identity.short_id, identity.phone.status)


def _require_message_type(identity: Identity, message_type: str) -> None:
    supported = [identity.phone.message_type] if identity.phone else list(identity.sender.message_types)  # type: ignore[union-attr]  # Identity holds a phone or a sender
    if message_type not in supported:
        raise ConflictError(
            f"{identity.short_id} supports {supported}, not message type {message_type}.",
            "MESSAGE_TYPE_MISMATCH",
            "phone-number" if identity.phone else "sender-id",
            identity.short_id,
        )


def _require_match(svc: Service, pool: Pool, identity: Identity) -> None:
    """The identity must match the pool's CURRENT settings (see docs/emulator.md for the rules)."""
    try:
        _require_message_type(identity, pool.message_type)
    except ConflictError as error:
        raise _mismatch("MESSAGE_TYPE_MISMATCH", pool, error.message) from error
    phone = identity.phone
    if phone is None:
        if pool.two_way_enabled:
            raise _mismatch("TWO_WAY_CONFIG_MISMATCH", pool, "sender IDs cannot receive two-way messages")
        return
    if (phone.two_way_enabled, phone.two_way_channel_arn if phone.two_way_enabled else None) != (
        pool.two_way_enabled,
        pool.two_way_channel_arn if pool.two_way_enabled else None,
    ):
        raise _mismatch("TWO_WAY_CONFIG_MISMATCH", pool, "two-way enablement or channel differs")
    if phone.self_managed_opt_outs_enabled != pool.self_managed_opt_outs_enabled:
        raise _mismatch("SELF_MANAGED_OPT_OUTS_MISMATCH", pool, "self-managed opt-outs differ")
    if phone.opt_out_list_name != pool.opt_out_list_name:
        raise _mismatch(
            "OPT_OUT_LIST_MISMATCH",
            pool,
            f"opt-out list {phone.opt_out_list_name!r} differs from {pool.opt_out_list_name!r}",
        )
    conflicting = _conflicting_keywords(phone.keywords, pool.keywords)
    if conflicting:
        raise _mismatch("KEYWORD_MISMATCH", pool, f"keywords {conflicting} have different actions")
    for arn in pool.identities:
        member = svc.identity_by_arn(arn).phone
        if member is not None and set(member.number_capabilities) != set(phone.number_capabilities):
            raise _mismatch(
                "NUMBER_CAPABILITIES_MISMATCH",
                pool,
                f"capabilities {sorted(phone.number_capabilities)} differ from the pool's phone numbers "
                f"{sorted(member.number_capabilities)}",
            )


def _conflicting_keywords(identity_keywords: Keywords, pool_keywords: Keywords) -> list[str]:
    pool_actions = {name.upper(): entry[1] for name, entry in pool_keywords.items()}
    return sorted(
        name
        for name, entry in identity_keywords.items()
        if name.upper() in pool_actions and pool_actions[name.upper()] != entry[1]
    )


def _mismatch(reason: str, pool: Pool, detail: str) -> ConflictError:
    return ConflictError(
        f"The origination identity does not match pool {pool.pool_id}: {detail}.",
        reason,
        "pool",
        pool.pool_id,
    )


def _phone_in_pool(phone: PhoneNumber) -> ConflictError:
    return ConflictError(
        f"Phone number {phone.phone_number_id} is already associated with pool {phone.pool_id}.",
        "PHONE_NUMBER_ASSOCIATED_TO_POOL",
        "phone-number",
        phone.phone_number_id,
    )


# --- helpers ---------------------------------------------------------------------------------
def _pool_filters(now: float) -> dict[str, Any]:
    return {
        **SETTINGS_FILTERS,
        "status": lambda p: [p.status(now)],
        "message-type": lambda p: [p.message_type],
        "shared-routes-enabled": lambda p: flag(p.shared_routes_enabled),
    }


_POOL_FILTER_VALUES = {
    **SETTINGS_FILTER_VALUES,
    "status": ("CREATING", "ACTIVE", "DELETING"),
    "message-type": ("TRANSACTIONAL", "PROMOTIONAL"),
    "shared-routes-enabled": BOOLEAN_VALUES,
}
