"""Parse and validate the ``Custom::SmsVoicePool`` properties CloudFormation delivers.

CloudFormation turns every scalar into a string (``true`` arrives as ``"true"``), so every value is
parsed here, once, into frozen dataclasses; nothing else in the provider reads the raw event. Every
check the API would make later is made here first, so bad input fails before any call is made, with
an error that names the property, the value and the fix. Every value sent to the API is also checked
against the service model's own constraints for the member it is sent as (pool_api_constraints).
The text of a keyword message is never shown: it may come from a NoEcho parameter, so an error about
one names the property, the rule and the length only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal, cast

import contract
from contract import Home, IdentityRef
from pool_api_constraints import model_problem
from pool_errors import PoolPropertyError, contract_checks

MessageType = Literal["TRANSACTIONAL", "PROMOTIONAL"]
KeywordAction = Literal["AUTOMATIC_RESPONSE", "OPT_OUT", "OPT_IN"]

# The limits and patterns are the property schema's (contract.py), which the construct's synth
# checks read too.
# Tags whose key starts with this prefix are written and read by the provider itself (see
# pool_build.CREATE_TOKEN_TAG_KEY); a template may not set them.
RESERVED_TAG_PREFIX: Final = contract.RESERVED_TAG_PREFIX
TAGS_PER_POOL: Final = contract.TAGS_PER_POOL
RESERVED_TAG_COUNT: Final = contract.RESERVED_TAG_COUNT
MAX_USER_TAGS: Final = contract.MAX_USER_TAGS
MAX_IDENTITIES: Final = contract.MAX_IDENTITIES
MAX_OPTIONAL_KEYWORDS: Final = contract.MAX_OPTIONAL_KEYWORDS

_IDENTITY_PATTERN: Final = re.compile(contract.IDENTITY_PATTERN)
_OPTIONAL_KEYWORD_PATTERN: Final = re.compile(contract.OPTIONAL_KEYWORD_PATTERN)
_KEYWORD_MESSAGE_PATTERN: Final = re.compile(contract.KEYWORD_MESSAGE_PATTERN)
_TAG_KEY_PATTERN: Final = re.compile(contract.TAG_KEY_PATTERN)
_TAG_VALUE_PATTERN: Final = re.compile(contract.TAG_VALUE_PATTERN)


@dataclass(frozen=True)
class Keyword:
    """A keyword, its message and its action: a template's optional keyword, or one a pool has."""

    keyword: str
    message: str
    action: KeywordAction


@dataclass(frozen=True)
class TwoWaySettings:
    enabled: bool
    channel_arn: str | None
    channel_role: str | None


@dataclass(frozen=True)
class OldProperties:
    """What an Update needs of the event's OldResourceProperties, read once and leniently.

    The old template was accepted when it was deployed; an Update only needs which properties it set
    (a property removed since goes back to what the first identity gives the pool), which mandatory
    keywords it set, and whether it protected the pool. Nothing here is validated again.
    """

    # The property names the old template set.
    names: frozenset[str] = frozenset()
    # The mandatory keywords (HELP/STOP) the old template set.
    mandatory_keywords: frozenset[str] = frozenset()
    # Whether the old template set DeletionProtectionEnabled to true.
    deletion_protection_enabled: bool = False

    @classmethod
    def of(cls, raw: object) -> OldProperties:
        """``raw`` is the event's OldResourceProperties (anything but a mapping counts as empty)."""
        if not isinstance(raw, Mapping):
            return cls()
        keywords = raw.get(contract.MANDATORY_KEYWORDS)
        return cls(
            names=frozenset(str(name) for name in raw),
            mandatory_keywords=frozenset(str(name) for name in keywords)
            if isinstance(keywords, Mapping)
            else frozenset(),
            deletion_protection_enabled=str(raw.get(contract.DELETION_PROTECTION_ENABLED)).lower() == "true",
        )


# No old template (an adoption): nothing was set before.
NO_OLD_PROPERTIES: Final = OldProperties()


@dataclass(frozen=True)
class PoolProperties:
    """The desired pool. ``None`` means "not set in the template" (see each field)."""

    # Parsed once, in template order (no two name the same identity); the first one seeds the pool.
    identities: tuple[IdentityRef, ...]
    # HELP/STOP -> message; a keyword left out keeps the message the pool has.
    mandatory_keywords: Mapping[str, str]
    # The exact set of non-mandatory keywords the pool gets (empty: inherited ones are deleted).
    optional_keywords: tuple[Keyword, ...]
    # Not inherited: omitted means false.
    deletion_protection_enabled: bool
    shared_routes_enabled: bool
    # Inherited from the first identity at create; omitted means "leave as the pool has it".
    opt_out_list_name: str | None
    self_managed_opt_outs_enabled: bool | None
    two_way: TwoWaySettings | None
    # User tags (key -> value), never the provider's reserved keys.
    tags: Mapping[str, str]
    # Derived from the first identity when omitted.
    message_type: MessageType | None
    iso_country_code: str | None

    @property
    def origination_identities(self) -> tuple[str, ...]:
        """The identities as written in the template (ids or ARNs), in template order."""
        return tuple(ref.written for ref in self.identities)


def _may_hold_message_text(prop: str) -> bool:
    """Whether a value at ``prop`` may be a keyword message (or hold one): never shown."""
    keywords = (contract.MANDATORY_KEYWORDS, contract.OPTIONAL_KEYWORDS)
    named = (f".{contract.KEYWORD_KEYWORD}", f".{contract.KEYWORD_ACTION}")
    return prop.startswith(keywords) and not prop.endswith(named)


def _described(value: object) -> str:
    """What ``value`` is, without its content."""
    if isinstance(value, str):
        return f"(a string of {len(value)} characters)"
    if isinstance(value, Mapping):
        return "(an object)"
    if isinstance(value, list):
        return f"(a list of {len(value)} items)"
    return f"(a {type(value).__name__})"


def _shown(prop: str, value: object) -> str:
    """A value as it may appear in a reason: short, so the reason keeps its fix; a message never."""
    if _may_hold_message_text(prop) or isinstance(value, Mapping | list):
        return _described(value)
    return contract.shown(value)


def _fail(prop: str, value: object, problem: str, fix: str) -> PoolPropertyError:
    return PoolPropertyError(f"{prop} {_shown(prop, value)} {problem}; {fix}.")


def _check_model(prop: str, path: str, value: str, fix: str) -> str:
    """``value`` if the service model's constraints for ``path`` (see TEMPLATE_MEMBERS) allow it."""
    problem = model_problem(path, value)
    if problem is not None:
        raise _fail(prop, value, problem, fix)
    return value


def _check_count(prop: str, count: int, limit: int, noun: str) -> None:
    problem = contract.count_problem(prop, count, limit, noun)
    if problem is not None:
        raise PoolPropertyError(problem)


def parse_bool(prop: str, value: object) -> bool:
    """``"true"``/``"false"`` in any case, or a real boolean; anything else is an error."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise _fail(prop, value, "is not a boolean", 'use "true" or "false"')


def _string(prop: str, value: object, pattern: re.Pattern[str], fix: str, *, model_path: str) -> str:
    if not isinstance(value, str):
        raise _fail(prop, value, "is not a string", fix)
    if not pattern.fullmatch(value):
        raise _fail(prop, value, "is not valid", fix)
    return _check_model(prop, model_path, value, fix)


def _ruled_string(path: str, value: object) -> str:
    """A string checked by its rule in the contract (pattern and fix, the construct's too) and by the
    service model; ``path`` is the property or nested key (``TwoWay.ChannelArn``)."""
    pattern, fix = contract.STRING_RULES[path]
    return _string(path, value, re.compile(pattern), fix, model_path=path)


def _mapping(
    prop: str, value: object, allowed: tuple[str, ...], required: tuple[str, ...]
) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise _fail(prop, value, "is not an object", f"give an object with keys {', '.join(allowed)}")
    unknown = sorted(str(key) for key in value if key not in allowed)
    if unknown:
        raise PoolPropertyError(
            f"{prop} has unknown key(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}."
        )
    missing = [key for key in required if key not in value]
    if missing:
        raise PoolPropertyError(f"{prop} is missing {', '.join(missing)}; add it.")
    return cast("Mapping[str, object]", value)


def _list(prop: str, value: object) -> list[object]:
    if not isinstance(value, list):
        raise _fail(prop, value, "is not a list", "give a list")
    return value


def _keyword_message(prop: str, model_path: str, value: object) -> str:
    fix = f"use 1-{contract.KEYWORD_MESSAGE_MAX_LENGTH} characters, not only spaces"
    if not isinstance(value, str):
        raise _fail(prop, value, "is not a string", fix)
    if not _KEYWORD_MESSAGE_PATTERN.fullmatch(value):
        raise _fail(prop, value, "is only spaces", fix)
    return _check_model(prop, model_path, value, fix)


def _parse_identities(value: object) -> tuple[str, ...]:
    prop = contract.ORIGINATION_IDENTITIES
    items = _list(prop, value)
    if not items:
        raise PoolPropertyError(f"{prop} is empty; list at least one phone number or sender ID (id or ARN).")
    _check_count(prop, len(items), MAX_IDENTITIES, "identities")
    identities: list[str] = []
    for index, item in enumerate(items):
        identities.append(
            _string(
                f"{prop}[{index}]",
                item,
                _IDENTITY_PATTERN,
                "use a PhoneNumberId, PhoneNumberArn, SenderId or SenderIdArn",
                model_path=f"{prop}[]",
            )
        )
    return tuple(identities)


def _parse_mandatory_keywords(value: object) -> Mapping[str, str]:
    prop = contract.MANDATORY_KEYWORDS
    keywords = _mapping(prop, value, contract.MANDATORY_KEYWORD_NAMES, ())
    messages: dict[str, str] = {}
    for name, body in keywords.items():
        fields = _mapping(f"{prop}.{name}", body, (contract.KEYWORD_MESSAGE,), (contract.KEYWORD_MESSAGE,))
        path = f"{prop}.{name}.{contract.KEYWORD_MESSAGE}"
        messages[name] = _keyword_message(path, path, fields[contract.KEYWORD_MESSAGE])
    return messages


def _parse_optional_keywords(value: object) -> tuple[Keyword, ...]:
    prop = contract.OPTIONAL_KEYWORDS
    parsed: list[Keyword] = []
    seen: set[str] = set()
    fields_allowed = (contract.KEYWORD_KEYWORD, contract.KEYWORD_MESSAGE, contract.KEYWORD_ACTION)
    items = _list(prop, value)
    _check_count(prop, len(items), MAX_OPTIONAL_KEYWORDS, "keywords besides HELP and STOP")
    for index, item in enumerate(items):
        where = f"{prop}[{index}]"
        fields = _mapping(where, item, fields_allowed, fields_allowed)
        keyword = fields[contract.KEYWORD_KEYWORD]
        if not isinstance(keyword, str) or not _OPTIONAL_KEYWORD_PATTERN.fullmatch(keyword):
            raise _fail(
                f"{where}.{contract.KEYWORD_KEYWORD}",
                keyword,
                "is not a valid optional keyword",
                f"use 1-{contract.KEYWORD_MAX_LENGTH} characters; "
                "HELP and STOP (any case) go in MandatoryKeywords",
            )
        _check_model(
            f"{where}.{contract.KEYWORD_KEYWORD}",
            f"{prop}[].{contract.KEYWORD_KEYWORD}",
            keyword,
            f"use 1-{contract.KEYWORD_MAX_LENGTH} characters: letters, digits, punctuation and spaces "
            "(no tabs or line breaks)",
        )
        if keyword.upper() in seen:
            raise _fail(
                f"{where}.{contract.KEYWORD_KEYWORD}", keyword, "is listed twice", "list each keyword once"
            )
        seen.add(keyword.upper())
        action = fields[contract.KEYWORD_ACTION]
        if action not in contract.KEYWORD_ACTIONS:
            raise _fail(
                f"{where}.{contract.KEYWORD_ACTION}",
                action,
                "is not an action",
                f"use one of {', '.join(contract.KEYWORD_ACTIONS)}",
            )
        _check_model(
            f"{where}.{contract.KEYWORD_ACTION}",
            f"{prop}[].{contract.KEYWORD_ACTION}",
            action,
            f"use one of {', '.join(contract.KEYWORD_ACTIONS)}",
        )
        message = _keyword_message(
            f"{where}.{contract.KEYWORD_MESSAGE}",
            f"{prop}[].{contract.KEYWORD_MESSAGE}",
            fields[contract.KEYWORD_MESSAGE],
        )
        parsed.append(Keyword(keyword=keyword, message=message, action=action))
    return tuple(parsed)


def _parse_two_way(value: object) -> TwoWaySettings:
    prop = contract.TWO_WAY
    allowed = (contract.TWO_WAY_ENABLED, contract.TWO_WAY_CHANNEL_ARN, contract.TWO_WAY_CHANNEL_ROLE)
    fields = _mapping(prop, value, allowed, (contract.TWO_WAY_ENABLED,))
    enabled = parse_bool(f"{prop}.{contract.TWO_WAY_ENABLED}", fields[contract.TWO_WAY_ENABLED])
    channel_arn, channel_role = (
        _ruled_string(f"{prop}.{key}", fields[key]) if key in fields else None
        for key in (contract.TWO_WAY_CHANNEL_ARN, contract.TWO_WAY_CHANNEL_ROLE)
    )
    if enabled and channel_arn is None:
        raise PoolPropertyError(
            f"{prop}.{contract.TWO_WAY_ENABLED} is true but {prop}.{contract.TWO_WAY_CHANNEL_ARN} "
            "is missing; add the channel ARN or set Enabled to false."
        )
    return TwoWaySettings(enabled=enabled, channel_arn=channel_arn, channel_role=channel_role)


def _tag_field(where: str, name: str, value: object, pattern: re.Pattern[str], fix: str) -> str:
    """A tag's key or value (``name``), checked by the schema's pattern and the service model."""
    prop = f"{where}.{name}"
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise _fail(prop, value, f"is not a valid tag {name.lower()}", fix)
    return _check_model(prop, f"{contract.TAGS}[].{name}", value, fix)


def _parse_tags(value: object) -> Mapping[str, str]:
    prop = contract.TAGS
    items = _list(prop, value)
    _check_count(prop, len(items), MAX_USER_TAGS, "tags")
    tags: dict[str, str] = {}
    fields_allowed = (contract.TAG_KEY, contract.TAG_VALUE)
    for index, item in enumerate(items):
        where = f"{prop}[{index}]"
        fields = _mapping(where, item, fields_allowed, fields_allowed)
        key = _tag_field(
            where,
            contract.TAG_KEY,
            fields[contract.TAG_KEY],
            _TAG_KEY_PATTERN,
            f"use 1-{contract.TAG_KEY_MAX_LENGTH} characters without line breaks",
        )
        if key.lower().startswith("aws:"):
            raise _fail(
                f"{where}.{contract.TAG_KEY}", key, "starts with aws:", "that prefix is reserved by AWS"
            )
        if key.lower().startswith(RESERVED_TAG_PREFIX):
            raise _fail(
                f"{where}.{contract.TAG_KEY}",
                key,
                f"starts with {RESERVED_TAG_PREFIX}",
                "that prefix is reserved by this provider",
            )
        if key in tags:
            raise _fail(f"{where}.{contract.TAG_KEY}", key, "is listed twice", "give each tag key once")
        tag_value = _tag_field(
            where,
            contract.TAG_VALUE,
            fields[contract.TAG_VALUE],
            _TAG_VALUE_PATTERN,
            f"use 0-{contract.TAG_VALUE_MAX_LENGTH} characters without line breaks",
        )
        tags[key] = tag_value
    return tags


def parse_pool_properties(raw: Mapping[str, object], home: Home | None = None) -> PoolProperties:
    """Turn the event's ``ResourceProperties`` into :class:`PoolProperties` or raise PoolPropertyError.

    ``ServiceToken`` and ``ServiceTimeout`` belong to CloudFormation and are ignored; any other name
    that is not a pool property fails, so a typo never passes silently. With ``home`` (the stack's
    account and Region), an identity or opt-out list ARN that names another account, Region or
    partition is refused: it is never reduced to the local resource of the same name.
    """
    unknown = sorted(
        name for name in raw if name not in contract.PROPERTIES and name not in contract.FRAMEWORK_PROPERTIES
    )
    if unknown:
        raise PoolPropertyError(
            f"Unknown propert{'y' if len(unknown) == 1 else 'ies'} {', '.join(unknown)}; "
            f"check the spelling (allowed: {', '.join(contract.PROPERTIES)})."
        )
    for name in contract.REQUIRED_PROPERTIES:
        if name not in raw:
            raise PoolPropertyError(
                f"{name} is required; list the pool's phone numbers or sender IDs (ids or ARNs)."
            )

    message_type: MessageType | None = None
    if contract.MESSAGE_TYPE in raw:
        value = raw[contract.MESSAGE_TYPE]
        if value not in contract.MESSAGE_TYPES:
            raise _fail(
                contract.MESSAGE_TYPE, value, "is not a message type", "use TRANSACTIONAL or PROMOTIONAL"
            )
        _check_model(contract.MESSAGE_TYPE, contract.MESSAGE_TYPE, value, "use TRANSACTIONAL or PROMOTIONAL")
        message_type = value

    def optional_string(name: str) -> str | None:
        return _ruled_string(name, raw[name]) if name in raw else None

    iso_country_code = optional_string(contract.ISO_COUNTRY_CODE)
    opt_out_list_name = optional_string(contract.OPT_OUT_LIST_NAME)
    if opt_out_list_name is not None:
        with contract_checks():
            contract.check_home(contract.OPT_OUT_LIST_NAME, opt_out_list_name, home)

    def optional_bool(name: str) -> bool | None:
        return parse_bool(name, raw[name]) if name in raw else None

    identities = _parse_identities(raw[contract.ORIGINATION_IDENTITIES])
    # Foreign ARNs, shapes and duplicates (in any mix of ids and ARNs) fail here, before any call, in
    # the words the construct uses at synth.
    with contract_checks():
        refs = contract.read_identities(contract.ORIGINATION_IDENTITIES, identities, iso_country_code, home)
    return PoolProperties(
        identities=refs,
        mandatory_keywords=_parse_mandatory_keywords(raw[contract.MANDATORY_KEYWORDS])
        if contract.MANDATORY_KEYWORDS in raw
        else {},
        optional_keywords=_parse_optional_keywords(raw[contract.OPTIONAL_KEYWORDS])
        if contract.OPTIONAL_KEYWORDS in raw
        else (),
        deletion_protection_enabled=optional_bool(contract.DELETION_PROTECTION_ENABLED) or False,
        shared_routes_enabled=optional_bool(contract.SHARED_ROUTES_ENABLED) or False,
        opt_out_list_name=opt_out_list_name,
        self_managed_opt_outs_enabled=optional_bool(contract.SELF_MANAGED_OPT_OUTS_ENABLED),
        two_way=_parse_two_way(raw[contract.TWO_WAY]) if contract.TWO_WAY in raw else None,
        tags=_parse_tags(raw[contract.TAGS]) if contract.TAGS in raw else {},
        message_type=message_type,
        iso_country_code=iso_country_code,
    )
