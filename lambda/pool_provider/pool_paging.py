"""Reading every page: each list call goes through botocore's own paginator for its operation.

The API may page any list answer, an answer to a list of ids included (DescribePhoneNumbers with
``PhoneNumberIds``): an item on a later page is not missing. botocore's paginator follows NextToken
with exactly the calls a hand-written loop would make (one per page), and refuses a service that
answers the same NextToken twice instead of looping forever.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any


def all_items(
    paginate: Callable[..., Iterable[Mapping[str, Any]]], items_key: str, **request: Any
) -> list[Any]:
    """Every item under ``items_key`` of every page ``paginate(**request)`` answers.

    ``paginate`` is a paginator's method, e.g. ``client.get_paginator("describe_keywords").paginate``.
    """
    return [item for page in paginate(**request) for item in page.get(items_key, ())]
