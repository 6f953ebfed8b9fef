"""Every public name of the package is documented, and docs/api.md says what the docstrings say."""

from __future__ import annotations

from tests.cdk.api_reference import API_DOC, render, undocumented


def test_every_public_class_method_and_property_has_a_docstring() -> None:
    assert undocumented() == []


def test_api_page_is_generated_from_the_current_docstrings() -> None:
    assert API_DOC.read_text() == render(), "docs/api.md is out of date: run `make api-doc`"
