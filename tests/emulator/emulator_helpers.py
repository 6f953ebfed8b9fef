"""Assertion helpers shared by the emulator's tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError


def api_error(call: Callable[..., Any], **kwargs: Any) -> dict[str, Any]:
    """The parsed error response of a call that must fail (code under "Code", members top level)."""
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    response: dict[str, Any] = raised.value.response
    return {
        "Code": response["Error"]["Code"],
        "HTTPStatus": response["ResponseMetadata"]["HTTPStatusCode"],
        **response,
    }
