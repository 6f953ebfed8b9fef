"""Following NextToken: every call that can answer a page is read to its last page.

The API may page any list answer, an answer to a list of ids included (DescribePhoneNumbers with
``PhoneNumberIds``): an item on a later page is not missing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def all_items(call: Callable[..., Any], items_key: str, **request: Any) -> list[Any]:
    """Every item under ``items_key`` of every page ``call(**request)`` answers."""
    items: list[Any] = []
    token: str | None = None
    while True:
        page: Mapping[str, Any] = call(**request, NextToken=token) if token else call(**request)
        items.extend(page.get(items_key, ()))
        token = page.get("NextToken")
        if not token:
            return items
