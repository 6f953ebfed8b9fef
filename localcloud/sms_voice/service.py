"""The service core: one account behind one lock, request dispatch, idempotency and lookups.

The operations themselves live in ``pool_operations`` and ``resource_operations``; this module
gives them resolved resources (ids or ARNs), pagination and the rules every mutating call shares.
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from localcloud.sms_voice.api_errors import (
    ApiError,
    ConflictError,
    NotFoundError,
    QuotaExceededError,
    ValidationError,
)
from localcloud.sms_voice.arns import ArnFactory
from localcloud.sms_voice.state import Account, OptOutList, PhoneNumber, Pool, SenderId

DEFAULT_PAGE_SIZE = 10
TAGS_PER_RESOURCE = 50
# boto3 sends a fresh ClientToken with every CreatePool/Associate/Disassociate; keep the table bounded.
CLIENT_TOKENS_KEPT = 10_000
DEFAULT_OPT_OUT_LIST = "Default"

T = TypeVar("T")
Handler = Callable[["Service", dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Identity:
    """A resolved origination identity: exactly one of phone/sender is set."""

    arn: str
    phone: PhoneNumber | None = None
    sender: SenderId | None = None

    @property
    def short_id(self) -> str:
        return self.phone.phone_number_id if self.phone is not None else self._sender.sender_id

    @property
    def iso_country_code(self) -> str:
        return (self.phone or self._sender).iso_country_code

    @property
    def _sender(self) -> SenderId:
        assert self.sender is not None, "an Identity holds a phone number or a sender ID"
        return self.sender


@dataclass
class Service:
    """The emulated account. Every public method takes the lock; handlers run under it."""

    account: Account
    arns: ArnFactory
    activation_delay: float = 0.0
    # The most items any page holds (None: as MaxResults or the default say), id lists included.
    max_page_size: int | None = None
    on_change: Callable[[Account], None] | None = None
    clock: Callable[[], float] = time.time
    lock: threading.RLock = field(default_factory=threading.RLock)
    handlers: dict[str, Handler] = field(default_factory=dict)
    initial_activation_delay: float = field(init=False, default=0.0)  # what reset() goes back to

    def __post_init__(self) -> None:
        self.initial_activation_delay = self.activation_delay
        self._add_default_opt_out_list()

    def _add_default_opt_out_list(self) -> None:
        self.account.opt_out_lists.setdefault(
            DEFAULT_OPT_OUT_LIST, OptOutList(DEFAULT_OPT_OUT_LIST, created=self.clock())
        )

    def reset(self) -> None:
        """An empty account (only the Default opt-out list, no client tokens); the startup delay."""
        with self.lock:
            self.account = Account()
            self.activation_delay = self.initial_activation_delay
            self.max_page_size = None
            self._add_default_opt_out_list()
            self.changed()

    # --- dispatch ---------------------------------------------------------------------------
    def call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        handler = self.handlers[operation]
        with self.lock:
            swept = self.sweep()
            try:
                token = params.get("ClientToken")
                if isinstance(token, str):
                    result = self._idempotent(operation, token, params, handler)
                else:
                    result = handler(self, params)
            except ApiError:
                if swept:
                    self.changed()
                raise
            if swept or not is_read_only(operation):
                self.changed()
            return result

    def _idempotent(
        self, operation: str, token: str, params: dict[str, Any], handler: Handler
    ) -> dict[str, Any]:
        key = f"{operation} {token}"
        request = {k: v for k, v in params.items() if k != "ClientToken"}
        earlier = self.account.client_tokens.get(key)
        if earlier is not None:
            if earlier["request"] != request:
                raise ValidationError(
                    f"ClientToken {token!r} was already used for {operation} with different parameters.",
                    "INVALID_REQUEST",
                    [{"Name": "ClientToken", "Message": "Token reused with different parameters"}],
                )
            response: dict[str, Any] = earlier["response"]
            return response
        response = handler(self, params)
        tokens = self.account.client_tokens
        tokens[key] = {"request": request, "response": response}
        while len(tokens) > CLIENT_TOKENS_KEPT:  # oldest first: dicts keep insertion order
            del tokens[next(iter(tokens))]
        return response

    def changed(self) -> None:
        if self.on_change is not None:
            self.on_change(self.account)

    def sweep(self) -> bool:
        """Remove pools whose deletion finished; their identities are free again. True if any."""
        now = self.clock()
        gone = [p for p in self.account.pools.values() if p.gone_at is not None and now >= p.gone_at]
        for pool in gone:
            for phone in self.account.phone_numbers.values():
                if phone.pool_id == pool.pool_id:
                    phone.pool_id = None
            del self.account.pools[pool.pool_id]
        return bool(gone)

    # --- lookups ----------------------------------------------------------------------------
    def _local_id(self, id_or_arn: str, resource_type: str) -> str:
        """The id that `id_or_arn` names; "" (found nowhere) for an ARN of another type, account or
        Region, so such an ARN is never taken for a local id."""
        parsed = self.arns.parse(id_or_arn)
        if parsed is None:
            return id_or_arn
        parsed_type, parts = parsed
        return parts[0] if parsed_type == resource_type and len(parts) == 1 else ""

    def _look_up(self, table: Mapping[str, T], id_or_arn: str, resource_type: str) -> T:
        """The `resource_type` an id or ARN names, or NotFound (also for another account's ARN)."""
        found = table.get(self._local_id(id_or_arn, resource_type))
        if found is None:
            raise NotFoundError(resource_type, id_or_arn)
        return found

    def pool(self, pool_id_or_arn: str) -> Pool:
        return self._look_up(self.account.pools, pool_id_or_arn, "pool")

    def active_pool(self, pool_id_or_arn: str) -> Pool:
        pool = self.pool(pool_id_or_arn)
        require_active("pool", pool.pool_id, pool.status(self.clock()))
        return pool

    def phone_number(self, id_or_arn: str) -> PhoneNumber:
        return self._look_up(self.account.phone_numbers, id_or_arn, "phone-number")

    def active_phone_number(self, id_or_arn: str) -> PhoneNumber:
        phone = self.phone_number(id_or_arn)
        require_active("phone-number", phone.phone_number_id, phone.status)
        return phone

    def sender_id(self, id_or_arn: str, iso_country_code: str | None, field_name: str) -> SenderId:
        parsed = self.arns.parse(id_or_arn)
        if parsed is not None:
            resource_type, parts = parsed
            if resource_type != "sender-id" or len(parts) != 2:
                raise NotFoundError("sender-id", id_or_arn)
            sender_id, country = parts
            if iso_country_code is not None and iso_country_code != country:
                raise country_mismatch(id_or_arn, iso_country_code, country)
        else:
            if iso_country_code is None:
                raise ValidationError(
                    f"{field_name} {id_or_arn!r} is a sender ID: give IsoCountryCode or the sender ID ARN.",
                    "INVALID_ARN",
                    [{"Name": field_name, "Message": "A sender ID needs IsoCountryCode or its ARN"}],
                )
            sender_id, country = id_or_arn, iso_country_code
        sender = self.account.sender_ids.get(f"{sender_id}/{country}")
        if sender is None:
            raise NotFoundError("sender-id", id_or_arn)
        return sender

    def names_type(self, id_or_arn: str, resource_type: str, id_prefix: str) -> bool:
        """Whether `id_or_arn` names a `resource_type`: an id starting with `id_prefix`, or an ARN of
        that type. A foreign ARN still says what it names, so its NotFound names the right type."""
        parsed = self.arns.parse(id_or_arn)
        if parsed is None:
            return id_or_arn.startswith(id_prefix)
        return parsed[0] == resource_type or (parsed[0] == "" and f":{resource_type}/" in id_or_arn)

    def identity(self, id_or_arn: str, iso_country_code: str | None, field_name: str) -> Identity:
        """A phone number or sender ID given as id or ARN; IsoCountryCode must agree with it."""
        parsed = self.arns.parse(id_or_arn)
        if self.names_type(id_or_arn, "phone-number", "phone-"):
            phone = self.phone_number(id_or_arn)
            if iso_country_code is not None and iso_country_code != phone.iso_country_code:
                raise country_mismatch(id_or_arn, iso_country_code, phone.iso_country_code)
            return Identity(self.arns.phone_number(phone.phone_number_id), phone=phone)
        if parsed is not None and parsed[0] not in ("sender-id", ""):
            raise ValidationError(
                f"{field_name} {id_or_arn!r} is not a phone number or sender ID ARN.",
                "INVALID_ARN",
                [{"Name": field_name, "Message": "Expected a phone number or sender ID"}],
            )
        sender = self.sender_id(id_or_arn, iso_country_code, field_name)
        return Identity(self.arns.sender_id(sender.sender_id, sender.iso_country_code), sender=sender)

    def identity_by_arn(self, arn: str) -> Identity:
        return self.identity(arn, None, "OriginationIdentity")

    def opt_out_list(self, name_or_arn: str) -> OptOutList:
        return self._look_up(self.account.opt_out_lists, name_or_arn, "opt-out-list")

    def new_id(self, prefix: str) -> str:
        return f"{prefix}-{uuid.uuid4().hex}"


_RESOURCE_LABELS = {"pool": "Pool", "phone-number": "Phone number", "sender-id": "Sender ID"}


def require_active(resource_type: str, resource_id: str, status: str) -> None:
    """ConflictException RESOURCE_NOT_ACTIVE unless `status` is ACTIVE."""
    if status != "ACTIVE":
        label = _RESOURCE_LABELS[resource_type]
        message = f"{label} {resource_id} is {status}, not ACTIVE; it must be ACTIVE for this operation."
        raise ConflictError(message, "RESOURCE_NOT_ACTIVE", resource_type, resource_id)


def require_unprotected(resource_type: str, resource_id: str, protected: bool, fix: str = "") -> None:
    """ConflictException DELETION_PROTECTION_ENABLED when `protected` (`fix`: how to lift it)."""
    if protected:
        message = f"{_RESOURCE_LABELS[resource_type]} {resource_id} has deletion protection enabled{fix}."
        raise ConflictError(message, "DELETION_PROTECTION_ENABLED", resource_type, resource_id)


def country_mismatch(identity: str, given: str, actual: str) -> ValidationError:
    return ValidationError(
        f"IsoCountryCode {given!r} does not match {identity!r}, which is in {actual!r}.",
        "COUNTRY_CODE_MISMATCH",
        [{"Name": "IsoCountryCode", "Message": f"Identity is in {actual}"}],
    )


# --- pagination and filters -------------------------------------------------------------------
def paginate(
    operation: str, items: list[Any], params: dict[str, Any], max_page_size: int | None = None
) -> tuple[list[Any], str | None]:
    """One page of ``items`` and the NextToken for the rest (tokens are opaque and per operation).

    ``max_page_size`` (the control plane's page-size setting) caps every page, also of an answer to
    a list of ids: the API allows a NextToken there too, and a client must follow it.
    """
    offset = 0
    token = params.get("NextToken")
    if token is not None:
        offset = _decode_token(operation, token)
    size = params.get("MaxResults") or DEFAULT_PAGE_SIZE
    if max_page_size is not None:
        size = min(size, max_page_size)
    page = items[offset : offset + size]
    more = offset + size < len(items)
    return page, _encode_token(operation, offset + size) if more else None


def _encode_token(operation: str, offset: int) -> str:
    raw = json.dumps({"operation": operation, "offset": offset}).encode()
    return base64.urlsafe_b64encode(raw).decode()


def _decode_token(operation: str, token: str) -> int:
    try:
        decoded = json.loads(base64.urlsafe_b64decode(token.encode()))
        if (
            decoded["operation"] == operation
            and isinstance(decoded["offset"], int)
            and decoded["offset"] >= 0
        ):
            return int(decoded["offset"])
    except (ValueError, KeyError, TypeError, binascii.Error):
        pass
    raise ValidationError(
        "The NextToken is not valid for this operation.",
        "INVALID_NEXT_TOKEN",
        [{"Name": "NextToken", "Message": "Not a token this operation issued"}],
    )


def apply_filters(
    items: list[Any],
    filters: list[dict[str, Any]] | None,
    extractors: dict[str, Callable[[Any], list[str]]],
    allowed_values: dict[str, tuple[str, ...]],
) -> list[Any]:
    """Items matching every filter (a filter matches if any of its values matches)."""
    for index, item_filter in enumerate(filters or []):
        name, values = item_filter["Name"], item_filter["Values"]
        allowed = allowed_values.get(name)
        bad = [value for value in values if allowed is not None and value not in allowed]
        if bad:
            raise ValidationError(
                f"Filter {name!r} has invalid values {bad}; allowed: {', '.join(allowed or ())}.",
                "INVALID_FILTER_VALUES",
                [{"Name": f"Filters[{index}].Values", "Message": f"Allowed: {', '.join(allowed or ())}"}],
            )
        extract = extractors[name]
        items = [item for item in items if set(extract(item)) & set(values)]
    return items


def refuse_reserved_tag_key(key: str, field_name: str, *, removing: bool = False) -> None:
    """Raise the service's ValidationException (naming ``field_name``) if ``key`` starts with the
    reserved ``aws:`` prefix, in any case: users can neither add nor remove such a tag."""
    if key.lower().startswith("aws:"):
        raise ValidationError(
            f"Tag key {key!r} uses the reserved prefix 'aws:'{'; it cannot be removed' if removing else ''}.",
            "FIELD_VALIDATION_FAILED",
            [{"Name": field_name, "Message": "Keys starting with 'aws:' are reserved"}],
        )


def merged_tags(current: dict[str, str], tags: list[dict[str, str]], resource_id: str) -> dict[str, str]:
    """``current`` with ``tags`` added or overwritten; checks the aws: prefix and the quota."""
    for index, tag in enumerate(tags):
        refuse_reserved_tag_key(tag["Key"], f"Tags[{index}].Key")
    result = dict(current)
    result.update({tag["Key"]: tag["Value"] for tag in tags})
    if len(result) > TAGS_PER_RESOURCE:
        raise QuotaExceededError(
            f"{resource_id} would have {len(result)} tags; the limit is {TAGS_PER_RESOURCE}.",
            "TAGS_PER_RESOURCE",
        )
    return result


def selected(
    params: dict[str, Any],
    ids_member: str,
    every: Iterable[T],
    look_up: Callable[[Any], T],
) -> list[T]:
    """What a Describe call lists: nothing for Owner SHARED (this account is shared nothing), each
    item named in `ids_member` (looked up, so an unknown one is NotFound; a repeat is listed once)
    or else `every` item. Naming items and giving Owner together is refused."""
    wanted = params.get(ids_member)
    if wanted and params.get("Owner"):
        raise ValidationError(
            f"{ids_member} and Owner cannot be used together.",
            "PARAMETERS_CANNOT_BE_USED_TOGETHER",
            [{"Name": "Owner", "Message": f"Not allowed with {ids_member}"}],
        )
    if params.get("Owner") == "SHARED":
        return []
    if wanted:
        return list({id(item): item for item in map(look_up, wanted)}.values())  # the same object
    return list(every)


def with_next_token(result: dict[str, Any], token: str | None) -> dict[str, Any]:
    if token is not None:
        result["NextToken"] = token
    return result


def flag(value: bool) -> list[str]:
    return ["true" if value else "false"]


BOOLEAN_VALUES = ("true", "false")

# The filters DescribePools and DescribePhoneNumbers share: both resources have these settings.
SETTINGS_FILTERS: dict[str, Callable[[Any], list[str]]] = {
    "two-way-enabled": lambda r: flag(r.two_way_enabled),
    "self-managed-opt-outs-enabled": lambda r: flag(r.self_managed_opt_outs_enabled),
    "opt-out-list-name": lambda r: [r.opt_out_list_name],
    "deletion-protection-enabled": lambda r: flag(r.deletion_protection_enabled),
    "two-way-channel-arn": lambda r: [r.two_way_channel_arn or ""],
}
SETTINGS_FILTER_VALUES = {
    "two-way-enabled": BOOLEAN_VALUES,
    "self-managed-opt-outs-enabled": BOOLEAN_VALUES,
    "deletion-protection-enabled": BOOLEAN_VALUES,
}

# SMS Voice v2 names its reads Describe*, List* and Get*; every other operation changes the account.
READ_PREFIXES = ("Describe", "List", "Get")


def is_read_only(operation: str) -> bool:
    """True for an operation that only reads (by the service's naming rule, ``READ_PREFIXES``)."""
    return operation.startswith(READ_PREFIXES)


__all__ = ["ApiError", "Identity", "Service", "apply_filters", "is_read_only", "paginate"]
