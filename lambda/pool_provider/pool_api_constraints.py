"""The service's own constraints on every template value the provider sends, read from botocore's model.

Each template value that reaches an API call is checked, before the first call, against the shape of
the member it is sent as: its length, its pattern (matched against the whole value, as the service
does; the model's patterns are unanchored), its enum. The constraints come from botocore's copy of
the service model, so none is written twice and none can be missed: ``TEMPLATE_MEMBERS`` names the
member behind every property path, and a test walks every string member of the operations the
provider calls to prove each one is either listed here or never comes from a template. The
contract carries a copy (``contract.MODEL_CONSTRAINTS``, for the construct's synth checks, which run
without botocore); a test proves it equal to what this module reads.
"""

from __future__ import annotations

import functools
from typing import Final

import botocore.session
import contract
from botocore.model import ListShape, ServiceModel, Shape, StringShape, StructureShape
from contract import Constraint

SERVICE_NAME: Final = "pinpoint-sms-voice-v2"

# Operation -> {property path (``[]``: any list index) -> the member path its value is sent as}.
# Where a value goes to several calls (an identity to CreatePool and to AssociateOriginationIdentity),
# those members have the same shape; the test checks that too.
_SENT_AS: Final = {
    "AssociateOriginationIdentity": {"OriginationIdentities[]": "OriginationIdentity"},
    "PutKeyword": {
        **{
            f"{contract.MANDATORY_KEYWORDS}.{name}.Message": "KeywordMessage"
            for name in contract.MANDATORY_KEYWORD_NAMES
        },
        "OptionalKeywords[].Keyword": "Keyword",
        "OptionalKeywords[].Message": "KeywordMessage",
        "OptionalKeywords[].Action": "KeywordAction",
    },
    "UpdatePool": {
        "OptOutListName": "OptOutListName",
        "TwoWay.ChannelArn": "TwoWayChannelArn",
        "TwoWay.ChannelRole": "TwoWayChannelRole",
    },
    "TagResource": {"Tags[].Key": "Tags[].Key", "Tags[].Value": "Tags[].Value"},
    "CreatePool": {"MessageType": "MessageType", "IsoCountryCode": "IsoCountryCode"},
}
# Property path -> (operation, member path): the member behind every template value sent.
TEMPLATE_MEMBERS: Final = {
    path: (operation, member) for operation, members in _SENT_AS.items() for path, member in members.items()
}


@functools.cache
def service_model() -> ServiceModel:
    """botocore's model of the service (loaded once per container, on first use)."""
    return botocore.session.get_session().get_service_model(SERVICE_NAME)


def member_shape(operation: str, member_path: str) -> Shape:
    """The shape of ``member_path`` (``Tags[].Key``) in ``operation``'s input."""
    input_shape = service_model().operation_model(operation).input_shape
    assert input_shape is not None, f"{operation} has no input"
    shape: Shape = input_shape
    for part in member_path.split("."):
        name = part.removesuffix("[]")
        assert isinstance(shape, StructureShape), f"{operation}.{member_path}: {part} is not in a structure"
        shape = shape.members[name]
        if part.endswith("[]"):
            assert isinstance(shape, ListShape), f"{operation}.{member_path}: {name} is not a list"
            shape = shape.member
    return shape


@functools.cache
def constraint_for(property_path: str) -> Constraint:
    """The constraint of the member a template's ``property_path`` (``Tags[].Key``) is sent as."""
    shape = member_shape(*TEMPLATE_MEMBERS[property_path])
    metadata = shape.metadata
    return Constraint(
        shape_name=shape.name,
        min_length=metadata.get("min"),
        max_length=metadata.get("max"),
        pattern=metadata.get("pattern"),
        enum=tuple(shape.enum) if isinstance(shape, StringShape) else (),
    )


def model_problem(property_path: str, value: str) -> str | None:
    """What the service would refuse in ``value`` given for ``property_path``; None if nothing."""
    return constraint_for(property_path).problem(value)
