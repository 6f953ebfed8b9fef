"""Phone numbers, sender IDs, opt-out lists and tags: the resources a pool is built from."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from localcloud.sms_voice.api_errors import ConflictError, NotFoundError
from localcloud.sms_voice.pool_operations import apply_settings, associate_origination_identity
from localcloud.sms_voice.service import (
    BOOLEAN_VALUES,
    SETTINGS_FILTER_VALUES,
    SETTINGS_FILTERS,
    Service,
    apply_filters,
    flag,
    merged_tags,
    paginate,
    refuse_reserved_tag_key,
    require_unprotected,
    selected,
    with_next_token,
)
from localcloud.sms_voice.state import OptOutList, PhoneNumber, SenderId
from localcloud.sms_voice.views import (
    opt_out_list_info,
    phone_number_info,
    sender_id_info,
    tag_list,
)

_CALLING_CODES = {"US": "1", "CA": "1", "GB": "44", "DE": "49", "FR": "33", "AU": "61", "CH": "41"}


def _new_phone_number(iso_country_code: str) -> str:
    calling_code = _CALLING_CODES.get(iso_country_code, "999")
    return f"+{calling_code}{10**9 + secrets.randbelow(9 * 10**9)}"


# --- phone numbers ---------------------------------------------------------------------------
def new_phone_number(svc: Service, **attributes: Any) -> PhoneNumber:
    iso = attributes["iso_country_code"]
    phone = PhoneNumber(
        phone_number_id=svc.new_id("phone"),
        phone_number=_new_phone_number(iso),
        created=svc.clock(),
        **attributes,
    )
    svc.account.phone_numbers[phone.phone_number_id] = phone
    return phone


def request_phone_number(svc: Service, params: dict[str, Any]) -> dict[str, Any]:
    opt_out = params.get("OptOutListName")
    opt_out_name = svc.opt_out_list(opt_out).name if opt_out is not None else "Default"
    pool_id = params.get("PoolId")
    if pool_id is not None:
        svc.active_pool(pool_id)  # fail before anything is made
    tags = merged_tags({}, params.get("Tags") or [], "phone number")
    phone = new_phone_number(
        svc,
        iso_country_code=params["IsoCountryCode"],
        message_type=params["MessageType"],
        number_capabilities=list(dict.fromkeys(params["NumberCapabilities"])),
        number_type=params["NumberType"],
        opt_out_list_name=opt_out_name,
        international_sending_enabled=bool(params.get("InternationalSendingEnabled", False)),
        deletion_protection_enabled=bool(params.get("DeletionProtectionEnabled", False)),
        registration_id=params.get("RegistrationId"),
        tags=tags,
    )
    if pool_id is not None:
        try:
            associate_origination_identity(
                svc, {"PoolId": pool_id, "OriginationIdentity": phone.phone_number_id}
            )
        except Exception:
            del svc.account.phone_numbers[phone.phone_number_id]  # nothing half-made
            raise
    return {**phone_number_info(svc.arns, phone), "Tags": tag_list(phone.tags)}


def describe_phone_numbers(svc: Service, params: dict[str, Any]) -> dict[str, Any]:
    phones = selected(params, "PhoneNumberIds", svc.account.phone_numbers.values(), svc.phone_number)
    extractors = {
        **SETTINGS_FILTERS,
        "status": lambda p: [p.status],
        "iso-country-code": lambda p: [p.iso_country_code],
        "message-type": lambda p: [p.message_type],
        "number-capability": lambda p: list(p.number_capabilities),
        "number-type": lambda p: [p.number_type],
    }
    allowed = {
        **SETTINGS_FILTER_VALUES,
        "status": ("PENDING", "ACTIVE", "ASSOCIATING", "DISASSOCIATING", "DELETED"),
        "message-type": ("TRANSACTIONAL", "PROMOTIONAL"),
        "number-capability": ("SMS", "VOICE", "MMS", "RCS"),
        "number-type": ("SHORT_CODE", "LONG_CODE", "TOLL_FREE", "TEN_DLC", "SIMULATOR"),
    }
    phones = apply_filters(phones, params.get("Filters"), extractors, allowed)
    page, token = paginate("DescribePhoneNumbers", phones, params, svc.max_page_size)
    return with_next_token({"PhoneNumbers": [phone_number_info(svc.arns, p) for p in page]}, token)


def update_phone_number(svc: Service, params: dict[str, Any]) -> dict[str, Any]:
    phone = svc.active_phone_number(params["PhoneNumberId"])
    apply_settings(svc, phone, params, _PHONE_NUMBER_FLAGS)
    info = phone_number_info(svc.arns, phone)
    info.pop("PoolId", None)
    return info


# UpdatePhoneNumber's boolean members and the PhoneNumber attributes they set.
_PHONE_NUMBER_FLAGS = {
    "SelfManagedOptOutsEnabled": "self_managed_opt_outs_enabled",
    "InternationalSendingEnabled": "international_sending_enabled",
    "DeletionProtectionEnabled": "deletion_protection_enabled",
}


def _require_in_no_pool(resource_type: str, resource_id: str, pools: list[str]) -> None:
    """An identity in a pool cannot be released: ConflictException <TYPE>_ASSOCIATED_TO_POOL."""
    if pools:
        label = {"phone-number": "Phone number", "sender-id": "Sender ID"}[resource_type]
        where = f"pool {pools[0]}" if resource_type == "phone-number" else f"pools {pools}"
        reason = f"{resource_type.replace('-', '_').upper()}_ASSOCIATED_TO_POOL"
        message = f"{label} {resource_id} is in {where}; disassociate it first."
        raise ConflictError(message, reason, resource_type, resource_id)


def release_phone_number(svc: Service, params: dict[str, Any]) -> dict[str, Any]:
    phone = svc.phone_number(params["PhoneNumberId"])
    _require_in_no_pool("phone-number", phone.phone_number_id, [phone.pool_id] if phone.pool_id else [])
    require_unprotected("phone-number", phone.phone_number_id, phone.deletion_protection_enabled)
    del svc.account.phone_numbers[phone.phone_number_id]
    phone.status = "DELETED"
    info = phone_number_info(svc.arns, phone)
    for member in ("PoolId", "InternationalSendingEnabled", "DeletionProtectionEnabled"):
        info.pop(member, None)
    return info


# --- sender IDs ------------------------------------------------------------------------------
def request_sender_id(svc: Service, params: dict[str, Any]) -> dict[str, Any]:
    sender_id, iso = params["SenderId"], params["IsoCountryCode"]
    key = f"{sender_id}/{iso}"
    if key in svc.account.sender_ids:
        raise ConflictError(
            f"Sender ID {sender_id} in {iso} already exists.",
            "RESOURCE_ALREADY_EXISTS",
            "sender-id",
            sender_id,
        )
    sender = SenderId(
        sender_id=sender_id,
        iso_country_code=iso,
        message_types=list(dict.fromkeys(params.get("MessageTypes") or ["TRANSACTIONAL"])),
        deletion_protection_enabled=bool(params.get("DeletionProtectionEnabled", False)),
        tags=merged_tags({}, params.get("Tags") or [], sender_id),
    )
    svc.account.sender_ids[key] = sender
    return {**sender_id_info(svc.arns, sender), "Tags": tag_list(sender.tags)}


def describe_sender_ids(svc: Service, params: dict[str, Any]) -> dict[str, Any]:
    senders = selected(params, "SenderIds", svc.account.sender_ids.values(), _sender_id_look_up(svc))
    extractors = {
        "sender-id": lambda s: [s.sender_id],
        "iso-country-code": lambda s: [s.iso_country_code],
        "message-type": lambda s: list(s.message_types),
        "deletion-protection-enabled": lambda s: flag(s.deletion_protection_enabled),
        "registered": lambda s: flag(s.registered),
    }
    allowed: dict[str, tuple[str, ...]] = {
        "message-type": ("TRANSACTIONAL", "PROMOTIONAL"),
        "deletion-protection-enabled": BOOLEAN_VALUES,
        "registered": BOOLEAN_VALUES,
    }
    senders = apply_filters(senders, params.get("Filters"), extractors, allowed)
    page, token = paginate("DescribeSenderIds", senders, params, svc.max_page_size)
    return with_next_token({"SenderIds": [sender_id_info(svc.arns, s) for s in page]}, token)


def _sender_id_look_up(svc: Service) -> Callable[[dict[str, str]], SenderId]:
    """DescribeSenderIds names each sender ID by its id and country."""
    return lambda wanted: svc.sender_id(wanted["SenderId"], wanted["IsoCountryCode"], "SenderIds")


def release_sender_id(svc: Service, params: dict[str, Any]) -> dict[str, Any]:
    sender = svc.sender_id(params["SenderId"], params["IsoCountryCode"], "SenderId")
    arn = svc.arns.sender_id(sender.sender_id, sender.iso_country_code)
    pools = [p.pool_id for p in svc.account.pools.values() if arn in p.identities]
    _require_in_no_pool("sender-id", sender.sender_id, pools)
    require_unprotected("sender-id", sender.sender_id, sender.deletion_protection_enabled)
    del svc.account.sender_ids[f"{sender.sender_id}/{sender.iso_country_code}"]
    info = sender_id_info(svc.arns, sender)
    del info["DeletionProtectionEnabled"]
    return info


# --- opt-out lists ---------------------------------------------------------------------------
def create_opt_out_list(svc: Service, params: dict[str, Any]) -> dict[str, Any]:
    name = params["OptOutListName"]
    if name in svc.account.opt_out_lists:
        raise ConflictError(
            f"Opt-out list {name} already exists.", "RESOURCE_ALREADY_EXISTS", "opt-out-list", name
        )
    created = OptOutList(name, svc.clock(), tags=merged_tags({}, params.get("Tags") or [], name))
    svc.account.opt_out_lists[name] = created
    return {**opt_out_list_info(svc.arns, created), "Tags": tag_list(created.tags)}


def describe_opt_out_lists(svc: Service, params: dict[str, Any]) -> dict[str, Any]:
    lists = selected(params, "OptOutListNames", svc.account.opt_out_lists.values(), svc.opt_out_list)
    page, token = paginate("DescribeOptOutLists", lists, params, svc.max_page_size)
    return with_next_token({"OptOutLists": [opt_out_list_info(svc.arns, o) for o in page]}, token)


def delete_opt_out_list(svc: Service, params: dict[str, Any]) -> dict[str, Any]:
    opt_out = svc.opt_out_list(params["OptOutListName"])
    users = [p.pool_id for p in svc.account.pools.values() if p.opt_out_list_name == opt_out.name] + [
        p.phone_number_id for p in svc.account.phone_numbers.values() if p.opt_out_list_name == opt_out.name
    ]
    if opt_out.name == "Default" or users:
        detail = "the account's Default list" if opt_out.name == "Default" else f"used by {users}"
        raise ConflictError(
            f"Opt-out list {opt_out.name} cannot be deleted: {detail}.",
            "RESOURCE_DELETION_NOT_ALLOWED",
            "opt-out-list",
            opt_out.name,
        )
    del svc.account.opt_out_lists[opt_out.name]
    return opt_out_list_info(svc.arns, opt_out)


# --- tags ------------------------------------------------------------------------------------
def _tagged(svc: Service, arn: str) -> tuple[dict[str, str], Any]:
    """(tags, owner) of the resource an ARN names; ResourceNotFound for anything else."""
    parsed = svc.arns.parse(arn)
    resource_type, _ = parsed if parsed is not None else ("", [])
    owner: Any
    if resource_type == "pool":
        owner = svc.pool(arn)
    elif resource_type == "phone-number":
        owner = svc.phone_number(arn)
    elif resource_type == "sender-id":
        owner = svc.sender_id(arn, None, "ResourceArn")
    elif resource_type == "opt-out-list":
        owner = svc.opt_out_list(arn)
    else:
        raise NotFoundError(resource_type or "account", arn)
    return owner.tags, owner


def tag_resource(svc: Service, params: dict[str, Any]) -> dict[str, Any]:
    tags, owner = _tagged(svc, params["ResourceArn"])
    owner.tags = merged_tags(tags, params["Tags"], params["ResourceArn"])
    return {}


def untag_resource(svc: Service, params: dict[str, Any]) -> dict[str, Any]:
    tags, owner = _tagged(svc, params["ResourceArn"])
    for index, key in enumerate(params["TagKeys"]):
        refuse_reserved_tag_key(key, f"TagKeys[{index}]", removing=True)
    owner.tags = {key: value for key, value in tags.items() if key not in set(params["TagKeys"])}
    return {}


def list_tags_for_resource(svc: Service, params: dict[str, Any]) -> dict[str, Any]:
    tags, _ = _tagged(svc, params["ResourceArn"])
    return {"ResourceArn": params["ResourceArn"], "Tags": tag_list(tags)}
