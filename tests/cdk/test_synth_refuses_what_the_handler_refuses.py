"""Every literal value the handler refuses before any change fails ``cdk synth``, in the handler's words.

The cases are the handler's own: the bad-input catalogue (tests/reliability/test_bad_input_catalogue.py)
and one value breaking each service-model constraint of each template-fed member
(tests/provider/test_model_constraints.py). Each is judged by the handler's parser, as CloudFormation
delivers it; the ones the parser refuses (the others need the account to refute) are mapped to the
construct's keyword arguments and built in a stack placed where the handler's events come from. The
construct must raise, saying ``SmsVoicePool <python name>`` and then the handler's Reason after its
property path. A case the typed API cannot write (a wrong JSON type, an unknown key, a duplicate tag
key in a mapping) is listed in NOT_EXPRESSIBLE with why, and a test keeps that list exact.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template
from contract import Home

from cdk_sms_voice_pool import MandatoryKeywords, OptionalKeyword, TwoWay
from tests.cdk.test_property_schema import Case, build, construct_verdict, handler_verdict
from tests.provider.test_model_constraints import CARRIERS, WELL_FORMED_PHONE_ID, violations
from tests.reliability.test_bad_input_catalogue import CATALOGUE, PHONE, fill
from tests.support.harness import ACCOUNT_ID, REGION, STACK_ID

HOME = Home.of_stack(STACK_ID)
ENV = cdk.Environment(account=ACCOUNT_ID, region=REGION)
SEEDED_PHONE = {
    "PhoneNumberId": WELL_FORMED_PHONE_ID,
    "PhoneNumberArn": f"arn:aws:sms-voice:{REGION}:{ACCOUNT_ID}:phone-number/{WELL_FORMED_PHONE_ID}",
}
OTHER_PHONE = "phone-" + "f" * 32


class NotExpressible(Exception):
    """The typed API has no way to write this value."""


def _handler_cases() -> Iterator[tuple[str, dict[str, Any]]]:
    """(id, template properties) of every bad-input case the handler's tables hold."""
    good = {"OriginationIdentities": [PHONE]}
    for prop, entries in CATALOGUE.items():
        for index, entry in enumerate(entries):
            properties = fill({**good, **entry.properties}, SEEDED_PHONE)
            properties = {name: value for name, value in properties.items() if value is not None}
            yield f"catalogue-{prop}-{index}", properties
    seeded = {"a": SEEDED_PHONE["PhoneNumberId"], "b": OTHER_PHONE}
    for path, (valid, carry, _) in CARRIERS.items():
        sample = WELL_FORMED_PHONE_ID if valid == "{c}" else valid
        for rule, value in violations(path, sample).items():
            properties = carry(value, seeded)
            properties.setdefault("OriginationIdentities", [seeded["a"]])
            yield f"model-{path}-{rule}", properties


CASES = dict(_handler_cases())


def _string(where: str, value: object) -> str:
    if not isinstance(value, str):
        raise NotExpressible(f"{where} is a {type(value).__name__}; the typed API takes a str")
    return value


def _fields(where: str, value: object, allowed: set[str], required: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise NotExpressible(f"{where} is a {type(value).__name__}; the typed API builds the object")
    if not set(value) <= allowed or not required <= set(value):
        raise NotExpressible(f"{where} has keys {sorted(value)}; the typed API writes {sorted(allowed)}")
    return value


def _list(where: str, value: object) -> list[Any]:
    if not isinstance(value, list):
        raise NotExpressible(f"{where} is a {type(value).__name__}; the typed API takes a list")
    return value


def _flag(where: str, value: object) -> bool:
    if value not in ("true", "false", True, False):
        raise NotExpressible(f"{where} {value!r} is no boolean; the typed API takes a bool")
    return value in ("true", True)


def python_name(template_name: str) -> str:
    """The construct's keyword argument for a template property (``TwoWay`` -> ``two_way``)."""
    return re.sub(r"(?<!^)([A-Z])", r"_\1", template_name).lower()


def _mandatory_keywords(value: object) -> MandatoryKeywords:
    name = "MandatoryKeywords"
    keywords = _fields(name, value, {"HELP", "STOP"}, set())
    messages = {
        key: _string(
            f"{name}.{key}.Message", _fields(f"{name}.{key}", body, {"Message"}, {"Message"})["Message"]
        )
        for key, body in keywords.items()
    }
    if not messages:
        raise NotExpressible(f"{name} is empty; the typed API leaves it out")
    return MandatoryKeywords(help_message=messages.get("HELP"), stop_message=messages.get("STOP"))


def _optional_keywords(value: object) -> list[OptionalKeyword]:
    name, keys = "OptionalKeywords", {"Keyword", "Message", "Action"}
    items = [_fields(f"{name}[]", item, keys, keys) for item in _list(name, value)]
    return [
        OptionalKeyword(
            keyword=_string(f"{name}[].Keyword", item["Keyword"]),
            message=_string(f"{name}[].Message", item["Message"]),
            action=_string(f"{name}[].Action", item["Action"]),
        )
        for item in items
    ]


def _two_way(value: object) -> TwoWay:
    fields = _fields("TwoWay", value, {"Enabled", "ChannelArn", "ChannelRole"}, {"Enabled"})
    arn, role = (
        _string(f"TwoWay.{key}", fields[key]) if key in fields else None
        for key in ("ChannelArn", "ChannelRole")
    )
    return TwoWay(enabled=_flag("TwoWay.Enabled", fields["Enabled"]), channel_arn=arn, channel_role=role)


def _tags(value: object) -> dict[str, str]:
    tags: dict[str, str] = {}
    for item in _list("Tags", value):
        tag = _fields("Tags[]", item, {"Key", "Value"}, {"Key", "Value"})
        key = _string("Tags[].Key", tag["Key"])
        if key in tags:
            raise NotExpressible(f"Tags gives key {key!r} twice; the typed API takes a mapping")
        tags[key] = _string("Tags[].Value", tag["Value"])
    return tags


# Template property -> how its value is written as the construct's keyword argument of python_name.
ARGUMENTS: dict[str, Callable[[object], object]] = {
    **{
        name: partial(_string, name)
        for name in ("MessageType", "IsoCountryCode", "OptOutListName", "AdoptPoolId")
    },
    **{
        name: partial(_flag, name)
        for name in ("DeletionProtectionEnabled", "SelfManagedOptOutsEnabled", "SharedRoutesEnabled")
    },
    "MandatoryKeywords": _mandatory_keywords,
    "OptionalKeywords": _optional_keywords,
    "TwoWay": _two_way,
}


def construct_case(properties: dict[str, Any]) -> Case:
    """The construct's keyword arguments that write ``properties``; NotExpressible if none can."""
    if "OriginationIdentities" not in properties:
        raise NotExpressible("OriginationIdentities is missing; the typed API requires it")
    identities = properties["OriginationIdentities"]
    kwargs: dict[str, Any] = {}
    for name, value in properties.items():
        if name not in (*ARGUMENTS, "OriginationIdentities", "Tags"):
            raise NotExpressible(f"{name} is no property; the typed API has no such argument")
        if name in ARGUMENTS:
            kwargs[python_name(name)] = ARGUMENTS[name](value)
    return Case(
        identities=tuple(
            _string("OriginationIdentities[]", item) for item in _list("OriginationIdentities", identities)
        ),
        kwargs=kwargs,
        tags=_tags(properties["Tags"]) if "Tags" in properties else {},
        env=ENV,
    )


def _judged() -> tuple[dict[str, tuple[Case, str]], dict[str, tuple[str, str]], list[str]]:
    """The handler's verdict on every case: (refused and writable: case and Reason), (refused but
    not writable: why), (accepted: only the account can refute them)."""
    writable: dict[str, tuple[Case, str]] = {}
    not_writable: dict[str, tuple[str, str]] = {}
    needs_the_account: list[str] = []
    for name, properties in CASES.items():
        accepted, reason = handler_verdict(properties, HOME)
        if accepted:
            needs_the_account.append(name)
            continue
        try:
            writable[name] = (construct_case(properties), reason)
        except NotExpressible as why:
            not_writable[name] = (str(why), reason)
    return writable, not_writable, needs_the_account


WRITABLE, NOT_EXPRESSIBLE, NEEDS_THE_ACCOUNT = _judged()


@pytest.mark.parametrize("name", list(WRITABLE))
def test_synth_refuses_in_the_handlers_words(name: str) -> None:
    case, reason = WRITABLE[name]
    path, _, rest = reason.partition(" ")
    prop = re.match(r"[A-Za-z]+", path)
    assert prop is not None, reason

    by_construct, construct_reason = construct_verdict(case)

    assert not by_construct, f"passes synth; the handler says: {reason}"
    assert construct_reason.startswith(f"SmsVoicePool {python_name(prop.group())}"), construct_reason
    assert construct_reason.endswith(f" {rest}"), (construct_reason, reason)


def test_every_case_is_judged_and_the_unwritable_ones_are_only_what_the_typed_api_cannot_write() -> None:
    """No case is dropped silently: each is writable, unwritable for a stated reason, or accepted by
    the parser (only the account refutes it). The typed API's reasons are wrong types and shapes."""
    assert len(WRITABLE) + len(NOT_EXPRESSIBLE) + len(NEEDS_THE_ACCOUNT) == len(CASES)
    # A case is unwritable only for its JSON type or shape, never for a value the typed API can hold.
    shape_words = (
        *("is not a list", "is not a string", "is not an object", "is not a boolean", "(a list of"),
        *("(an object)", "is required", "is missing", "unknown key", "Unknown propert", "listed twice"),
    )
    value_refusals = {
        name: (why, reason)
        for name, (why, reason) in NOT_EXPRESSIBLE.items()
        if not any(word in reason for word in shape_words)
    }
    assert value_refusals == {}
    # Every string property the model constrains has writable cases (the mapper drops none).
    written = {
        name.split("-")[1].split("[")[0].split(".")[0] for name in WRITABLE if name.startswith("model-")
    }
    assert written == {path.split("[")[0].split(".")[0] for path in CARRIERS}


@pytest.mark.parametrize("path", list(CARRIERS))
def test_the_valid_value_of_each_member_passes_synth(path: str) -> None:
    valid, carry, _ = CARRIERS[path]
    value = WELL_FORMED_PHONE_ID if valid == "{c}" else valid
    properties = carry(value, {"a": SEEDED_PHONE["PhoneNumberId"], "b": OTHER_PHONE})
    properties.setdefault("OriginationIdentities", [SEEDED_PHONE["PhoneNumberId"]])
    assert handler_verdict(properties, HOME) == (True, "")
    assert construct_verdict(construct_case(properties)) == (True, "")


@pytest.mark.parametrize("path", list(CARRIERS))
def test_a_token_for_each_member_passes_synth_untouched(path: str) -> None:
    """Values known only at deploy are the handler's to check: synth writes them as they are."""
    _, carry, _ = CARRIERS[path]
    name = f"value-of-{re.sub(r'[^A-Za-z]', '-', path)}"
    token = cdk.Fn.import_value(name)
    properties = carry(token, {"a": SEEDED_PHONE["PhoneNumberId"], "b": OTHER_PHONE})
    properties.setdefault("OriginationIdentities", [SEEDED_PHONE["PhoneNumberId"]])

    stack = build(construct_case(properties))

    resources = Template.from_stack(stack).find_resources("Custom::SmsVoicePool")
    assert json.dumps({"Fn::ImportValue": name}) in json.dumps(resources)
