"""The account's resources and their (de)serialisation for ``--state FILE``.

Times are wall-clock epoch seconds, so a pool saved as CREATING by one process is ACTIVE (or gone)
when a later process reads the file after its activation time.
"""

from __future__ import annotations

import json
import os
import tempfile
import types
import typing
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

STATE_VERSION = 1
_Record = TypeVar("_Record")

# Keyword -> (message, action). HELP and STOP always exist on phone numbers and pools.
Keywords = dict[str, list[str]]


def default_keywords() -> Keywords:
    return {
        "HELP": ["Reply STOP to opt out. Msg&data rates may apply.", "AUTOMATIC_RESPONSE"],
        "STOP": ["You have been unsubscribed and will receive no further messages.", "OPT_OUT"],
    }


@dataclass(kw_only=True)
class MessagingSettings:
    """The settings a pool and a phone number both have (UpdatePool and UpdatePhoneNumber set them)."""

    two_way_enabled: bool = False
    two_way_channel_arn: str | None = None
    two_way_channel_role: str | None = None
    self_managed_opt_outs_enabled: bool = False
    deletion_protection_enabled: bool = False


@dataclass
class Pool(MessagingSettings):
    pool_id: str
    message_type: str
    opt_out_list_name: str
    created: float
    active_at: float
    shared_routes_enabled: bool = False
    gone_at: float | None = None
    identities: list[str] = field(default_factory=list)  # origination identity ARNs, association order
    keywords: Keywords = field(default_factory=default_keywords)
    tags: dict[str, str] = field(default_factory=dict)

    def status(self, now: float) -> str:
        if self.gone_at is not None:
            return "DELETING"
        return "ACTIVE" if now >= self.active_at else "CREATING"


@dataclass
class PhoneNumber(MessagingSettings):
    phone_number_id: str
    phone_number: str
    iso_country_code: str
    message_type: str
    number_capabilities: list[str]
    number_type: str
    created: float
    opt_out_list_name: str = "Default"
    status: str = "ACTIVE"
    international_sending_enabled: bool = False
    pool_id: str | None = None
    registration_id: str | None = None
    keywords: Keywords = field(default_factory=default_keywords)
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class SenderId:
    sender_id: str
    iso_country_code: str
    message_types: list[str]
    deletion_protection_enabled: bool = False
    registered: bool = False
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class OptOutList:
    name: str
    created: float
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class Account:
    pools: dict[str, Pool] = field(default_factory=dict)
    phone_numbers: dict[str, PhoneNumber] = field(default_factory=dict)
    sender_ids: dict[str, SenderId] = field(default_factory=dict)  # key "<SenderId>/<CC>"
    opt_out_lists: dict[str, OptOutList] = field(default_factory=dict)
    # "<Operation> <ClientToken>" -> {"request": ..., "response": ...}
    client_tokens: dict[str, dict[str, Any]] = field(default_factory=dict)


class StateFileError(Exception):
    """The state file exists but cannot be read as an emulator account."""


def account_to_json(account: Account) -> dict[str, Any]:
    return {"version": STATE_VERSION, "account": asdict(account)}


def account_from_json(document: Any) -> Account:
    if not isinstance(document, dict) or document.get("version") != STATE_VERSION:
        raise StateFileError(f"not an emulator state file (expected version {STATE_VERSION})")
    raw = document.get("account")
    if not isinstance(raw, dict):
        raise StateFileError("the 'account' object is missing")
    try:
        return Account(
            pools={k: _load(Pool, v) for k, v in raw["pools"].items()},
            phone_numbers={k: _load(PhoneNumber, v) for k, v in raw["phone_numbers"].items()},
            sender_ids={k: _load(SenderId, v) for k, v in raw["sender_ids"].items()},
            opt_out_lists={k: _load(OptOutList, v) for k, v in raw["opt_out_lists"].items()},
            client_tokens=_tokens(raw["client_tokens"]),
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise StateFileError(f"malformed account data ({type(error).__name__}: {error})") from error


def _tokens(value: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise TypeError("client_tokens is not an object of objects")
    return value


def _load(cls: type[_Record], value: Any) -> _Record:
    if not isinstance(value, dict):
        raise TypeError(f"{cls.__name__} entry is not an object")
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]  # cls is always a dataclass here
    unknown = set(value) - names
    if unknown:
        raise TypeError(f"{cls.__name__} has unknown fields {sorted(unknown)}")
    hints = typing.get_type_hints(cls)
    for name, item in value.items():
        if not _conforms(item, hints[name]):
            raise TypeError(f"{cls.__name__}.{name} has the wrong type ({type(item).__name__})")
    return cls(**value)


def _conforms(value: Any, hint: Any) -> bool:
    """Whether a JSON value fits a field's annotation (str, float, bool, None, list[...], dict[...])."""
    origin, arguments = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        return any(_conforms(value, argument) for argument in arguments)
    if origin is list:
        return isinstance(value, list) and all(_conforms(item, arguments[0]) for item in value)
    if origin is dict:
        return isinstance(value, dict) and all(
            _conforms(k, arguments[0]) and _conforms(v, arguments[1]) for k, v in value.items()
        )
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is type(None):
        return value is None
    return isinstance(value, hint)


def load_account(path: Path) -> Account | None:
    """The account saved at ``path``; None when the file does not exist (a fresh account)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StateFileError(f"cannot read {path}: {error.strerror}") from error
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise StateFileError(f"{path} is not valid JSON ({error.msg} at line {error.lineno})") from error
    try:
        return account_from_json(document)
    except StateFileError as error:
        raise StateFileError(f"{path}: {error}") from error


def save_account(path: Path, account: Account) -> None:
    """Write atomically: a reader sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(account_to_json(account), handle, indent=1, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
