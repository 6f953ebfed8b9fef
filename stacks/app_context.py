"""The ``cdk -c key=value`` settings of the default app, parsed into ``SmsVoicePool`` arguments.

Context values arrive as strings from the command line (or as JSON values from ``cdk.json``); each
bad value raises a ``ValueError`` naming the key, the value and the fix, before anything is built.
"""

from __future__ import annotations

from typing import Any, Final

from constructs import Node

from cdk_sms_voice_pool import MandatoryKeywords, contract


def _context_key(name: str) -> str:
    """A template property's context key: its name in lower camel case (MessageType -> messageType)."""
    return name[0].lower() + name[1:]


ORIGINATION_IDENTITIES: Final = _context_key(contract.ORIGINATION_IDENTITIES)
MESSAGE_TYPE: Final = _context_key(contract.MESSAGE_TYPE)
ISO_COUNTRY_CODE: Final = _context_key(contract.ISO_COUNTRY_CODE)
DELETION_PROTECTION_ENABLED: Final = _context_key(contract.DELETION_PROTECTION_ENABLED)
SELF_MANAGED_OPT_OUTS_ENABLED: Final = _context_key(contract.SELF_MANAGED_OPT_OUTS_ENABLED)
SHARED_ROUTES_ENABLED: Final = _context_key(contract.SHARED_ROUTES_ENABLED)
OPT_OUT_LIST_NAME: Final = _context_key(contract.OPT_OUT_LIST_NAME)
TAGS: Final = _context_key(contract.TAGS)
ADOPT_POOL_ID: Final = _context_key(contract.ADOPT_POOL_ID)
# MandatoryKeywords comes as its two replies; OptionalKeywords and TwoWay (nested lists and objects)
# are not offered on the command line.
HELP_MESSAGE: Final = "helpMessage"
STOP_MESSAGE: Final = "stopMessage"
_NOT_FROM_CONTEXT: Final = (contract.MANDATORY_KEYWORDS, contract.OPTIONAL_KEYWORDS, contract.TWO_WAY)

# Every key the app reads, in the property schema's order.
CONTEXT_KEYS: Final = (
    *(_context_key(name) for name in contract.PROPERTIES if name not in _NOT_FROM_CONTEXT),
    HELP_MESSAGE,
    STOP_MESSAGE,
)

_BOOLEAN_KEYS: Final = {
    DELETION_PROTECTION_ENABLED: "deletion_protection_enabled",
    SELF_MANAGED_OPT_OUTS_ENABLED: "self_managed_opt_outs_enabled",
    SHARED_ROUTES_ENABLED: "shared_routes_enabled",
}


def _fail(key: str, value: object, fix: str) -> ValueError:
    return ValueError(f"context {key}={value!r} is invalid: {fix}")


def _text(node: Node, key: str) -> str | None:
    value = node.try_get_context(key)
    if value is None:
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise _fail(key, value, "give a single string value")
    return str(value)


def _boolean(node: Node, key: str) -> bool | None:
    value = node.try_get_context(key)
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "false"):
        return text == "true"
    raise _fail(key, value, f"use -c {key}=true or -c {key}=false")


def _identities(node: Node) -> list[str] | None:
    value = node.try_get_context(ORIGINATION_IDENTITIES)
    if value is None:
        return None
    items = value if isinstance(value, list) else str(value).split(",")
    identities = [str(item).strip() for item in items]
    if not identities or any(not item for item in identities):
        raise _fail(
            ORIGINATION_IDENTITIES,
            value,
            f"give comma-separated phone number or sender ID ids or ARNs, e.g. "
            f"-c {ORIGINATION_IDENTITIES}=phone-1234,"
            "arn:aws:sms-voice:us-east-1:111122223333:sender-id/MYBRAND/GB",
        )
    return identities


def _tags(node: Node) -> dict[str, str] | None:
    value = node.try_get_context(TAGS)
    if value is None:
        return None
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    tags: dict[str, str] = {}
    for pair in str(value).split(","):
        key, sep, tag_value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise _fail(
                TAGS,
                value,
                f'write tags as key=value pairs separated by commas, e.g. -c {TAGS}="team=sms,env=dev"',
            )
        if key in tags:
            raise _fail(TAGS, value, f"give the tag key {key!r} once")
        tags[key] = tag_value.strip()
    return tags


def pool_arguments_from_context(node: Node) -> dict[str, Any] | None:
    """Keyword arguments for ``SmsVoicePool`` from context, or None when no identities are given."""
    identities = _identities(node)
    if identities is None:
        return None

    arguments: dict[str, Any] = {"origination_identities": identities}
    message_type = _text(node, MESSAGE_TYPE)
    if message_type is not None:
        if message_type.upper() not in contract.MESSAGE_TYPES:
            raise _fail(MESSAGE_TYPE, message_type, f"use one of {', '.join(contract.MESSAGE_TYPES)}")
        arguments["message_type"] = message_type.upper()
    iso_country_code = _text(node, ISO_COUNTRY_CODE)
    if iso_country_code is not None:
        arguments["iso_country_code"] = iso_country_code.upper()
    opt_out_list_name = _text(node, OPT_OUT_LIST_NAME)
    if opt_out_list_name is not None:
        arguments["opt_out_list_name"] = opt_out_list_name
    for key, argument in _BOOLEAN_KEYS.items():
        flag = _boolean(node, key)
        if flag is not None:
            arguments[argument] = flag
    help_message = _text(node, HELP_MESSAGE)
    stop_message = _text(node, STOP_MESSAGE)
    if help_message is not None or stop_message is not None:
        arguments["mandatory_keywords"] = MandatoryKeywords(
            help_message=help_message, stop_message=stop_message
        )
    tags = _tags(node)
    if tags:
        arguments["tags"] = tags
    adopt_pool_id = _text(node, ADOPT_POOL_ID)
    if adopt_pool_id is not None:
        arguments["adopt_pool_id"] = adopt_pool_id.strip()
    return arguments


def ignored_pool_settings(node: Node) -> list[str]:
    """Pool settings given without ``originationIdentities``: they do nothing (no pool is deployed)."""
    if node.try_get_context(ORIGINATION_IDENTITIES) is not None:
        return []
    return [key for key in CONTEXT_KEYS if node.try_get_context(key) is not None]
