"""The one translation of an API error into a Reason (pool_errors.ApiCall / api_failure).

The provider tests drive every call site through the emulator; these pin the helper's own rules
(what is tolerated, which fix wins, what is never quoted) on errors shaped as botocore raises them.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError
from pool_errors import ApiCall, PoolConflictError, PoolProviderError, api_failure, error_names

SECRET = "reply STOP to end; code 4711"


def _client_error(code: str, message: str = "", **extra: str) -> ClientError:
    response: Any = {"Error": {"Code": code, "Message": message}, **extra}
    return ClientError(response, "AnyOperation")


def test_error_names_are_code_reason_and_code_with_resource_type() -> None:
    error = _client_error("ResourceNotFoundException", ResourceType="keyword", Reason="X")
    assert error_names(error) == {"ResourceNotFoundException", "X", "ResourceNotFoundException/keyword"}
    assert error_names(EndpointConnectionError(endpoint_url="https://x")) == frozenset()


def test_a_tolerated_error_lets_the_code_after_the_block_run() -> None:
    with ApiCall("DeleteKeyword", "HELLO", tolerate=("ResourceNotFoundException/keyword",)) as call:
        raise _client_error("ResourceNotFoundException", ResourceType="keyword")
    # Reached only if the error was dropped (an escaping one fails the test); a tolerated error is
    # the work already done, not one handed to the caller to act on.
    assert call.expected is None


def test_an_error_tolerated_only_for_another_resource_type_is_a_reason() -> None:
    with (
        pytest.raises(PoolProviderError) as raised,
        ApiCall("DeleteKeyword", "HELLO", tolerate=("ResourceNotFoundException/keyword",)),
    ):
        raise _client_error("ResourceNotFoundException", "no pool", ResourceType="pool")
    assert str(raised.value) == "DeleteKeyword for HELLO failed: ResourceNotFoundException: no pool"
    assert isinstance(raised.value.__cause__, ClientError)


def test_a_known_reason_raises_its_fix_instead_of_the_generic_reason() -> None:
    fix = PoolConflictError("Add another phone number first.")
    with (
        pytest.raises(PoolConflictError) as raised,
        ApiCall("DisassociateOriginationIdentity", "phone-1", fixes={"LAST_PHONE_NUMBER": fix}),
    ):
        raise _client_error("ConflictException", "last one", Reason="LAST_PHONE_NUMBER")
    assert raised.value is fix
    assert isinstance(raised.value.__cause__, ClientError)


def test_quote_service_false_keeps_the_message_out_of_the_reason_and_the_chain() -> None:
    with pytest.raises(PoolProviderError) as raised, ApiCall("PutKeyword", "HELLO", quote_service=False):
        raise _client_error("ValidationException", f"bad message: {SECRET}", Reason="FIELD_VALIDATION_FAILED")
    assert str(raised.value) == "PutKeyword for HELLO failed: ValidationException FIELD_VALIDATION_FAILED."
    assert raised.value.__cause__ is None
    assert raised.value.__suppress_context__


def test_no_answer_names_the_error_type_and_other_exceptions_pass_through() -> None:
    failure = api_failure("CreatePool", EndpointConnectionError(endpoint_url="https://x"), "ACME")
    assert str(failure).startswith("CreatePool for ACME failed: EndpointConnectionError: ")
    with pytest.raises(KeyError), ApiCall("TagResource", "pool-1"):
        raise KeyError("not an API error")


def test_a_fix_made_from_the_error_names_what_the_error_points_at() -> None:
    def missing(error: Any) -> PoolProviderError:
        return PoolProviderError(f"{error.response['ResourceId']} does not exist.")

    with (
        pytest.raises(PoolProviderError) as raised,
        ApiCall("DescribePhoneNumbers", "phone-1, phone-2", fixes={"ResourceNotFoundException": missing}),
    ):
        raise _client_error("ResourceNotFoundException", ResourceId="phone-2")
    assert str(raised.value) == "phone-2 does not exist."
    assert isinstance(raised.value.__cause__, ClientError)


def test_an_expected_error_is_kept_for_the_code_after_the_block_and_others_still_raise() -> None:
    with ApiCall("DeletePool", "pool-1", expect=("RESOURCE_NOT_ACTIVE",)) as call:
        raise _client_error("ConflictException", Reason="RESOURCE_NOT_ACTIVE")
    assert call.expected is not None and "RESOURCE_NOT_ACTIVE" in error_names(call.expected)
    with ApiCall("DeletePool", "pool-1", expect=("RESOURCE_NOT_ACTIVE",)) as call:
        pass
    assert call.expected is None
    with (
        pytest.raises(PoolProviderError, match="DeletePool for pool-1 failed: ConflictException OTHER"),
        ApiCall("DeletePool", "pool-1", expect=("RESOURCE_NOT_ACTIVE",)),
    ):
        raise _client_error("ConflictException", Reason="OTHER")
