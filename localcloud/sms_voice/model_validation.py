"""Input validation generated from botocore's own model of ``pinpoint-sms-voice-v2``.

Nothing here is written per operation: required members, types, lengths, list sizes, numeric
ranges, enums and patterns all come from the shapes, exactly as the model states them. Patterns
are matched against the whole value (the service's behaviour; the model's patterns are unanchored).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

import botocore.session
from botocore.model import (
    ListShape,
    MapShape,
    OperationModel,
    ServiceModel,
    Shape,
    StringShape,
    StructureShape,
)

from localcloud.sms_voice.api_errors import ValidationError

SERVICE_NAME = "pinpoint-sms-voice-v2"
_INLINE_FLAGS = re.compile(r"\(\?([aiLmsux]+)\)")


@functools.cache
def service_model() -> ServiceModel:
    return botocore.session.get_session().get_service_model(SERVICE_NAME)


def operation_model(name: str) -> OperationModel | None:
    model = service_model()
    return model.operation_model(name) if name in model.operation_names else None


@functools.cache
def compiled_pattern(pattern: str) -> re.Pattern[str] | None:
    """The model's (Java-flavoured) regex as a Python pattern; None if it cannot be translated.

    Java allows inline flags mid-pattern (``(?i)stop``); Python only at the start, so a mid-pattern
    flag becomes a scoped group covering the rest of its enclosing group.
    """
    for candidate in (pattern, _scope_inline_flags(pattern)):
        try:
            return re.compile(candidate)
        except re.error:
            continue
    return None


def _scope_inline_flags(pattern: str) -> str:
    match = _INLINE_FLAGS.search(pattern)
    if match is None or match.start() == 0:
        return pattern
    rest = pattern[match.end() :]
    depth, end = 0, len(rest)
    for index, char in enumerate(rest):
        if char == "(" and (index == 0 or rest[index - 1] != "\\"):
            depth += 1
        elif char == ")" and (index == 0 or rest[index - 1] != "\\"):
            if depth == 0:
                end = index
                break
            depth -= 1
    return f"{pattern[: match.start()]}(?{match.group(1)}:{rest[:end]}){rest[end:]}"


@dataclass(frozen=True)
class Problem:
    """One failed constraint: the field's path, what is wrong, and the ValidationException reason."""

    field: str
    message: str
    reason: str


def require_valid(operation: OperationModel, params: dict[str, Any]) -> None:
    """Raise the ValidationException the service answers when ``params`` break any of the model's
    constraints for ``operation`` (every problem listed; the first one's reason); else nothing."""
    problems = validate_input(operation, params)
    if problems:
        summary = "; ".join(f"{p.field}: {p.message}" for p in problems)
        raise ValidationError(
            f"{len(problems)} validation error(s) detected: {summary}",
            problems[0].reason,
            [{"Name": p.field, "Message": p.message} for p in problems],
        )


def validate_input(operation: OperationModel, params: Any) -> list[Problem]:
    shape = operation.input_shape
    if shape is None:
        return []
    problems: list[Problem] = []
    _check(shape, params, "", problems)
    return problems


def _check(shape: Shape, value: Any, path: str, problems: list[Problem]) -> None:
    kind = shape.type_name
    checker = _CHECKERS.get(kind)
    if checker is not None:
        checker(shape, value, path, problems)


def _fail(problems: list[Problem], path: str, message: str, reason: str = "FIELD_VALIDATION_FAILED") -> None:
    problems.append(Problem(path or "<body>", message, reason))


def _check_structure(shape: Shape, value: Any, path: str, problems: list[Problem]) -> None:
    assert isinstance(shape, StructureShape)
    if not isinstance(value, dict):
        _fail(problems, path, "Member must be an object")
        return
    for name in shape.required_members:
        if value.get(name) is None:
            _fail(problems, _join(path, name), "Member must not be null", "MISSING_PARAMETER")
    for name, member_value in value.items():
        member = shape.members.get(name)
        if member is None:
            _fail(problems, _join(path, name), "Unknown member", "UNSPECIFIED_PARAMETER_NOT_SUPPORTED")
        elif member_value is not None:
            _check(member, member_value, _join(path, name), problems)


def _check_collection(shape: Shape, value: Any, path: str, problems: list[Problem]) -> None:
    """A list or a map: its type, its length, then every item (and every key of a map)."""
    is_map = isinstance(shape, MapShape)
    assert is_map or isinstance(shape, ListShape)
    if not isinstance(value, dict if is_map else list):
        _fail(problems, path, f"Member must be a {'map' if is_map else 'list'}")
        return
    _check_range(shape, len(value), path, problems, "Member must have length")
    if isinstance(shape, MapShape) and isinstance(value, dict):
        for key, item in value.items():
            _check(shape.key, key, f"{path}.{key}", problems)
            _check(shape.value, item, f"{path}.{key}", problems)
    elif isinstance(shape, ListShape) and isinstance(value, list):
        for index, item in enumerate(value):
            _check(shape.member, item, f"{path}[{index}]", problems)


def _check_string(shape: Shape, value: Any, path: str, problems: list[Problem]) -> None:
    if not isinstance(value, str):
        _fail(problems, path, "Member must be a string")
        return
    enum = shape.enum if isinstance(shape, StringShape) else []
    if enum and value not in enum:
        _fail(problems, path, f"Value {value!r} must be one of: {', '.join(enum)}")
        return
    _check_range(shape, len(value), path, problems, "Member must have length")
    pattern = shape.metadata.get("pattern")
    if pattern:
        compiled = compiled_pattern(pattern)
        if compiled is not None and compiled.fullmatch(value) is None:
            _fail(problems, path, f"Value {value!r} must satisfy regular expression pattern: {pattern}")


def _check_integer(shape: Shape, value: Any, path: str, problems: list[Problem]) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(problems, path, "Member must be an integer")
        return
    _check_range(shape, value, path, problems, "Member must have value")


def _check_boolean(shape: Shape, value: Any, path: str, problems: list[Problem]) -> None:
    if not isinstance(value, bool):
        _fail(problems, path, "Member must be a boolean")


def _check_timestamp(shape: Shape, value: Any, path: str, problems: list[Problem]) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        _fail(problems, path, "Member must be a timestamp")


def _check_range(shape: Shape, size: int, path: str, problems: list[Problem], what: str) -> None:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and size < low:
        _fail(problems, path, f"{what} greater than or equal to {low}")
    elif high is not None and size > high:
        _fail(problems, path, f"{what} less than or equal to {high}")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


_CHECKERS = {
    "structure": _check_structure,
    "list": _check_collection,
    "map": _check_collection,
    "string": _check_string,
    "integer": _check_integer,
    "long": _check_integer,
    "boolean": _check_boolean,
    "timestamp": _check_timestamp,
}
