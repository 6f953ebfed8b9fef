"""Resolve the few intrinsics example templates use, as CloudFormation would, to test their properties."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_NO_VALUE = object()
IMPORTED_SERVICE_TOKEN = "arn:aws:lambda:us-east-1:111122223333:function:provider"


def resolve(
    value: Any,
    parameters: Mapping[str, Any],
    conditions: Mapping[str, bool],
    attributes: Mapping[tuple[str, str], str] | None = None,
) -> Any:
    """``value`` with Ref (parameters and resources, from ``parameters``), Fn::If, Fn::GetAtt (from
    ``attributes``) and Fn::ImportValue resolved; ``AWS::NoValue`` drops the key or list item."""
    if isinstance(value, list):
        items = [resolve(item, parameters, conditions, attributes) for item in value]
        return [item for item in items if item is not _NO_VALUE]
    if not isinstance(value, dict):
        return value
    if len(value) == 1 and next(iter(value)) in _INTRINSICS:
        return _intrinsic(value, parameters, conditions, attributes)
    resolved = {key: resolve(item, parameters, conditions, attributes) for key, item in value.items()}
    return {key: item for key, item in resolved.items() if item is not _NO_VALUE}


_INTRINSICS = ("Ref", "Fn::If", "Fn::GetAtt", "Fn::ImportValue")


def _intrinsic(
    value: dict[str, Any],
    parameters: Mapping[str, Any],
    conditions: Mapping[str, bool],
    attributes: Mapping[tuple[str, str], str] | None,
) -> Any:
    [(name, argument)] = value.items()
    if name == "Ref":
        return _NO_VALUE if argument == "AWS::NoValue" else parameters[argument]
    if name == "Fn::If":
        condition, when_true, when_false = argument
        return resolve(when_true if conditions[condition] else when_false, parameters, conditions, attributes)
    if name == "Fn::GetAtt":
        return (attributes or {})[tuple(argument)]
    return IMPORTED_SERVICE_TOKEN  # Fn::ImportValue: the only export is the provider's ServiceToken
