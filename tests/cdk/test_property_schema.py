"""One property schema (``contract.PROPERTY_SCHEMA`` and its limits): the construct's synth checks,
the handler's parser, the service model and the docs tables all agree with it.

The agreement test drives both sides the way users do: the construct with Python keyword arguments
(as in an app), the handler's parser with the template properties CloudFormation would deliver for
the same values (every scalar a string). Each limit is tried at its edge and one past it; a case
where one side accepts what the other refuses fails, so a limit copied into either side and then
changed (the construct once allowed 199 tags, the handler 48) cannot pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import contract as lambda_contract
import pytest
from aws_cdk.assertions import Template
from contract import Home
from pool_adoption import parse_adopt_pool_id
from pool_api_constraints import TEMPLATE_MEMBERS, constraint_for, member_shape
from pool_errors import PoolPropertyError
from pool_properties import parse_pool_properties

from cdk_sms_voice_pool import MandatoryKeywords, OptionalKeyword, SmsVoicePool, TwoWay

ROOT = Path(__file__).resolve().parents[2]
SERVICE_TOKEN = "arn:aws:lambda:us-east-1:111122223333:function:provider"
FRAMEWORK = ("ServiceToken", "ServiceTimeout")


def phone(index: int) -> str:
    return f"phone-{index:032x}"


@dataclass(frozen=True)
class Case:
    """Construct keyword arguments (besides the one identity every pool needs)."""

    identities: tuple[str, ...] = (phone(1),)
    kwargs: dict[str, Any] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    # The stack's account and Region (None: environment-agnostic, both tokens at synth).
    env: cdk.Environment | None = None


def keywords(count: int) -> list[OptionalKeyword]:
    return [OptionalKeyword(keyword=f"KW{index}", message="Reply") for index in range(count)]


def tags(count: int) -> dict[str, str]:
    return {f"team{index}": "a" for index in range(count)}


C = lambda_contract
LONGEST_KEYWORD = "K" * C.KEYWORD_MAX_LENGTH
LONGEST_MESSAGE = "m" * C.KEYWORD_MESSAGE_MAX_LENGTH
CHANNEL = "arn:aws:sns:us-east-1:111122223333:inbound"
ROLE = "arn:aws:iam::111122223333:role/inbound"

# name -> (case, accepted). Every limit of the schema at its edge (accepted) and one past (refused).
CASES: dict[str, tuple[Case, bool]] = {
    "identities at the limit": (Case(identities=tuple(phone(i) for i in range(C.MAX_IDENTITIES))), True),
    "identities over the limit": (
        Case(identities=tuple(phone(i) for i in range(C.MAX_IDENTITIES + 1))),
        False,
    ),
    "identity with a space": (Case(identities=("phone 1",)), False),
    "identity listed twice": (Case(identities=(phone(1), phone(1))), False),
    "optional keywords at the limit": (
        Case(kwargs={"optional_keywords": keywords(C.MAX_OPTIONAL_KEYWORDS)}),
        True,
    ),
    "optional keywords over the limit": (
        Case(kwargs={"optional_keywords": keywords(C.MAX_OPTIONAL_KEYWORDS + 1)}),
        False,
    ),
    "longest keyword": (
        Case(kwargs={"optional_keywords": [OptionalKeyword(keyword=LONGEST_KEYWORD, message="m")]}),
        True,
    ),
    "keyword too long": (
        Case(kwargs={"optional_keywords": [OptionalKeyword(keyword=LONGEST_KEYWORD + "K", message="m")]}),
        False,
    ),
    "keyword with a tab": (
        Case(kwargs={"optional_keywords": [OptionalKeyword(keyword="A\tB", message="m")]}),
        False,
    ),
    "keyword help": (
        Case(kwargs={"optional_keywords": [OptionalKeyword(keyword="help", message="m")]}),
        False,
    ),
    "keyword twice in two cases": (
        Case(
            kwargs={
                "optional_keywords": [
                    OptionalKeyword(keyword="JOIN", message="m"),
                    OptionalKeyword(keyword="join", message="m"),
                ]
            }
        ),
        False,
    ),
    "keyword action unknown": (
        Case(
            kwargs={"optional_keywords": [OptionalKeyword(keyword="JOIN", message="m", action="SUBSCRIBE")]}
        ),
        False,
    ),
    "longest message": (
        Case(kwargs={"mandatory_keywords": MandatoryKeywords(help_message=LONGEST_MESSAGE)}),
        True,
    ),
    "message too long": (
        Case(kwargs={"mandatory_keywords": MandatoryKeywords(stop_message=LONGEST_MESSAGE + "m")}),
        False,
    ),
    "message only spaces": (
        Case(kwargs={"mandatory_keywords": MandatoryKeywords(help_message=" \n ")}),
        False,
    ),
    "optional message too long": (
        Case(kwargs={"optional_keywords": [OptionalKeyword(keyword="JOIN", message=LONGEST_MESSAGE + "m")]}),
        False,
    ),
    "tags at the limit": (Case(tags=tags(C.MAX_USER_TAGS)), True),
    "tags over the limit": (Case(tags=tags(C.MAX_USER_TAGS + 1)), False),
    "sixty tags (the drifted limit)": (Case(tags=tags(60)), False),
    "longest tag key and value": (
        Case(tags={"k" * C.TAG_KEY_MAX_LENGTH: "v" * C.TAG_VALUE_MAX_LENGTH}),
        True,
    ),
    "tag key too long": (Case(tags={"k" * (C.TAG_KEY_MAX_LENGTH + 1): "v"}), False),
    "tag value too long": (Case(tags={"k": "v" * (C.TAG_VALUE_MAX_LENGTH + 1)}), False),
    "tag key with a line break": (Case(tags={"a\nb": "v"}), False),
    "tag value with a line break": (Case(tags={"k": "a\nb"}), False),
    "empty tag value": (Case(tags={"k": ""}), True),
    "tag key aws:": (Case(tags={"aws:owner": "v"}), False),
    "tag key of the provider": (Case(tags={f"{C.RESERVED_TAG_PREFIX}x": "v"}), False),
    "message type": (Case(kwargs={"message_type": "PROMOTIONAL"}), True),
    "message type unknown": (Case(kwargs={"message_type": "BULK"}), False),
    "country": (Case(kwargs={"iso_country_code": "US"}), True),
    "country lower case": (Case(kwargs={"iso_country_code": "us"}), False),
    "opt-out list": (Case(kwargs={"opt_out_list_name": "Marketing"}), True),
    "opt-out list with a space": (Case(kwargs={"opt_out_list_name": "my list"}), False),
    "opt-out list too long": (Case(kwargs={"opt_out_list_name": "x" * 257}), False),
    "two-way": (Case(kwargs={"two_way": TwoWay(enabled=True, channel_arn=CHANNEL, channel_role=ROLE)}), True),
    "two-way channel too short": (
        Case(kwargs={"two_way": TwoWay(enabled=True, channel_arn="arn:short")}),
        False,
    ),
    "two-way channel with a space": (
        Case(kwargs={"two_way": TwoWay(enabled=True, channel_arn=CHANNEL + " x")}),
        False,
    ),
    "two-way enabled without channel": (Case(kwargs={"two_way": TwoWay(enabled=True)}), False),
    "two-way role not an ARN": (
        Case(kwargs={"two_way": TwoWay(enabled=False, channel_role="role/inbound-messages-x")}),
        False,
    ),
}


def template_properties(case: Case) -> dict[str, Any]:
    """The Properties the construct would write for ``case`` (contract names, template shapes)."""
    kwargs = case.kwargs
    properties: dict[str, Any] = {C.ORIGINATION_IDENTITIES: list(case.identities)}
    simple = {
        "message_type": C.MESSAGE_TYPE,
        "iso_country_code": C.ISO_COUNTRY_CODE,
        "opt_out_list_name": C.OPT_OUT_LIST_NAME,
        "adopt_pool_id": C.ADOPT_POOL_ID,
    }
    for argument, name in simple.items():
        if argument in kwargs:
            properties[name] = kwargs[argument]
    if "mandatory_keywords" in kwargs:
        mandatory: MandatoryKeywords = kwargs["mandatory_keywords"]
        properties[C.MANDATORY_KEYWORDS] = {
            name: {C.KEYWORD_MESSAGE: message}
            for name, message in (("HELP", mandatory.help_message), ("STOP", mandatory.stop_message))
            if message is not None
        }
    if "optional_keywords" in kwargs:
        properties[C.OPTIONAL_KEYWORDS] = [
            {
                C.KEYWORD_KEYWORD: item.keyword,
                C.KEYWORD_MESSAGE: item.message,
                C.KEYWORD_ACTION: str(item.action),
            }
            for item in kwargs["optional_keywords"]
        ]
    if "two_way" in kwargs:
        two_way: TwoWay = kwargs["two_way"]
        rendered: dict[str, Any] = {C.TWO_WAY_ENABLED: "true" if two_way.enabled else "false"}
        if two_way.channel_arn is not None:
            rendered[C.TWO_WAY_CHANNEL_ARN] = two_way.channel_arn
        if two_way.channel_role is not None:
            rendered[C.TWO_WAY_CHANNEL_ROLE] = two_way.channel_role
        properties[C.TWO_WAY] = rendered
    if case.tags:
        properties[C.TAGS] = [{C.TAG_KEY: key, C.TAG_VALUE: value} for key, value in case.tags.items()]
    return properties


def build(case: Case) -> cdk.Stack:
    stack = cdk.Stack(cdk.App(), "Schema", env=case.env)
    SmsVoicePool(
        stack,
        "Pool",
        origination_identities=list(case.identities),
        tags=case.tags or None,
        service_token=SERVICE_TOKEN,
        **case.kwargs,
    )
    return stack


def construct_verdict(case: Case) -> tuple[bool, str]:
    try:
        build(case)
    except ValueError as error:
        return False, str(error)
    return True, ""


def handler_verdict(properties: dict[str, Any], home: Home | None = None) -> tuple[bool, str]:
    try:
        parse_pool_properties(properties, home)
        parse_adopt_pool_id(properties, home)
    except PoolPropertyError as error:
        return False, str(error)
    return True, ""


@pytest.mark.parametrize("name", list(CASES))
def test_construct_and_handler_agree_on_every_limit(name: str) -> None:
    case, accepted = CASES[name]
    by_construct, construct_reason = construct_verdict(case)
    by_handler, handler_reason = handler_verdict(template_properties(case))
    assert (by_construct, by_handler) == (accepted, accepted), (construct_reason, handler_reason)


# --- identities and pools by id or ARN ---------------------------------------------------------
ACCOUNT = "111122223333"
REGION = "us-east-1"
HERE = cdk.Environment(account=ACCOUNT, region=REGION)
# What the handler reads from the event's StackId: the same place as HERE.
HOME = Home.of_stack(f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/Schema/1")
POOL_ID = "pool-0123456789abcdef0123456789abcdef"


def arn(resource: str, *, partition: str = "aws", region: str = REGION, account: str = ACCOUNT) -> str:
    return f"arn:{partition}:sms-voice:{region}:{account}:{resource}"


def placed(*identities: str, **kwargs: Any) -> Case:
    """A pool of a stack whose account and Region are known at synth (HERE)."""
    return Case(identities=identities, kwargs=kwargs, env=HERE)


# name -> (case, accepted): what the handler reads from ids and ARNs, checked at synth too.
IDENTITY_CASES: dict[str, tuple[Case, bool]] = {
    "phone number by ARN": (placed(arn(f"phone-number/{phone(1)}")), True),
    "sender ID by ARN": (placed(arn("sender-id/MYCO/US")), True),
    "sender ID by id": (placed("MYCO", iso_country_code="US"), True),
    "ARN of a pool": (placed(arn(f"pool/{POOL_ID}")), False),
    "ARN of an opt-out list": (placed(arn("opt-out-list/Default")), False),
    "sender ID ARN without country": (placed(arn("sender-id/MYCO")), False),
    "ARN of another service": (placed(f"arn:aws:sns:{REGION}:{ACCOUNT}:topic"), False),
    "ARN of another account": (placed(arn(f"phone-number/{phone(1)}", account="999999999999")), False),
    "ARN of another Region": (placed(arn(f"phone-number/{phone(1)}", region="eu-west-1")), False),
    "ARN of another partition": (placed(arn(f"phone-number/{phone(1)}", partition="aws-cn")), False),
    "phone number by id and by ARN": (placed(phone(1), arn(f"phone-number/{phone(1)}")), False),
    "sender ID by id and by ARN in iso_country_code": (
        placed("MYCO", arn("sender-id/MYCO/US"), iso_country_code="US"),
        False,
    ),
    "sender ID by id and by ARN of another country": (
        placed("MYCO", arn("sender-id/MYCO/GB"), iso_country_code="US"),
        True,
    ),
    "opt-out list ARN of this account": (
        placed(phone(1), opt_out_list_name=arn("opt-out-list/Marketing")),
        True,
    ),
    "opt-out list ARN of another account": (
        placed(phone(1), opt_out_list_name=arn("opt-out-list/Marketing", account="999999999999")),
        False,
    ),
    "adopt a pool by id": (placed(phone(1), adopt_pool_id=POOL_ID), True),
    "adopt a pool by ARN": (placed(phone(1), adopt_pool_id=arn(f"pool/{POOL_ID}")), True),
    "adopt a phone number": (placed(phone(1), adopt_pool_id=arn(f"phone-number/{phone(1)}")), False),
    "adopt a pool of another account": (
        placed(phone(1), adopt_pool_id=arn(f"pool/{POOL_ID}", account="999999999999")),
        False,
    ),
    "adopt a pool of another Region": (
        placed(phone(1), adopt_pool_id=arn(f"pool/{POOL_ID}", region="eu-west-1")),
        False,
    ),
}
# The template's property names, and the construct's for them.
PYTHON_NAMES = {
    C.ORIGINATION_IDENTITIES: "origination_identities",
    C.OPT_OUT_LIST_NAME: "opt_out_list_name",
    C.ADOPT_POOL_ID: "adopt_pool_id",
    C.TAGS: "tags",
    C.OPTIONAL_KEYWORDS: "optional_keywords",
}


def synth_words(handler_reason: str) -> str:
    """What ``cdk synth`` says for a value the handler refuses with ``handler_reason``: the same words,
    with the construct's name for the property ("" when accepted)."""
    if not handler_reason:
        return ""
    name = re.match(r"[A-Za-z]+", handler_reason)
    assert name is not None, handler_reason
    return f"SmsVoicePool {PYTHON_NAMES[name.group()]}{handler_reason[name.end() :]}"


@pytest.mark.parametrize("name", list(IDENTITY_CASES))
def test_construct_and_handler_read_identities_and_pools_alike_in_the_same_words(name: str) -> None:
    case, accepted = IDENTITY_CASES[name]
    by_construct, construct_reason = construct_verdict(case)
    by_handler, handler_reason = handler_verdict(template_properties(case), HOME)
    assert (by_construct, by_handler) == (accepted, accepted), (construct_reason, handler_reason)
    assert construct_reason == synth_words(handler_reason)


@pytest.mark.parametrize(
    "case",
    [
        IDENTITY_CASES["ARN of another account"][0],
        IDENTITY_CASES["ARN of another Region"][0],
        IDENTITY_CASES["opt-out list ARN of another account"][0],
        IDENTITY_CASES["adopt a pool of another account"][0],
    ],
    ids=["identity of another account", "identity of another Region", "opt-out list", "adopted pool"],
)
def test_a_stack_without_account_and_region_leaves_foreign_arns_to_the_handler(case: Case) -> None:
    """Where the account and Region are tokens at synth, only the handler (which reads them from the
    StackId) can tell an ARN of elsewhere; it still refuses it before any call."""
    agnostic = Case(identities=case.identities, kwargs=case.kwargs)
    assert construct_verdict(agnostic) == (True, "")
    by_handler, handler_reason = handler_verdict(template_properties(agnostic), HOME)
    assert not by_handler
    assert "999999999999" in handler_reason or "eu-west-1" in handler_reason


def test_a_stack_with_only_a_region_checks_the_region_and_partition() -> None:
    """The partition is the concrete Region's (aws-cn for cn-north-1), the account still a token."""
    china = cdk.Environment(region="cn-north-1")
    refused = Case(identities=(arn(f"phone-number/{phone(1)}", region="cn-north-1"),), env=china)
    ok, reason = construct_verdict(refused)
    assert not ok
    assert reason.startswith('SmsVoicePool origination_identities[0] "arn:aws:sms-voice:cn-north-1')
    assert "partition aws (this stack's: aws-cn)" in reason
    any_account = "999999999999"
    accepted = arn(f"phone-number/{phone(1)}", partition="aws-cn", region="cn-north-1", account=any_account)
    assert construct_verdict(Case(identities=(accepted,), env=china)) == (True, "")


def test_a_token_among_the_identities_keeps_the_others_indexes() -> None:
    stack = cdk.Stack(cdk.App(), "Schema", env=HERE)
    token = cdk.CfnParameter(stack, "Phone").value_as_string
    foreign = arn(f"phone-number/{phone(2)}", account="999999999999")
    with pytest.raises(ValueError, match=re.escape("SmsVoicePool origination_identities[2] ")):
        SmsVoicePool(
            stack, "Pool", origination_identities=[phone(1), token, foreign], service_token=SERVICE_TOKEN
        )


def test_the_construct_writes_what_the_handler_is_given() -> None:
    """The agreement test's template_properties is what the construct really writes (so the handler
    judges the same values); checked on one case that uses every property."""
    case = Case(
        identities=(phone(1), phone(2)),
        kwargs={
            "message_type": "TRANSACTIONAL",
            "iso_country_code": "US",
            "opt_out_list_name": "Marketing",
            "mandatory_keywords": MandatoryKeywords(help_message="Help", stop_message="Stop"),
            "optional_keywords": keywords(2),
            "two_way": TwoWay(enabled=True, channel_arn=CHANNEL, channel_role=ROLE),
        },
        tags=tags(2),
    )
    [resource] = Template.from_stack(build(case)).find_resources(C.RESOURCE_TYPE).values()
    written = {key: value for key, value in resource["Properties"].items() if key not in FRAMEWORK}
    expected = template_properties(case)
    expected[C.TWO_WAY][C.TWO_WAY_ENABLED] = True  # CloudFormation stringifies it on delivery.
    assert written == expected


@pytest.mark.parametrize(
    ("case", "python_name", "contract_name"),
    [
        (Case(tags=tags(C.MAX_USER_TAGS + 1)), "tags", C.TAGS),
        (
            Case(identities=tuple(phone(i) for i in range(C.MAX_IDENTITIES + 1))),
            "origination_identities",
            C.ORIGINATION_IDENTITIES,
        ),
        (
            Case(kwargs={"optional_keywords": keywords(C.MAX_OPTIONAL_KEYWORDS + 1)}),
            "optional_keywords",
            C.OPTIONAL_KEYWORDS,
        ),
    ],
)
def test_a_count_over_its_limit_is_refused_in_the_same_words(
    case: Case, python_name: str, contract_name: str
) -> None:
    _, construct_reason = construct_verdict(case)
    _, handler_reason = handler_verdict(template_properties(case))
    assert handler_reason.startswith(contract_name)
    assert construct_reason == synth_words(handler_reason)
    assert "Remove some" in handler_reason


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("country lower case", C.ISO_COUNTRY_CODE),
        ("opt-out list with a space", C.OPT_OUT_LIST_NAME),
        ("two-way channel too short", f"{C.TWO_WAY}.{C.TWO_WAY_CHANNEL_ARN}"),
        ("two-way role not an ARN", f"{C.TWO_WAY}.{C.TWO_WAY_CHANNEL_ROLE}"),
    ],
)
def test_a_string_breaking_its_pattern_gets_the_same_fix(name: str, path: str) -> None:
    case, _ = CASES[name]
    _, construct_reason = construct_verdict(case)
    _, handler_reason = handler_verdict(template_properties(case))
    _, fix = C.STRING_RULES[path]
    assert handler_reason.startswith(path)
    assert handler_reason.endswith(f"; {fix}.")
    assert construct_reason.endswith(f"; {fix}.")


def test_the_contracts_model_constraints_are_botocores() -> None:
    """The copy the construct checks at synth (it runs without botocore) is the service model the
    handler reads, for every member a template value is sent as; so synth cannot miss a field."""
    assert set(C.MODEL_CONSTRAINTS) == set(TEMPLATE_MEMBERS)
    for path in TEMPLATE_MEMBERS:
        assert C.MODEL_CONSTRAINTS[path] == constraint_for(path), path


@pytest.mark.parametrize(
    ("limit", "path"),
    [
        (C.KEYWORD_MAX_LENGTH, "OptionalKeywords[].Keyword"),
        (C.KEYWORD_MESSAGE_MAX_LENGTH, "OptionalKeywords[].Message"),
        (C.KEYWORD_MESSAGE_MAX_LENGTH, "MandatoryKeywords.HELP.Message"),
        (C.TAG_KEY_MAX_LENGTH, "Tags[].Key"),
        (C.TAG_VALUE_MAX_LENGTH, "Tags[].Value"),
    ],
)
def test_schema_lengths_are_the_service_models(limit: int, path: str) -> None:
    assert constraint_for(path).max_length == limit


@pytest.mark.parametrize(
    ("pattern", "path", "fixed_characters"),
    [
        (C.IDENTITY_PATTERN, "OriginationIdentities[]", 0),
        (C.OPT_OUT_LIST_NAME_PATTERN, "OptOutListName", 0),
        (C.ISO_COUNTRY_CODE_PATTERN, "IsoCountryCode", 0),
        (C.TWO_WAY_CHANNEL_ARN_PATTERN, "TwoWay.ChannelArn", 0),
        (C.TWO_WAY_CHANNEL_ROLE_PATTERN, "TwoWay.ChannelRole", len("arn:")),
        (C.TAG_KEY_PATTERN, "Tags[].Key", 0),
        (C.TAG_VALUE_PATTERN, "Tags[].Value", 0),
    ],
)
def test_schema_patterns_state_the_service_models_length(
    pattern: str, path: str, fixed_characters: int
) -> None:
    """Each pattern's length range (its final ``{low,high}`` plus its fixed prefix) is the model's."""
    constraint = constraint_for(path)
    found = re.search(r"\{(\d+)(?:,(\d+))?\}$", pattern)
    assert found is not None, pattern
    low = int(found.group(1)) + fixed_characters
    high = int(found.group(2) or found.group(1)) + fixed_characters
    assert (low, high) == (constraint.min_length, constraint.max_length)


def test_tag_limit_fits_what_the_service_accepts() -> None:
    create_pool_tags = member_shape("CreatePool", "Tags").metadata["max"]
    assert C.MAX_USER_TAGS + C.RESERVED_TAG_COUNT == C.TAGS_PER_POOL <= create_pool_tags


# --- The docs tables ---------------------------------------------------------------------------
DOC_UPDATE_WORDS = {
    "in place": "in place",
    "replacement": "**replacement**",
    "read at create": "read only at Create",
}


def property_rows(path: Path) -> dict[str, str]:
    """The property table's rows of ``path``: property name -> the row (en dashes as hyphens)."""
    rows: dict[str, str] = {}
    for line in path.read_text().splitlines():
        match = re.match(r"\| `(\w+)`( \(required\))? \|", line)
        if match and match.group(1) in C.PROPERTIES:
            rows.setdefault(match.group(1), line.replace("\N{EN DASH}", "-"))
    return rows


@pytest.mark.parametrize("document", ["README.md", "docs/reference.md"])
def test_docs_property_tables_agree_with_the_schema(document: str) -> None:
    rows = property_rows(ROOT / document)
    assert set(rows) == set(C.PROPERTIES), "a property is missing from the table, or one too many"
    for spec in C.PROPERTY_SCHEMA:
        row = rows[spec.name]
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        on_change = cells[-1]
        assert DOC_UPDATE_WORDS[spec.update] in on_change, (spec.name, on_change)
        if spec.update != "replacement":
            assert "replacement" not in on_change, (spec.name, on_change)
        required = "(required)" in cells[0] if document == "README.md" else cells[2].startswith("yes")
        assert required == spec.required, spec.name
        for limit in spec.limits:
            assert limit in row, (spec.name, limit)
