"""docs/api.md, rendered from the package's docstrings: ``python -m tests.cdk.api_reference`` rewrites it
(``make api-doc``); tests/cdk/test_api_reference.py fails when it is out of date or a public name
has no docstring."""

from __future__ import annotations

import dataclasses
import enum
import inspect
from pathlib import Path

import cdk_sms_voice_pool

API_DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"

HEADER = """# `cdk_sms_voice_pool` API reference

Generated from the docstrings by `make api-doc` (a test fails when this page is out of date). Install:
see the [README](../README.md#use-it-in-your-own-cdk-app-one-install-one-import); the resource's
properties and attributes: [reference.md](reference.md); frozen names: [CHANGELOG.md](../CHANGELOG.md).
"""


def public_members(cls: type) -> list[tuple[str, object]]:
    """The class's own public methods and properties, in source order."""
    members = []
    for name, member in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(member, property | classmethod | staticmethod) or inspect.isfunction(member):
            members.append((name, member))
    return members


def doc(obj: object) -> str:
    """``obj``'s own docstring, cleaned; "" when it has none of its own. ``inspect.getdoc`` would hand
    an Enum its base class's docstring and a method the one it overrides, and a dataclass always has
    the signature ``dataclasses`` writes when the class has no docstring: none of these documents it."""
    text = vars(obj).get("__doc__") if inspect.isclass(obj) else getattr(obj, "__doc__", None)
    if not isinstance(text, str) or not text.strip():
        return ""
    if inspect.isclass(obj) and dataclasses.is_dataclass(obj):
        generated = f"{obj.__name__}{inspect.signature(obj)}".removesuffix(" -> None")
        if text.strip() == generated:
            return ""
    return inspect.cleandoc(text)


def signature(name: str, function: object) -> str:
    target = function.__func__ if isinstance(function, classmethod | staticmethod) else function
    assert callable(target)
    text = str(inspect.signature(target))
    for receiver, bare in (("(self, ", "("), ("(cls, ", "("), ("(self)", "()")):
        text = text.replace(receiver, bare)
    return f"{name}{text}"


def render_class(name: str, cls: type) -> list[str]:
    lines = [f"## `{name}`", "", doc(cls), ""]
    if issubclass(cls, enum.Enum):
        lines += [", ".join(f"`{member.name}`" for member in cls), ""]
        return lines
    init = vars(cls).get("__init__")
    if init is not None and not getattr(cls, "__dataclass_fields__", None):
        lines += ["```python", signature(name, init), "```", "", doc(init), ""]
    elif getattr(cls, "__dataclass_fields__", None):
        lines += ["```python", f"{name}{inspect.signature(cls)}", "```", ""]
    for member_name, member in public_members(cls):
        if isinstance(member, property):
            lines += [f"### `{name}.{member_name}` (property)", "", doc(member), ""]
        else:
            lines += [f"### `{name}.{signature(member_name, member)}`", "", doc(member), ""]
    return lines


def render() -> str:
    lines = [HEADER]
    for name in cdk_sms_voice_pool.__all__:
        obj = getattr(cdk_sms_voice_pool, name)
        if inspect.isclass(obj):
            lines += render_class(name, obj)
        else:
            lines += [f"## `{name}`", "", f"`{obj!r}`", ""]
    return "\n".join(lines).rstrip() + "\n"


def undocumented() -> list[str]:
    """Public names (classes, their methods and properties) without a docstring."""
    missing = []
    for name in cdk_sms_voice_pool.__all__:
        obj = getattr(cdk_sms_voice_pool, name)
        if not inspect.isclass(obj):
            continue
        if not doc(obj):
            missing.append(name)
        missing += [f"{name}.{member}" for member, value in public_members(obj) if not doc(value)]
    return missing


if __name__ == "__main__":
    API_DOC.write_text(render())
    print(f"wrote {API_DOC}")
