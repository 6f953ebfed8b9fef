"""The wire format: model-driven validation, modeled errors, and responses that satisfy the model."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import botocore.session
import pytest
from botocore.model import ListShape, OperationModel, Shape, StringShape, StructureShape

from localcloud.sms_voice import Emulator
from tests.emulator.emulator_helpers import api_error

MODEL = botocore.session.get_session().get_service_model("pinpoint-sms-voice-v2")


def _post(endpoint: str, target: str, body: bytes) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(  # noqa: S310  # the emulator's loopback http endpoint
        endpoint,
        data=body,
        method="POST",
        headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.0"},
    )
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310  # as above
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


# --- validation -------------------------------------------------------------------------------
def test_missing_required_member_is_missing_parameter(raw: Any) -> None:
    error = api_error(raw.create_pool, OriginationIdentity="phone-1")

    assert (error["Code"], error["Reason"], error["HTTPStatus"]) == (
        "ValidationException",
        "MISSING_PARAMETER",
        400,
    )
    assert error["Fields"] == [{"Name": "MessageType", "Message": "Member must not be null"}]


@pytest.mark.parametrize(
    ("call", "kwargs", "field"),
    [
        ("describe_pools", {"PoolIds": ["pool-a"] * 6}, "PoolIds"),
        ("describe_pools", {"MaxResults": 101}, "MaxResults"),
        ("create_pool", {"OriginationIdentity": "x", "MessageType": "BULK"}, "MessageType"),
        (
            "create_pool",
            {"OriginationIdentity": "bad id!", "MessageType": "TRANSACTIONAL"},
            "OriginationIdentity",
        ),
        (
            "create_pool",
            {"OriginationIdentity": "x" * 257, "MessageType": "TRANSACTIONAL"},
            "OriginationIdentity",
        ),
        (
            "create_pool",
            {"OriginationIdentity": "x", "MessageType": "TRANSACTIONAL", "IsoCountryCode": "usa"},
            "IsoCountryCode",
        ),
        (
            "put_keyword",
            {"OriginationIdentity": "pool-a", "Keyword": "K", "KeywordMessage": "   "},
            "KeywordMessage",
        ),
        (
            "update_pool",
            {"PoolId": "pool-a", "DeletionProtectionEnabled": "yes"},
            "DeletionProtectionEnabled",
        ),
        ("describe_pools", {"Filters": [{"Name": "colour", "Values": ["red"]}]}, "Filters[0].Name"),
        ("describe_pools", {"Filters": [{"Name": "status", "Values": []}]}, "Filters[0].Values"),
        ("tag_resource", {"ResourceArn": "arn:aws:sms-voice:us-east-1:0:pool/p", "Tags": []}, "Tags"),
        (
            "create_pool",
            {"OriginationIdentity": "x", "MessageType": "TRANSACTIONAL", "ClientToken": ""},
            "ClientToken",
        ),
    ],
)
def test_model_constraints_are_enforced_with_the_field_named(
    raw: Any, call: str, kwargs: dict[str, Any], field: str
) -> None:
    error = api_error(getattr(raw, call), **kwargs)

    assert (error["Code"], error["Reason"]) == ("ValidationException", "FIELD_VALIDATION_FAILED")
    assert field in [f["Name"] for f in error["Fields"]]


def test_validation_happens_before_anything_changes(emulator: Emulator, raw: Any, sms: Any) -> None:
    phone = emulator.control.seed_phone_number()

    api_error(
        raw.create_pool,
        OriginationIdentity=phone["PhoneNumberId"],
        MessageType="TRANSACTIONAL",
        Tags=[{"Key": "", "Value": "v"}],
    )

    assert sms.describe_pools()["Pools"] == []


def test_unknown_members_are_rejected(sms_endpoint: str) -> None:
    status, body = _post(sms_endpoint, "PinpointSMSVoiceV2.DescribePools", b'{"Colour": "red"}')

    assert (status, body["__type"], body["Reason"]) == (
        400,
        "ValidationException",
        "UNSPECIFIED_PARAMETER_NOT_SUPPORTED",
    )


def test_unparseable_body_is_cannot_parse(sms_endpoint: str) -> None:
    status, body = _post(sms_endpoint, "PinpointSMSVoiceV2.DescribePools", b"{not json")

    assert (status, body["__type"], body["Reason"]) == (400, "ValidationException", "CANNOT_PARSE")


@pytest.mark.parametrize(
    "target",
    [
        "PinpointSMSVoiceV2.LaunchRocket",
        "PinpointSMSVoiceV2.SendTextMessage",
        "SomethingElse.DescribePools",
        "",
    ],
)
def test_unknown_operation(sms_endpoint: str, target: str) -> None:
    status, body = _post(sms_endpoint, target, b"{}")

    assert (status, body["__type"]) == (400, "UnknownOperationException")


def test_modeled_error_members_reach_boto3(make_pool: Any, client: Any) -> None:
    pool = make_pool()
    client.update_pool(PoolId=pool["PoolId"], DeletionProtectionEnabled=True)

    with pytest.raises(client.exceptions.ConflictException) as raised:
        client.delete_pool(PoolId=pool["PoolId"])

    response = raised.value.response
    assert response["Error"]["Code"] == "ConflictException"
    assert response["Error"]["Message"]
    assert (response["Reason"], response["ResourceType"], response["ResourceId"]) == (
        "DELETION_PROTECTION_ENABLED",
        "pool",
        pool["PoolId"],
    )


# --- responses satisfy the model's output shapes ------------------------------------------------
def _shape_problems(shape: Shape, value: Any, path: str) -> Iterator[str]:
    if isinstance(shape, StructureShape):
        yield from _structure_problems(shape, value, path)
    elif isinstance(shape, ListShape):
        if not isinstance(value, list):
            yield f"{path}: not a list"
            return
        for index, item in enumerate(value):
            yield from _shape_problems(shape.member, item, f"{path}[{index}]")
    elif not _SCALAR_CHECKS.get(shape.type_name, lambda _: True)(value):
        yield f"{path}: {value!r} is not a {shape.type_name}"
    elif isinstance(shape, StringShape) and shape.enum and value not in shape.enum:
        yield f"{path}: {value!r} not in the enum"


def _structure_problems(shape: StructureShape, value: Any, path: str) -> Iterator[str]:
    if not isinstance(value, dict):
        yield f"{path}: not an object"
        return
    for name in shape.required_members:
        if name not in value:
            yield f"{path}.{name}: required member missing"
    for name, item in value.items():
        if name not in shape.members:
            yield f"{path}.{name}: not in the model"
        else:
            yield from _shape_problems(shape.members[name], item, f"{path}.{name}")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_SCALAR_CHECKS = {
    "string": lambda value: isinstance(value, str),
    "boolean": lambda value: isinstance(value, bool),
    "integer": lambda value: _is_number(value) and isinstance(value, int),
    "timestamp": _is_number,  # JSON protocol: epoch seconds
}


@pytest.fixture
def captured_bodies(sms: Any) -> dict[str, list[Any]]:
    """Raw JSON response bodies of successful calls, by operation name."""
    bodies: dict[str, list[Any]] = {}

    def capture(operation_model: OperationModel, response_dict: dict[str, Any], **_: Any) -> None:
        if response_dict["status_code"] == 200:
            bodies.setdefault(operation_model.name, []).append(json.loads(response_dict["body"]))

    sms.meta.events.register("before-parse.pinpoint-sms-voice-v2.*", capture)
    return bodies


def test_every_operation_response_satisfies_the_model(
    emulator: Emulator, sms: Any, captured_bodies: dict[str, list[Any]]
) -> None:
    control = emulator.control
    seed = control.seed_phone_number(
        keywords={"JOIN": ("Hi", "OPT_IN")},
        two_way_enabled=True,
        two_way_channel_arn="arn:aws:sns:us-east-1:0:t",
    )
    extra = control.seed_phone_number(two_way_enabled=True, two_way_channel_arn="arn:aws:sns:us-east-1:0:t")
    pool = sms.create_pool(
        OriginationIdentity=seed["PhoneNumberArn"],
        MessageType="TRANSACTIONAL",
        Tags=[{"Key": "k", "Value": "v"}],
    )
    pool_id = pool["PoolId"]
    sms.describe_pools()
    sms.describe_pools(PoolIds=[pool_id], MaxResults=1)
    sms.update_pool(PoolId=pool_id, SharedRoutesEnabled=True)
    sms.associate_origination_identity(PoolId=pool_id, OriginationIdentity=extra["PhoneNumberId"])
    sender = sms.request_sender_id(SenderId="BRAND", IsoCountryCode="GB", Tags=[{"Key": "k", "Value": "v"}])
    sms.list_pool_origination_identities(PoolId=pool_id)
    sms.disassociate_origination_identity(PoolId=pool_id, OriginationIdentity=extra["PhoneNumberArn"])
    sms.put_keyword(OriginationIdentity=pool_id, Keyword="INFO", KeywordMessage="Info")
    sms.describe_keywords(OriginationIdentity=pool_id, MaxResults=2)
    sms.delete_keyword(OriginationIdentity=pool_id, Keyword="INFO")
    sms.tag_resource(ResourceArn=pool["PoolArn"], Tags=[{"Key": "a", "Value": "b"}])
    sms.untag_resource(ResourceArn=pool["PoolArn"], TagKeys=["a"])
    sms.list_tags_for_resource(ResourceArn=pool["PoolArn"])
    number = sms.request_phone_number(
        IsoCountryCode="GB", MessageType="PROMOTIONAL", NumberCapabilities=["SMS"], NumberType="LONG_CODE"
    )
    sms.describe_phone_numbers()
    sms.update_phone_number(PhoneNumberId=number["PhoneNumberId"], DeletionProtectionEnabled=False)
    sms.release_phone_number(PhoneNumberId=number["PhoneNumberId"])
    sms.describe_sender_ids()
    sms.release_sender_id(SenderId=sender["SenderId"], IsoCountryCode="GB")
    sms.create_opt_out_list(OptOutListName="Lists", Tags=[{"Key": "k", "Value": "v"}])
    sms.describe_opt_out_lists()
    sms.delete_opt_out_list(OptOutListName="Lists")
    sms.delete_pool(PoolId=pool_id)

    problems: list[str] = []
    for operation, bodies in captured_bodies.items():
        output = MODEL.operation_model(operation).output_shape
        for body in bodies:
            problems.extend(_shape_problems(output, body, operation))
    assert problems == []
    served = {op for op in MODEL.operation_names if _post_is_served(emulator.endpoint_url, op)}
    assert served == set(captured_bodies), "every served operation was checked"


def _post_is_served(endpoint: str, operation: str) -> bool:
    _, body = _post(endpoint, f"PinpointSMSVoiceV2.{operation}", b"null")
    return body.get("__type") != "UnknownOperationException"
