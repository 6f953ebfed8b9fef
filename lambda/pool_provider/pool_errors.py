"""The provider's own failures: each message is a CloudFormation ``Reason`` a user can act on.

crhelper sends ``str(error)`` as the Reason and, past 256 characters, keeps only the tail; these
messages are written short and front-loaded (what failed, the value, the fix) and are cut at the
head-preserving end here, so the part that matters always survives.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import TracebackType
from typing import Final, TypeAlias

import contract
from botocore.exceptions import BotoCoreError, ClientError

MAX_REASON_LENGTH: Final = 256
# Added (PEP 678 note) to a failure after which every change already made was put back, so a caller
# can say so without the failure changing type.
EVERY_CHANGE_UNDONE: Final = "every change made before the failure was undone"
# What a call can raise once botocore's retries are spent: an error answer, or no answer at all (a
# dropped connection, a timeout). ApiCall and the entry point catch both, so each Reason names its call.
API_ERRORS: Final = (ClientError, BotoCoreError)
ApiError = ClientError | BotoCoreError
# How to fix an error: the failure to raise instead, or a function of the error that makes it (the
# failure names what the error points at, e.g. which of five identities does not exist).
Fix: TypeAlias = "PoolProviderError | Callable[[ApiError], PoolProviderError]"


def shorten(message: str, limit: int = MAX_REASON_LENGTH) -> str:
    """``message`` cut to ``limit`` characters, keeping its beginning."""
    return message if len(message) <= limit else message[: limit - 3] + "..."


class PoolProviderError(Exception):
    """A failure whose message is the Reason CloudFormation shows (at most 256 characters)."""

    def __init__(self, message: str) -> None:
        super().__init__(shorten(message))


class PoolPropertyError(PoolProviderError, ValueError):
    """A property value the provider cannot use; raised before any call is made."""


@contextmanager
def contract_checks() -> Iterator[None]:
    """Turn the contract's PropertyProblem (the words the construct also uses at synth) into a
    PoolPropertyError, the handler's failure type."""
    try:
        yield
    except contract.PropertyProblem as problem:
        raise PoolPropertyError(str(problem)) from problem


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


def error_names(error: ApiError) -> frozenset[str]:
    """The names a caller may match an error by: its code, its modeled reason, and
    ``"<code>/<resource type>"`` (e.g. ``"ResourceNotFoundException/keyword"``)."""
    code = error_code(error)
    resource_type = error_resource_type(error)
    names = {code, error_reason(error), f"{code}/{resource_type}" if code and resource_type else ""}
    return frozenset(names - {""})


def api_failure(
    operation: str,
    error: ApiError,
    subject: str = "",
    *,
    quote_service: bool = True,
    fixes: Mapping[str, Fix] | None = None,
) -> PoolProviderError:
    """The Reason for an API error the provider does not handle itself: the one translation.

    ``fixes`` maps an error name (see ``error_names``) to the failure that tells the user how to fix
    it (or a function of the error that makes it); that failure is returned instead of the generic
    "<operation> for <subject> failed: ...".
    ``quote_service=False`` leaves out the service's own message, which may quote the request (a
    keyword message, perhaps from a NoEcho parameter); the code and reason still say what failed.
    """
    for name in sorted(error_names(error)):
        if fixes and name in fixes:
            fix = fixes[name]
            return fix if isinstance(fix, PoolProviderError) else fix(error)
    where = f" for {subject}" if subject else ""
    if not isinstance(error, ClientError):
        text = f": {error}" if quote_service else ""
        return PoolProviderError(f"{operation}{where} failed: {type(error).__name__}{text}")
    code = error_code(error)
    reason = error_reason(error)
    message = str(error.response.get("Error", {}).get("Message", "")) if quote_service else ""
    detail = f"{code} {reason}".strip()
    return PoolProviderError(f"{operation}{where} failed: {detail}" + (f": {message}" if message else "."))


@dataclass
class ApiCall:
    """``with ApiCall("TagResource", pool_id): client.tag_resource(...)``: an API error raised in the
    block becomes the Reason ``api_failure`` writes (``operation``, ``subject``, ``fixes``,
    ``quote_service`` as there), chained to the error, or dropped when the service's message may
    quote the request (``quote_service=False``: a NoEcho value would reach the logged traceback).

    ``tolerate``: error names (see ``error_names``) meaning the work is already done (a retried call
    whose first attempt took effect); the error is dropped and the code after the block runs.

    ``expect``: error names the caller acts on itself after the block: ``with ApiCall(..., expect=...)
    as call: ...``, then ``call.expected`` is the error (None: there was none). Nothing else is
    caught.
    """

    operation: str
    subject: str = ""
    tolerate: Collection[str] = ()
    fixes: Mapping[str, Fix] = field(default_factory=dict)
    quote_service: bool = True
    expect: Collection[str] = ()
    expected: ApiError | None = field(default=None, init=False)

    def __enter__(self) -> ApiCall:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        if not isinstance(error, API_ERRORS):
            return False
        if error_names(error) & set(self.tolerate):
            return True
        if error_names(error) & set(self.expect):
            self.expected = error
            return True
        failure = api_failure(
            self.operation, error, self.subject, quote_service=self.quote_service, fixes=self.fixes
        )
        raise failure from (error if self.quote_service else None)
