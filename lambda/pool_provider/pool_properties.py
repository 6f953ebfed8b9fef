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

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal, cast

import contract
from contract import Home, IdentityRef
from pool_api_constraints import model_problem
from pool_errors import PoolPropertyError, contract_checks

MessageType = Literal["TRANSACTIONAL", "PROMOTIONAL"]
KeywordAction = Literal["AUTOMATIC_RESPONSE", "OPT_OUT", "OPT_IN"]

# The limits, patterns and reserved tag prefix are the property schema's (contract.py), which the
# construct's synth checks read too.


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


def lenient_flag(value: object) -> bool:
    """``"true"`` in any case (or True) is true; anything else, even a value ``parse_bool`` refuses,
    is false. For what an earlier template held (an Update's old properties, a Delete's), which is
    read, never refused."""
    return str(value).lower() == "true"


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
            deletion_protection_enabled=lenient_flag(raw.get(contract.DELETION_PROTECTION_ENABLED)),
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


def _fail(prop: str, value: object, problem: str, fix: str) -> PoolPropertyError:
    return PoolPropertyError(contract.value_reason(prop, value, problem, fix))


def parse_bool(prop: str, value: object) -> bool:
    """``"true"``/``"false"`` in any case, or a real boolean; anything else is an error."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise _fail(prop, value, "is not a boolean", 'use "true" or "false"')


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


def _parse_identities(value: object) -> tuple[str, ...]:
    prop = contract.ORIGINATION_IDENTITIES
    items = _list(prop, value)
    with contract_checks():
        contract.check_identity_count(len(items))
        return tuple(contract.check_identity(index, item, model_problem) for index, item in enumerate(items))


def _parse_mandatory_keywords(value: object) -> Mapping[str, str]:
    prop = contract.MANDATORY_KEYWORDS
    keywords = _mapping(prop, value, contract.MANDATORY_KEYWORD_NAMES, ())
    messages: dict[str, str] = {}
    for name, body in keywords.items():
        fields = _mapping(f"{prop}.{name}", body, (contract.KEYWORD_MESSAGE,), (contract.KEYWORD_MESSAGE,))
        path = f"{prop}.{name}.{contract.KEYWORD_MESSAGE}"
        with contract_checks():
            messages[name] = contract.check_keyword_message(
                path, path, fields[contract.KEYWORD_MESSAGE], model_problem
            )
    return messages


def _parse_optional_keywords(value: object) -> tuple[Keyword, ...]:
    prop = contract.OPTIONAL_KEYWORDS
    parsed: list[Keyword] = []
    seen: set[str] = set()
    fields_allowed = (contract.KEYWORD_KEYWORD, contract.KEYWORD_MESSAGE, contract.KEYWORD_ACTION)
    items = _list(prop, value)
    with contract_checks():
        contract.check_count(
            prop, len(items), contract.MAX_OPTIONAL_KEYWORDS, "keywords besides HELP and STOP"
        )
    for index, item in enumerate(items):
        where = f"{prop}[{index}]"
        fields = _mapping(where, item, fields_allowed, fields_allowed)
        with contract_checks():
            keyword = contract.check_optional_keyword(index, fields[contract.KEYWORD_KEYWORD], model_problem)
            contract.check_keyword_listed_once(index, keyword, seen)
            action = cast(
                "KeywordAction",
                contract.check_keyword_action(index, fields[contract.KEYWORD_ACTION], model_problem),
            )
            message = contract.check_keyword_message(
                f"{where}.{contract.KEYWORD_MESSAGE}",
                f"{prop}[].{contract.KEYWORD_MESSAGE}",
                fields[contract.KEYWORD_MESSAGE],
                model_problem,
            )
        parsed.append(Keyword(keyword=keyword, message=message, action=action))
    return tuple(parsed)


def _parse_two_way(value: object) -> TwoWaySettings:
    prop = contract.TWO_WAY
    allowed = (contract.TWO_WAY_ENABLED, contract.TWO_WAY_CHANNEL_ARN, contract.TWO_WAY_CHANNEL_ROLE)
    fields = _mapping(prop, value, allowed, (contract.TWO_WAY_ENABLED,))
    enabled = parse_bool(f"{prop}.{contract.TWO_WAY_ENABLED}", fields[contract.TWO_WAY_ENABLED])
    with contract_checks():
        channel_arn, channel_role = (
            contract.check_ruled_string(f"{prop}.{key}", fields[key], model_problem)
            if key in fields
            else None
            for key in (contract.TWO_WAY_CHANNEL_ARN, contract.TWO_WAY_CHANNEL_ROLE)
        )
        contract.check_two_way_channel(enabled, channel_arn)
    return TwoWaySettings(enabled=enabled, channel_arn=channel_arn, channel_role=channel_role)


def _parse_tags(value: object) -> Mapping[str, str]:
    prop = contract.TAGS
    items = _list(prop, value)
    with contract_checks():
        contract.check_count(prop, len(items), contract.MAX_USER_TAGS, "tags")
    tags: dict[str, str] = {}
    fields_allowed = (contract.TAG_KEY, contract.TAG_VALUE)
    for index, item in enumerate(items):
        where = f"{prop}[{index}]"
        fields = _mapping(where, item, fields_allowed, fields_allowed)
        with contract_checks():
            key = contract.check_tag_key(index, fields[contract.TAG_KEY], model_problem)
        if key in tags:
            raise _fail(f"{where}.{contract.TAG_KEY}", key, "is listed twice", "give each tag key once")
        with contract_checks():
            tags[key] = contract.check_tag_value(index, fields[contract.TAG_VALUE], model_problem)
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
        with contract_checks():
            message_type = cast(
                "MessageType", contract.check_message_type(raw[contract.MESSAGE_TYPE], model_problem)
            )

    def optional_string(name: str) -> str | None:
        if name not in raw:
            return None
        with contract_checks():
            return contract.check_ruled_string(name, raw[name], model_problem)

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
