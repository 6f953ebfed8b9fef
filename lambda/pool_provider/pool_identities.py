"""Origination identities: canonical forms, look-ups in chunks of five, and pre-flight checks.

A template may name a phone number or a sender ID by id or by ARN; the pool reports ARNs. Both are
reduced to one canonical key (``phone-number/<id>`` or ``sender-id/<id>/<country>``), so switching
between the forms is never a change and never drift. The forms are read by contract.py
(``IdentityRef``, ``Home``), which the construct's synth checks call too.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import contract
from botocore.exceptions import ClientError
from contract import PHONE_NUMBER, SENDER_ID, IdentityKind, IdentityRef, check_distinct, read_identity
from pool_errors import (
    API_ERRORS,
    PoolConflictError,
    PoolPropertyError,
    api_failure,
    contract_checks,
    error_code,
)
from pool_paging import all_items

if TYPE_CHECKING:
    from mypy_boto3_pinpoint_sms_voice_v2 import PinpointSMSVoiceV2Client
    from mypy_boto3_pinpoint_sms_voice_v2.literals import MessageTypeType
    from mypy_boto3_pinpoint_sms_voice_v2.type_defs import SenderIdAndCountryTypeDef

# DescribePhoneNumbers and DescribeSenderIds take at most five ids per call.
DESCRIBE_CHUNK: Final = 5
_IDENTITIES: Final = contract.ORIGINATION_IDENTITIES


@dataclass(frozen=True)
class ResolvedIdentity:
    """An identity as the account knows it (from DescribePhoneNumbers / DescribeSenderIds)."""

    ref: IdentityRef
    arn: str
    iso_country_code: str
    message_types: tuple[MessageTypeType, ...]
    status: str
    # The pool a phone number is in (sender IDs may be in many pools; always None for them).
    pool_id: str | None
    # A phone number's configuration, which must match a pool's to join it (sender IDs: defaults).
    number_capabilities: frozenset[str] = frozenset({"SMS"})
    two_way_enabled: bool = False
    two_way_channel_arn: str | None = None
    two_way_channel_role: str | None = None
    self_managed_opt_outs_enabled: bool = False
    opt_out_list_name: str = "Default"

    @property
    def kind(self) -> IdentityKind:
        return self.ref.kind

    @property
    def identity_id(self) -> str:
        return self.ref.identity_id

    @property
    def key(self) -> str:
        return self.ref.key(self.iso_country_code)


def parse_identity_ref(written: str, where: str = _IDENTITIES) -> IdentityRef:
    """An id or ARN of a phone number or sender ID (contract.read_identity); else PoolPropertyError."""
    with contract_checks():
        return read_identity(where, written)


def reject_duplicates(refs: Sequence[IdentityRef], default_country: str | None) -> None:
    """Raise if two refs name the same identity (in whatever form); ``default_country`` as in ``key``."""
    with contract_checks():
        check_distinct(_IDENTITIES, refs, default_country)


def _chunks(items: Sequence[IdentityRef]) -> Iterator[Sequence[IdentityRef]]:
    for start in range(0, len(items), DESCRIBE_CHUNK):
        yield items[start : start + DESCRIBE_CHUNK]


def _not_found(ref: IdentityRef) -> PoolPropertyError:
    noun = "phone number" if ref.kind == PHONE_NUMBER else "sender ID"
    return PoolPropertyError(
        f'{_IDENTITIES}: {noun} "{ref.written[:80]}" does not exist in this account and Region; '
        "check the id or ARN."
    )


def _describe_phone_numbers(
    client: PinpointSMSVoiceV2Client, phones: Sequence[IdentityRef]
) -> dict[IdentityRef, ResolvedIdentity]:
    resolved: dict[IdentityRef, ResolvedIdentity] = {}
    for chunk in _chunks(phones):
        try:
            found = all_items(
                client.get_paginator("describe_phone_numbers").paginate,
                "PhoneNumbers",
                PhoneNumberIds=[ref.written for ref in chunk],
            )
        except API_ERRORS as error:
            if isinstance(error, ClientError) and error_code(error) == "ResourceNotFoundException":
                missing = str(error.response.get("ResourceId", ""))
                culprit = next((ref for ref in chunk if missing in (ref.written, ref.identity_id)), chunk[0])
                raise _not_found(culprit) from error
            raise api_failure(
                "DescribePhoneNumbers", error, ", ".join(ref.identity_id for ref in chunk)
            ) from error
        by_id = {info.get("PhoneNumberId", ""): info for info in found}
        for ref in chunk:
            info = by_id.get(ref.identity_id)
            if info is None:
                raise _not_found(ref)
            resolved[ref] = ResolvedIdentity(
                ref=ref,
                arn=info["PhoneNumberArn"],
                iso_country_code=info["IsoCountryCode"],
                message_types=(info["MessageType"],),
                status=info["Status"],
                pool_id=info.get("PoolId") or None,
                number_capabilities=frozenset(info["NumberCapabilities"]),
                two_way_enabled=info["TwoWayEnabled"],
                two_way_channel_arn=info.get("TwoWayChannelArn"),
                two_way_channel_role=info.get("TwoWayChannelRole"),
                self_managed_opt_outs_enabled=info["SelfManagedOptOutsEnabled"],
                opt_out_list_name=info["OptOutListName"],
            )
    return resolved


def _describe_sender_ids(
    client: PinpointSMSVoiceV2Client, senders: Sequence[IdentityRef], default_country: str | None
) -> dict[IdentityRef, ResolvedIdentity]:
    for ref in senders:
        if ref.iso_country_code is None and default_country is None:
            raise PoolPropertyError(
                f'{_IDENTITIES}: sender ID "{ref.written}" has no country; use its SenderIdArn '
                "(...:sender-id/<SenderId>/<CC>) or set IsoCountryCode."
            )
    resolved: dict[IdentityRef, ResolvedIdentity] = {}
    for chunk in _chunks(senders):
        wanted: list[SenderIdAndCountryTypeDef] = [
            {"SenderId": ref.identity_id, "IsoCountryCode": ref.iso_country_code or str(default_country)}
            for ref in chunk
        ]
        try:
            found = all_items(
                client.get_paginator("describe_sender_ids").paginate, "SenderIds", SenderIds=wanted
            )
        except API_ERRORS as error:
            if isinstance(error, ClientError) and error_code(error) == "ResourceNotFoundException":
                missing = str(error.response.get("ResourceId", ""))
                culprit = next((ref for ref in chunk if ref.identity_id in missing), chunk[0])
                raise _not_found(culprit) from error
            raise api_failure(
                "DescribeSenderIds", error, ", ".join(ref.identity_id for ref in chunk)
            ) from error
        by_key = {(info["SenderId"], info["IsoCountryCode"]): info for info in found}
        for ref, want in zip(chunk, wanted, strict=True):
            sender = by_key.get((want["SenderId"], want["IsoCountryCode"]))
            if sender is None:
                raise _not_found(ref)
            resolved[ref] = ResolvedIdentity(
                ref=ref,
                arn=sender["SenderIdArn"],
                iso_country_code=sender["IsoCountryCode"],
                message_types=tuple(sender["MessageTypes"]),
                status="ACTIVE",
                pool_id=None,
            )
    return resolved


def describe_identities(
    client: PinpointSMSVoiceV2Client, refs: Sequence[IdentityRef], default_country: str | None
) -> dict[IdentityRef, ResolvedIdentity]:
    """Look every identity up (five per call).

    A sender ID given without country is looked up in ``default_country``, or when that is None in
    the first identity's country (the pool's).
    """
    resolved = _describe_phone_numbers(client, [ref for ref in refs if ref.kind == PHONE_NUMBER])
    if default_country is None and refs:
        first = refs[0]
        default_country = resolved[first].iso_country_code if first in resolved else first.iso_country_code
    senders = [ref for ref in refs if ref.kind == SENDER_ID]
    resolved.update(_describe_sender_ids(client, senders, default_country))
    return resolved


def check_usable(identity: ResolvedIdentity, message_type: MessageTypeType) -> None:
    """Raise if ``identity`` cannot be in a pool of ``message_type`` (or is not ACTIVE)."""
    noun = "Phone number" if identity.kind == PHONE_NUMBER else "Sender ID"
    if identity.status != "ACTIVE":
        raise PoolConflictError(
            f"{noun} {identity.identity_id} is {identity.status}, not ACTIVE; wait until it is ACTIVE or "
            f"remove it from {_IDENTITIES}."
        )
    if message_type not in identity.message_types:
        has = "/".join(identity.message_types) or "no message type"
        raise PoolConflictError(
            f"{noun} {identity.identity_id} is {has} and cannot join a {message_type} pool; set MessageType "
            f"to match it or remove it from {_IDENTITIES}."
        )
