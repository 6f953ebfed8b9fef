"""The provider's own failures: each message is a CloudFormation ``Reason`` a user can act on.

crhelper sends ``str(error)`` as the Reason and, past 256 characters, keeps only the tail; these
messages are written short and front-loaded (what failed, the value, the fix) and are cut at the
head-preserving end here, so the part that matters always survives.
"""

from __future__ import annotations

from typing import Final

from botocore.exceptions import BotoCoreError, ClientError

MAX_REASON_LENGTH: Final = 256
# Added (PEP 678 note) to a failure after which every change already made was put back, so a caller
# can say so without the failure changing type.
EVERY_CHANGE_UNDONE: Final = "every change made before the failure was undone"
# What a call can raise once botocore's retries are spent: an error answer, or no answer at all (a
# dropped connection, a timeout). Every call site catches both, so each Reason names its call.
API_ERRORS: Final = (ClientError, BotoCoreError)
ApiError = ClientError | BotoCoreError


def shorten(message: str, limit: int = MAX_REASON_LENGTH) -> str:
    """``message`` cut to ``limit`` characters, keeping its beginning."""
    return message if len(message) <= limit else message[: limit - 3] + "..."


class PoolProviderError(Exception):
    """A failure whose message is the Reason CloudFormation shows (at most 256 characters)."""

    def __init__(self, message: str) -> None:
        super().__init__(shorten(message))


class PoolPropertyError(PoolProviderError, ValueError):
    """A property value the provider cannot use; raised before any call is made."""


class PoolConflictError(PoolProviderError):
    """The account's state does not allow the change (an identity is taken, protection is on...)."""


class PoolWaitTimeoutError(PoolProviderError):
    """A pool did not reach the wanted state within the time the Lambda has left."""


def error_code(error: ApiError) -> str:
    """The error code ("" when there was no answer)."""
    if not isinstance(error, ClientError):
        return ""
    return str(error.response.get("Error", {}).get("Code", ""))


def error_reason(error: ApiError) -> str:
    """The modeled ``Reason`` member of a Conflict/Validation/ServiceQuota error ("" if none)."""
    if not isinstance(error, ClientError):
        return ""
    return str(error.response.get("Reason", ""))


def error_resource_type(error: ApiError) -> str:
    if not isinstance(error, ClientError):
        return ""
    return str(error.response.get("ResourceType", ""))


def api_failure(
    operation: str, error: ApiError, subject: str = "", *, quote_service: bool = True
) -> PoolProviderError:
    """A short Reason for an API error the provider does not handle itself.

    ``quote_service=False`` leaves out the service's own message, which may quote the request (a
    keyword message, perhaps from a NoEcho parameter); the code and reason still say what failed.
    """
    where = f" for {subject}" if subject else ""
    if not isinstance(error, ClientError):
        text = f": {error}" if quote_service else ""
        return PoolProviderError(f"{operation}{where} failed: {type(error).__name__}{text}")
    code = error_code(error)
    reason = error_reason(error)
    message = str(error.response.get("Error", {}).get("Message", "")) if quote_service else ""
    detail = f"{code} {reason}".strip()
    return PoolProviderError(f"{operation}{where} failed: {detail}" + (f": {message}" if message else "."))
