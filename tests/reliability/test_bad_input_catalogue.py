"""The bad-input catalogue: every property given a wrong type, a wrong shape, an out-of-range value and
an unknown name.

Each entry is sent as a Create and as an in-place Update of a working pool. Each must answer FAILED
with a reason that names the property (the nested path where there is one), after no call that
changes anything (only Describe*/List* in the emulator's call log), and the account must be as it
was. Values are written the way CloudFormation delivers them: every scalar a string.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.reliability.reliability_helpers import CloudFormation, is_mutating, snapshot_account

PHONE = "{phone}"  # replaced by the seeded phone number's id
PHONE_ARN = "{phone_arn}"  # replaced by the seeded phone number's ARN
SNS_TOPIC = "arn:aws:sns:us-east-1:000000000000:inbound"
ROLE = "arn:aws:iam::000000000000:role/sms-inbound"


@dataclass(frozen=True)
class BadInput:
    category: str  # wrong type | wrong shape | out of range | unknown name
    named: str  # what the reason must contain: the property, or its nested path
    properties: dict[str, Any]  # added to a valid pool's properties (None value: property removed)
    # More the reason must say: the value as given (quoted), the limit or the fix.
    words: tuple[str, ...] = ()
    # Refuted by the properties alone: a Create makes no call at all, not even a read.
    offline: bool = False


def said(category: str, named: str, properties: dict[str, Any], *words: str) -> BadInput:
    """An entry the parser refutes offline, whose reason must also contain ``words``."""
    return BadInput(category, named, properties, words, offline=True)


def keyword(word: str = "JOIN", message: str = "Welcome", action: str = "OPT_IN") -> dict[str, str]:
    return {"Keyword": word, "Message": message, "Action": action}


def tags(count: int) -> list[dict[str, str]]:
    return [{"Key": f"k{i}", "Value": "v"} for i in range(count)]


CATALOGUE: dict[str, list[BadInput]] = {
    "OriginationIdentities": [
        said("wrong type", "OriginationIdentities", {"OriginationIdentities": PHONE}, "not a list"),
        BadInput("wrong type", "OriginationIdentities[0]", {"OriginationIdentities": [{"Id": PHONE}]}),
        said("wrong shape", "OriginationIdentities", {"OriginationIdentities": []}, "empty"),
        BadInput("wrong shape", "OriginationIdentities[0]", {"OriginationIdentities": [[PHONE]]}),
        said("wrong shape", "OriginationIdentities", {"OriginationIdentities": None}, "required"),
        BadInput("out of range", "OriginationIdentities", {"OriginationIdentities": [PHONE] * 101}),
        BadInput("out of range", "OriginationIdentities[0]", {"OriginationIdentities": ["x" * 300]}),
        BadInput("out of range", "OriginationIdentities[0]", {"OriginationIdentities": ["+12065550100"]}),
        BadInput(
            "unknown name",
            "OriginationIdentities",
            {"OriginationIdentities": ["phone-00000000000000000000000000000000"]},
        ),
        BadInput("unknown name", "OriginationIdentities", {"OriginationIdentities": [PHONE, "NOSUCHID"]}),
        said(
            "out of range",
            "OriginationIdentities[0]",
            {"OriginationIdentities": ["arn:aws:sms-voice:us-east-1:000000000000:pool/pool-1"]},
            "not a phone number or sender ID",
        ),
        said("out of range", "OriginationIdentities", {"OriginationIdentities": [PHONE, PHONE_ARN]}, "twice"),
    ],
    "MandatoryKeywords": [
        BadInput("wrong type", "MandatoryKeywords", {"MandatoryKeywords": "HELP"}),
        BadInput("wrong type", "MandatoryKeywords", {"MandatoryKeywords": ["HELP"]}),
        BadInput("wrong shape", "MandatoryKeywords.HELP", {"MandatoryKeywords": {"HELP": "Call us"}}),
        BadInput("wrong shape", "MandatoryKeywords.HELP", {"MandatoryKeywords": {"HELP": {}}}),
        BadInput("wrong shape", "MandatoryKeywords.STOP", {"MandatoryKeywords": {"STOP": {"Text": "Bye"}}}),
        said(
            "out of range",
            "MandatoryKeywords.HELP.Message",
            {"MandatoryKeywords": {"HELP": {"Message": "  "}}},
        ),
        BadInput(
            "out of range",
            "MandatoryKeywords.STOP.Message",
            {"MandatoryKeywords": {"STOP": {"Message": "m" * 1601}}},
        ),
        said("unknown name", "MandatoryKeywords", {"MandatoryKeywords": {"JOIN": {"Message": "Hi"}}}, "JOIN"),
    ],
    "OptionalKeywords": [
        BadInput("wrong type", "OptionalKeywords", {"OptionalKeywords": "JOIN"}),
        BadInput("out of range", "OptionalKeywords[0].Keyword", {"OptionalKeywords": [keyword("JOIN\tNOW")]}),
        BadInput("wrong type", "OptionalKeywords", {"OptionalKeywords": keyword()}),
        BadInput("wrong shape", "OptionalKeywords[0]", {"OptionalKeywords": ["JOIN"]}),
        BadInput(
            "wrong shape",
            "OptionalKeywords[0]",
            {"OptionalKeywords": [{"Keyword": "JOIN", "Message": "Welcome"}]},
        ),
        said(
            "wrong shape", "OptionalKeywords[0]", {"OptionalKeywords": [{**keyword(), "Extra": "x"}]}, "Extra"
        ),
        said(
            "out of range", "OptionalKeywords[0].Keyword", {"OptionalKeywords": [keyword("K" * 31)]}, "1-30"
        ),
        BadInput(
            "out of range", "OptionalKeywords[0].Message", {"OptionalKeywords": [keyword(message="m" * 1601)]}
        ),
        BadInput(
            "out of range", "OptionalKeywords", {"OptionalKeywords": [keyword(f"K{i}") for i in range(29)]}
        ),
        said(
            "out of range",
            "OptionalKeywords[0].Action",
            {"OptionalKeywords": [keyword(action="SUBSCRIBE")]},
            '"SUBSCRIBE"',
            "OPT_IN",
        ),
        BadInput("unknown name", "OptionalKeywords[0].Keyword", {"OptionalKeywords": [keyword("STOP")]}),
        said(
            "unknown name", "OptionalKeywords[0].Keyword", {"OptionalKeywords": [keyword("help")]}, '"help"'
        ),
        said(
            "unknown name",
            "OptionalKeywords[1].Keyword",
            {"OptionalKeywords": [keyword("JOIN"), keyword("join")]},
            "twice",
        ),
        said(
            "out of range",
            "OptionalKeywords[0].Keyword",
            {"OptionalKeywords": [keyword("stop")]},
            '"stop"',
            "MandatoryKeywords",
        ),
    ],
    "OptOutListName": [
        BadInput("wrong type", "OptOutListName", {"OptOutListName": ["Default"]}),
        BadInput("wrong shape", "OptOutListName", {"OptOutListName": {"Name": "Default"}}),
        said("out of range", "OptOutListName", {"OptOutListName": "my list"}, '"my list"'),
        BadInput("out of range", "OptOutListName", {"OptOutListName": "L" * 257}),
        BadInput("unknown name", "OptOutListName", {"OptOutListName": "NoSuchList"}),
    ],
    "TwoWay": [
        BadInput("wrong type", "TwoWay", {"TwoWay": "true"}),
        BadInput("wrong shape", "TwoWay", {"TwoWay": {}}),
        BadInput("unknown name", "TwoWay", {"TwoWay": {"Enabled": "true", "Channel": SNS_TOPIC}}),
        said("wrong shape", "TwoWay.ChannelArn", {"TwoWay": {"Enabled": "true"}}, "missing"),
        BadInput("out of range", "TwoWay.Enabled", {"TwoWay": {"Enabled": "maybe", "ChannelArn": SNS_TOPIC}}),
        BadInput("out of range", "TwoWay.ChannelArn", {"TwoWay": {"Enabled": "true", "ChannelArn": "arn:x"}}),
        BadInput(
            "out of range",
            "TwoWay.ChannelRole",
            {"TwoWay": {"Enabled": "true", "ChannelArn": SNS_TOPIC, "ChannelRole": "role"}},
        ),
        BadInput(
            "wrong type", "TwoWay.ChannelArn", {"TwoWay": {"Enabled": "true", "ChannelArn": [SNS_TOPIC]}}
        ),
        said("out of range", "TwoWay.Enabled", {"TwoWay": {"Enabled": "on"}}, '"on"'),
        # Long enough for the model's 20-character minimum: only the ARN pattern refuses it.
        said(
            "out of range",
            "TwoWay.ChannelRole",
            {"TwoWay": {"Enabled": "true", "ChannelArn": SNS_TOPIC, "ChannelRole": "role-name-long-enough"}},
        ),
    ],
    "Tags": [
        BadInput("wrong type", "Tags", {"Tags": {"env": "test"}}),
        BadInput("wrong type", "Tags", {"Tags": "env=test"}),
        BadInput("wrong shape", "Tags[0]", {"Tags": [{"Key": "env"}]}),
        BadInput("wrong shape", "Tags[0]", {"Tags": [{"Name": "env", "Value": "test"}]}),
        BadInput("wrong shape", "Tags[0].Value", {"Tags": [{"Key": "env", "Value": ["test"]}]}),
        said("out of range", "Tags", {"Tags": tags(49)}, "49", "48"),
        BadInput("out of range", "Tags[0].Key", {"Tags": [{"Key": "k" * 129, "Value": "v"}]}),
        BadInput("out of range", "Tags[0].Key", {"Tags": [{"Key": "", "Value": "v"}]}),
        said("out of range", "Tags[0].Value", {"Tags": [{"Key": "env", "Value": "v" * 257}]}, "0-256"),
        BadInput("out of range", "Tags[0].Key", {"Tags": [{"Key": "cost\ncentre", "Value": "v"}]}),
        said(
            "unknown name", "Tags[0].Key", {"Tags": [{"Key": "aws:cloudformation:x", "Value": "v"}]}, "aws:"
        ),
        said(
            "unknown name",
            "Tags[0].Key",
            {"Tags": [{"Key": "smsvoicepool:create-token", "Value": "v"}]},
            "smsvoicepool:",
            "reserved",
        ),
        said(
            "unknown name",
            "Tags[1].Key",
            {"Tags": [{"Key": "env", "Value": "a"}, {"Key": "env", "Value": "b"}]},
            "twice",
        ),
    ],
    "MessageType": [
        BadInput("wrong type", "MessageType", {"MessageType": ["TRANSACTIONAL"]}),
        said("out of range", "MessageType", {"MessageType": "BULK"}, '"BULK"', "TRANSACTIONAL"),
        BadInput("out of range", "MessageType", {"MessageType": "transactional"}),
        BadInput("unknown name", "MessageType", {"MessageType": "PROMOTIONAL"}),  # the phone is TRANSACTIONAL
    ],
    "IsoCountryCode": [
        BadInput("wrong type", "IsoCountryCode", {"IsoCountryCode": ["US"]}),
        said("out of range", "IsoCountryCode", {"IsoCountryCode": "us"}, '"us"'),
        BadInput("out of range", "IsoCountryCode", {"IsoCountryCode": "USA"}),
        BadInput("unknown name", "IsoCountryCode", {"IsoCountryCode": "GB"}),  # the phone is from the US
    ],
    "(property names)": [
        said("unknown name", "MessageTyp", {"MessageTyp": "TRANSACTIONAL"}, "spelling"),
        BadInput("unknown name", "tags", {"tags": [{"Key": "env", "Value": "a"}]}),
        BadInput("unknown name", "PoolName", {"PoolName": "mine"}),
    ],
}

for flag in ("DeletionProtectionEnabled", "SelfManagedOptOutsEnabled", "SharedRoutesEnabled"):
    CATALOGUE[flag] = [
        BadInput("wrong type", flag, {flag: ["true"]}),
        BadInput("wrong shape", flag, {flag: {"Value": "true"}}),
        BadInput("out of range", flag, {flag: "yes"}),
        BadInput("out of range", flag, {flag: "1"}),
        BadInput("out of range", flag, {flag: ""}),
        said("out of range", flag, {flag: "maybe"}, '"maybe"', '"true" or "false"'),
    ]


def _params() -> list[Any]:
    params = []
    for prop, entries in CATALOGUE.items():
        counts: dict[str, int] = {}
        for entry in entries:
            counts[entry.category] = counts.get(entry.category, 0) + 1
            case = f"{prop}-{entry.category.replace(' ', '-')}-{counts[entry.category]}"
            for request_type in ("Create", "Update"):
                params.append(pytest.param(request_type, entry, id=f"{request_type}-{case}"))
    return params


def fill(value: Any, phone: dict[str, Any]) -> Any:
    if isinstance(value, str):
        return value.replace(PHONE_ARN, phone["PhoneNumberArn"]).replace(PHONE, phone["PhoneNumberId"])
    if isinstance(value, list):
        return [fill(item, phone) for item in value]
    if isinstance(value, dict):
        return {key: fill(item, phone) for key, item in value.items()}
    return value


def test_every_property_has_every_kind_of_bad_value() -> None:
    kinds = {"wrong type", "out of range", "unknown name"}
    for prop, entries in CATALOGUE.items():
        if prop.startswith("("):
            continue
        missing = kinds - {entry.category for entry in entries}
        if prop in ("DeletionProtectionEnabled", "SelfManagedOptOutsEnabled", "SharedRoutesEnabled"):
            missing.discard("unknown name")  # a boolean has no names: only "true" and "false"
        assert not missing, f"{prop} lacks {missing}"


@pytest.mark.parametrize(("request_type", "bad"), _params())
def test_bad_input_fails_naming_the_property_before_any_change(
    cloudformation: CloudFormation, account: Any, request_type: str, bad: BadInput
) -> None:
    phone = cloudformation.control.seed_phone_number()
    good = {"OriginationIdentities": [phone["PhoneNumberId"]]}
    properties = {**good, **fill(bad.properties, phone)}
    properties = {name: value for name, value in properties.items() if value is not None}
    pool_id = None
    if request_type == "Update":
        created = cloudformation.create(good)
        assert created["Status"] == "SUCCESS", created
        pool_id = created["PhysicalResourceId"]
    before = snapshot_account(account)
    cloudformation.control.clear_calls()

    if pool_id is None:
        answer = cloudformation.create(properties)
    else:
        answer = cloudformation.update(pool_id, properties, good)

    calls = cloudformation.operations()
    assert answer["Status"] == "FAILED", f"accepted {bad}"
    for word in (bad.named, *bad.words):
        assert word in answer["Reason"], answer["Reason"]
    assert [call for call in calls if is_mutating(call)] == [], calls
    if bad.offline and request_type == "Create":
        assert calls == [], "refuted by the properties alone, yet the account was read"
    if pool_id is not None:
        assert answer["PhysicalResourceId"] == pool_id
    assert snapshot_account(account) == before


# A keyword message may come from a NoEcho parameter: its text must reach no Reason and no log line.
SENTINEL = "NOECHO-SENTINEL-7f3a"
_NAMED_FIELDS = ("Keyword", "Action")  # a keyword's name and action may be shown; nothing else may


def _with_sentinel(value: Any, *, in_keywords: bool = False) -> Any:
    """``value`` with the sentinel in every (non-blank) text a keyword property holds, same length class."""
    if isinstance(value, dict):
        return {
            key: item
            if in_keywords and key in _NAMED_FIELDS
            else _with_sentinel(
                item, in_keywords=in_keywords or key in ("MandatoryKeywords", "OptionalKeywords")
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_with_sentinel(item, in_keywords=in_keywords) for item in value]
    if in_keywords and isinstance(value, str) and value.strip():
        return SENTINEL + value[len(SENTINEL) :] if len(value) > len(SENTINEL) else SENTINEL + value
    return value


def _carrying_messages(properties: dict[str, Any]) -> dict[str, Any]:
    """The bad properties with the sentinel in each message; a valid HELP message with it if none."""
    marked = _with_sentinel(properties)
    if SENTINEL not in repr(marked) and "MandatoryKeywords" not in marked:
        marked["MandatoryKeywords"] = {"HELP": {"Message": f"{SENTINEL} Reply STOP to opt out"}}
    elif SENTINEL not in repr(marked) and "OptionalKeywords" not in marked:
        marked["OptionalKeywords"] = [keyword(message=f"{SENTINEL} Welcome")]
    return marked


@pytest.mark.parametrize(("request_type", "bad"), _params())
def test_no_message_text_reaches_a_reason_or_a_log_line(
    cloudformation: CloudFormation,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    request_type: str,
    bad: BadInput,
) -> None:
    phone = cloudformation.control.seed_phone_number()
    good = {"OriginationIdentities": [phone["PhoneNumberId"]]}
    properties = _carrying_messages({**good, **fill(bad.properties, phone)})
    properties = {name: value for name, value in properties.items() if value is not None}
    assert SENTINEL in repr(properties) or "  " in repr(properties)  # only a blank message has no text
    caplog.set_level("DEBUG")

    if request_type == "Create":
        answer = cloudformation.create(properties)
    else:
        created = cloudformation.create(good)
        assert created["Status"] == "SUCCESS", created
        answer = cloudformation.update(created["PhysicalResourceId"], properties, good)

    assert answer["Status"] == "FAILED"
    assert SENTINEL not in answer["Reason"], answer["Reason"]
    logged = caplog.text + "".join(record.getMessage() for record in caplog.records)
    printed = capsys.readouterr()
    assert SENTINEL not in logged
    assert SENTINEL not in printed.out + printed.err
