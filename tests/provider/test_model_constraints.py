"""Every constraint the service model puts on a value a template sends is enforced before any change.

The model is botocore's copy of the service's (the emulator validates with the same one). The first
test walks every string member of every mutating operation and proves each one is either checked
(pool_api_constraints.TEMPLATE_MEMBERS) or never comes from a template. The second breaks each
constraint of each checked member in turn (length, pattern against the whole value, enum) in a Create
and in an Update that would also move a phone number and change tags: FAILED, naming the property,
and no mutating call.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.model import ListShape, Shape, StructureShape
from pool_api_constraints import TEMPLATE_MEMBERS, constraint_for, member_shape, service_model

from tests.provider.conftest import Provider
from tests.support.harness import MUTATING_OPERATIONS

SNS_TOPIC = "arn:aws:sns:us-east-1:000000000000:inbound-sms"
ROLE = "arn:aws:iam::000000000000:role/sms-inbound"

# Members of the mutating operations whose values never come from a template, and where they come from.
NOT_FROM_TEMPLATE = {
    ("CreatePool", "ClientToken"): "derived from the request",
    ("AssociateOriginationIdentity", "ClientToken"): "botocore's idempotency token",
    ("DisassociateOriginationIdentity", "ClientToken"): "botocore's idempotency token",
    ("UpdatePool", "PoolId"): "the PhysicalResourceId",
    ("DeletePool", "PoolId"): "the PhysicalResourceId",
    ("AssociateOriginationIdentity", "PoolId"): "the PhysicalResourceId",
    ("DisassociateOriginationIdentity", "PoolId"): "the PhysicalResourceId",
    ("PutKeyword", "OriginationIdentity"): "the PhysicalResourceId",
    ("DeleteKeyword", "OriginationIdentity"): "the PhysicalResourceId",
    ("DeleteKeyword", "Keyword"): "a keyword the pool has (DescribeKeywords)",
    ("TagResource", "ResourceArn"): "the pool's ARN (DescribePools)",
    ("UntagResource", "ResourceArn"): "the pool's ARN (DescribePools)",
    ("UntagResource", "TagKeys[]"): "a tag key the pool has (ListTagsForResource)",
    ("DisassociateOriginationIdentity", "OriginationIdentity"): "an ARN the pool lists",
    ("AssociateOriginationIdentity", "IsoCountryCode"): "the identity's own (DescribePhoneNumbers)",
    ("DisassociateOriginationIdentity", "IsoCountryCode"): "the pool listing's",
}


def _string_members(shape: Shape, path: str = "") -> Iterator[tuple[str, Shape]]:
    if isinstance(shape, StructureShape):
        for name, member in shape.members.items():
            yield from _string_members(member, f"{path}.{name}" if path else name)
    elif isinstance(shape, ListShape):
        yield from _string_members(shape.member, f"{path}[]")
    elif shape.type_name == "string":
        yield path, shape


def test_every_string_member_the_provider_sends_is_checked_or_never_from_a_template() -> None:
    model = service_model()
    checked = {member_shape(*where).name: where for where in TEMPLATE_MEMBERS.values()}
    unaccounted = []
    for operation in sorted(MUTATING_OPERATIONS):
        input_shape = model.operation_model(operation).input_shape
        assert input_shape is not None
        for path, shape in _string_members(input_shape):
            if (operation, path) in NOT_FROM_TEMPLATE or (operation, path) in TEMPLATE_MEMBERS.values():
                continue
            if shape.name in checked:  # the same shape as a checked member (CreatePool's identity...)
                continue
            unaccounted.append(f"{operation}.{path} ({shape.name})")
    assert unaccounted == [], "members neither checked up front nor known to come from elsewhere"


# Property path -> (a valid value, the properties that carry it given the seeded identities, what the
# reason names).
Builder = Callable[[str, dict[str, str]], dict[str, Any]]
CARRIERS: dict[str, tuple[str, Builder, str]] = {
    "OriginationIdentities[]": (
        "{c}",
        lambda v, s: {"OriginationIdentities": [v, s["b"]]},
        "OriginationIdentities[0]",
    ),
    "MandatoryKeywords.HELP.Message": (
        "Call us",
        lambda v, s: {"MandatoryKeywords": {"HELP": {"Message": v}}},
        "MandatoryKeywords.HELP.Message",
    ),
    "MandatoryKeywords.STOP.Message": (
        "Bye",
        lambda v, s: {"MandatoryKeywords": {"STOP": {"Message": v}}},
        "MandatoryKeywords.STOP.Message",
    ),
    "OptionalKeywords[].Keyword": (
        "JOIN",
        lambda v, s: {"OptionalKeywords": [{"Keyword": v, "Message": "Hi", "Action": "OPT_IN"}]},
        "OptionalKeywords[0].Keyword",
    ),
    "OptionalKeywords[].Message": (
        "Welcome",
        lambda v, s: {"OptionalKeywords": [{"Keyword": "JOIN", "Message": v, "Action": "OPT_IN"}]},
        "OptionalKeywords[0].Message",
    ),
    "OptionalKeywords[].Action": (
        "OPT_IN",
        lambda v, s: {"OptionalKeywords": [{"Keyword": "JOIN", "Message": "Hi", "Action": v}]},
        "OptionalKeywords[0].Action",
    ),
    "OptOutListName": ("Marketing", lambda v, s: {"OptOutListName": v}, "OptOutListName"),
    "TwoWay.ChannelArn": (
        SNS_TOPIC,
        lambda v, s: {"TwoWay": {"Enabled": "true", "ChannelArn": v}},
        "TwoWay.ChannelArn",
    ),
    "TwoWay.ChannelRole": (
        ROLE,
        lambda v, s: {"TwoWay": {"Enabled": "true", "ChannelArn": SNS_TOPIC, "ChannelRole": v}},
        "TwoWay.ChannelRole",
    ),
    "Tags[].Key": ("cost-centre", lambda v, s: {"Tags": [{"Key": v, "Value": "42"}]}, "Tags[0].Key"),
    "Tags[].Value": ("42", lambda v, s: {"Tags": [{"Key": "cost-centre", "Value": v}]}, "Tags[0].Value"),
    "MessageType": ("TRANSACTIONAL", lambda v, s: {"MessageType": v}, "MessageType"),
    "IsoCountryCode": ("US", lambda v, s: {"IsoCountryCode": v}, "IsoCountryCode"),
}


def violations(path: str, valid: str) -> dict[str, str]:
    """One value breaking each constraint the model states for ``path`` (valid in every other way)."""
    constraint = constraint_for(path)
    low, high = constraint.min_length or 0, constraint.max_length
    broken: dict[str, str] = {}
    if constraint.enum:
        broken["enum"] = valid.lower() if valid.lower() not in constraint.enum else valid + "X"
    if constraint.min_length:
        broken["min length"] = valid[: constraint.min_length - 1]
    if high is not None:
        broken["max length"] = (valid * (high // len(valid) + 2))[: high + 1]
    if constraint.pattern:
        pattern = re.compile(constraint.pattern)
        candidates = [valid[:1] + odd + valid[1:] for odd in ("\t", "\n", " ", "#")]
        candidates += [" " * len(valid), "x" + valid[1:]]
        broken["pattern"] = next(
            value
            for value in candidates
            if low <= len(value) <= (high or len(value)) and pattern.fullmatch(value) is None
        )
    return broken


# Broken identities are built from a well-formed id, not from the placeholder of the seeded one.
WELL_FORMED_PHONE_ID = "phone-0123456789abcdef0123456789abcdef"


def _cases() -> list[Any]:
    assert set(CARRIERS) == set(TEMPLATE_MEMBERS), "every checked property path needs a carrier here"
    cases = []
    for path, (valid, _, _) in CARRIERS.items():
        sample = WELL_FORMED_PHONE_ID if valid == "{c}" else valid
        for rule, value in {"valid": valid, **violations(path, sample)}.items():
            for request_type in ("Create", "Update"):
                cases.append(pytest.param(request_type, path, value, id=f"{request_type}-{path}-{rule}"))
    return cases


@pytest.mark.parametrize(("request_type", "path", "value"), _cases())
def test_each_model_constraint_is_enforced_before_any_change(
    provider: Provider, sms: Any, request_type: str, path: str, value: str
) -> None:
    provider.control.seed_opt_out_list("Marketing")
    a, b, c = (provider.control.seed_phone_number() for _ in range(3))
    seeded = {"a": a["PhoneNumberId"], "b": b["PhoneNumberId"], "c": c["PhoneNumberId"]}
    valid, carry, named = CARRIERS[path]
    properties = carry(value.replace("{c}", seeded["c"]), seeded)
    # The identities are given: with the ones the Update adds, an Update would move numbers first.
    properties.setdefault("OriginationIdentities", [seeded["a"], seeded["b"]])
    properties.setdefault("Tags", [{"Key": "team", "Value": "b"}])
    pool_id = None
    if request_type == "Update":
        old = {"OriginationIdentities": [seeded["a"]], "Tags": [{"Key": "team", "Value": "a"}]}
        created = provider.create(old)
        assert created["Status"] == "SUCCESS", created["Reason"]
        pool_id = created["PhysicalResourceId"]
    provider.control.clear_calls()

    answer = provider.create(properties) if pool_id is None else provider.update(pool_id, properties, old)

    if value == valid:
        assert answer["Status"] == "SUCCESS", answer["Reason"]
        return
    assert answer["Status"] == "FAILED", f"{path}={value!r} accepted"
    assert answer["Reason"].startswith(named), answer["Reason"]
    assert provider.mutating_calls() == []
    pools = sms.describe_pools()["Pools"]
    assert [pool["PoolId"] for pool in pools] == ([pool_id] if pool_id else [])
