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


def associate_error(client: Any, pool_id: str, identity: str, **more: Any) -> dict[str, Any]:
    """The error of an AssociateOriginationIdentity of ``identity`` with the pool that must fail."""
    return api_error(
        client.associate_origination_identity, PoolId=pool_id, OriginationIdentity=identity, **more
    )


def disassociate_error(client: Any, pool_id: str, identity: str) -> dict[str, Any]:
    """The error of a DisassociateOriginationIdentity of ``identity`` from the pool that must fail."""
    return api_error(client.disassociate_origination_identity, PoolId=pool_id, OriginationIdentity=identity)
