"""Origination identities: canonical forms, look-ups in chunks of five, and pre-flight checks.

A template may name a phone number or a sender ID by id or by ARN; the pool reports ARNs. Both are
reduced to one canonical key (``phone-number/<id>`` or ``sender-id/<id>/<country>``), so switching
between the forms is never a change and never drift. The forms are read by contract.py
(``IdentityRef``, ``Home``), which the construct's synth checks call too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Final, Literal

import contract
from botocore.exceptions import ClientError
from contract import PHONE_NUMBER, SENDER_ID, IdentityKind, IdentityRef, check_distinct, read_identity
from pool_errors import ApiCall, ApiError, PoolConflictError, PoolPropertyError, contract_checks
from pool_paging import all_items

if TYPE_CHECKING:
    from mypy_boto3_pinpoint_sms_voice_v2 import PinpointSMSVoiceV2Client
    from mypy_boto3_pinpoint_sms_voice_v2.literals import MessageTypeType

# DescribePhoneNumbers and DescribeSenderIds take at most five ids per call.
DESCRIBE_CHUNK: Final = 5
_IDENTITIES: Final = contract.ORIGINATION_IDENTITIES


def parse_identity_ref(written: str, where: str = _IDENTITIES) -> IdentityRef:
    """An id or ARN of a phone number or sender ID (contract.read_identity); else PoolPropertyError."""
    with contract_checks():
        return read_identity(where, written)


def reject_duplicates(refs: Sequence[IdentityRef], default_country: str | None) -> None:
    """Raise if two refs name the same identity (in whatever form); ``default_country`` as in ``key``."""
    with contract_checks():
        check_distinct(_IDENTITIES, refs, default_country)


@dataclass(frozen=True)
class Identity:
    """An origination identity as the account knows it: listed in a pool
    (ListPoolOriginationIdentities), looked up to join one (DescribePhoneNumbers, DescribeSenderIds),
    or named by a replacement's hand-over mark.

    Its kind, id, ARN and country are always known; the rest only from a look-up (a pool's listing
    names its members without it): None or empty otherwise.
    """

    kind: IdentityKind
    identity_id: str
    arn: str
    iso_country_code: str
    # Every phone number in a pool has the same capabilities (SMS, VOICE, MMS).
    number_capabilities: frozenset[str] = frozenset()
    message_types: tuple[MessageTypeType, ...] = ()
    status: str | None = None
    # The pool a phone number is in (sender IDs may be in many pools; always None for them).
    pool_id: str | None = None
    # A phone number's configuration, which must match a pool's to join it (pool_planner.Join). A
    # sender ID has none: it joins any pool without two-way.
    two_way_enabled: bool | None = None
    two_way_channel_arn: str | None = None
    two_way_channel_role: str | None = None
    self_managed_opt_outs_enabled: bool | None = None
    opt_out_list_name: str | None = None

    @property
    def is_phone_number(self) -> bool:
        return self.kind == PHONE_NUMBER

    @property
    def ref(self) -> IdentityRef:
        """This identity as its ARN names it."""
        country = None if self.is_phone_number else self.iso_country_code
        return IdentityRef(self.arn, self.kind, self.identity_id, country)

    @property
    def key(self) -> str:
        """The canonical key (``IdentityRef.key``): the same whichever form a template names it in."""
        return self.ref.key()


def listed_identity(entry: Mapping[str, Any]) -> Identity:
    """A pool member as ListPoolOriginationIdentities reports it."""
    ref = parse_identity_ref(str(entry["OriginationIdentityArn"]))
    return Identity(
        ref.kind,
        ref.identity_id,
        ref.written,
        str(entry.get("IsoCountryCode", "")),
        number_capabilities=frozenset(entry.get("NumberCapabilities", ())),
    )


def _phone_number_facts(identity: Identity, info: Mapping[str, Any]) -> Identity:
    return dataclasses.replace(
        identity,
        number_capabilities=frozenset(info["NumberCapabilities"]),
        message_types=(info["MessageType"],),
        status=info["Status"],
        pool_id=info.get("PoolId") or None,
        two_way_enabled=info["TwoWayEnabled"],
        two_way_channel_arn=info.get("TwoWayChannelArn"),
        two_way_channel_role=info.get("TwoWayChannelRole"),
        self_managed_opt_outs_enabled=info["SelfManagedOptOutsEnabled"],
        opt_out_list_name=info["OptOutListName"],
    )


def _sender_id_facts(identity: Identity, info: Mapping[str, Any]) -> Identity:
    # A sender ID that exists is usable: DescribeSenderIds reports no status.
    return dataclasses.replace(identity, message_types=tuple(info["MessageTypes"]), status="ACTIVE")


@dataclass(frozen=True)
class _Lookup:
    """How one kind of identity is looked up: the Describe call, its request and its answer."""

    kind: IdentityKind
    operation: str
    paginator: Literal["describe_phone_numbers", "describe_sender_ids"]
    request: Callable[[Sequence[IdentityRef], str | None], dict[str, Any]]
    # The answer: its list, each item's id and ARN members, and what else the item tells.
    items_key: str
    id_member: str
    arn_member: str
    facts: Callable[[Identity, Mapping[str, Any]], Identity]

    def identity(self, info: Mapping[str, Any]) -> Identity:
        """One item of the answer."""
        named = Identity(self.kind, info[self.id_member], info[self.arn_member], info["IsoCountryCode"])
        return self.facts(named, info)


_LOOKUPS: Final[Mapping[IdentityKind, _Lookup]] = {
    PHONE_NUMBER: _Lookup(
        PHONE_NUMBER,
        "DescribePhoneNumbers",
        "describe_phone_numbers",
        lambda refs, _country: {"PhoneNumberIds": [ref.written for ref in refs]},
        "PhoneNumbers",
        "PhoneNumberId",
        "PhoneNumberArn",
        _phone_number_facts,
    ),
    SENDER_ID: _Lookup(
        SENDER_ID,
        "DescribeSenderIds",
        "describe_sender_ids",
        lambda refs, country: {
            "SenderIds": [
                {"SenderId": ref.identity_id, "IsoCountryCode": ref.iso_country_code or str(country)}
                for ref in refs
            ]
        },
        "SenderIds",
        "SenderId",
        "SenderIdArn",
        _sender_id_facts,
    ),
}


def _not_found(ref: IdentityRef, default_country: str | None) -> PoolPropertyError:
    if ref.kind == SENDER_ID and ref.iso_country_code is None:
        # Written without a country, it was looked up in the pool's: say so, since the same sender ID
        # registered in another country is a different identity.
        return PoolPropertyError(
            f'{_IDENTITIES}: sender ID "{ref.written[:80]}" does not exist in country {default_country} '
            "in this account and Region; check the id, or give its SenderIdArn "
            "(...:sender-id/<SenderId>/<CC>) if it is registered in another country."
        )
    noun = "phone number" if ref.kind == PHONE_NUMBER else "sender ID"
    return PoolPropertyError(
        f'{_IDENTITIES}: {noun} "{ref.written[:80]}" does not exist in this account and Region; '
        "check the id or ARN."
    )


def _not_found_in(
    chunk: Sequence[IdentityRef], default_country: str | None, error: ApiError
) -> PoolPropertyError:
    """The not-found failure for the identity of ``chunk`` the error's ResourceId names."""
    missing = str(error.response.get("ResourceId", "")) if isinstance(error, ClientError) else ""
    named = [ref for ref in chunk if missing in (ref.written, ref.identity_id)]
    named = named or [ref for ref in chunk if ref.identity_id in missing]
    return _not_found((named or list(chunk))[0], default_country)


def _look_up(
    client: PinpointSMSVoiceV2Client,
    kind: IdentityKind,
    refs: Sequence[IdentityRef],
    default_country: str | None,
) -> dict[IdentityRef, Identity]:
    """Identities of one kind, five per call (every page of each); any missing one raises."""
    lookup = _LOOKUPS[kind]
    paginate = client.get_paginator(lookup.paginator).paginate
    resolved: dict[IdentityRef, Identity] = {}
    for start in range(0, len(refs), DESCRIBE_CHUNK):
        chunk = refs[start : start + DESCRIBE_CHUNK]
        fixes = {"ResourceNotFoundException": partial(_not_found_in, chunk, default_country)}
        with ApiCall(lookup.operation, ", ".join(ref.identity_id for ref in chunk), fixes=fixes):
            found = all_items(paginate, lookup.items_key, **lookup.request(chunk, default_country))
        by_key = {identity.key: identity for identity in map(lookup.identity, found)}
        for ref in chunk:
            identity = by_key.get(ref.key(default_country))
            if identity is None:
                raise _not_found(ref, default_country)
            resolved[ref] = identity
    return resolved


def describe_identities(
    client: PinpointSMSVoiceV2Client, refs: Sequence[IdentityRef], default_country: str | None
) -> dict[IdentityRef, Identity]:
    """Look every identity up (five per call).

    A sender ID given without country is looked up in ``default_country``, or when that is None in
    the first identity's country (the pool's).
    """
    resolved = _look_up(client, PHONE_NUMBER, [ref for ref in refs if ref.kind == PHONE_NUMBER], None)
    if default_country is None and refs:
        first = refs[0]
        default_country = resolved[first].iso_country_code if first in resolved else first.iso_country_code
    senders = [ref for ref in refs if ref.kind == SENDER_ID]
    for ref in senders:
        if ref.iso_country_code is None and default_country is None:
            raise PoolPropertyError(
                f'{_IDENTITIES}: sender ID "{ref.written}" has no country; use its SenderIdArn '
                "(...:sender-id/<SenderId>/<CC>) or set IsoCountryCode."
            )
    resolved.update(_look_up(client, SENDER_ID, senders, default_country))
    return resolved


def check_usable(identity: Identity, message_type: MessageTypeType) -> None:
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
