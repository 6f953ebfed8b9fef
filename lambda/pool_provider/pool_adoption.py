"""``AdoptPoolId``: a Create that takes over an existing pool instead of calling CreatePool.

Pre-flight, before any change: the pool exists and is ACTIVE; no other ``Custom::SmsVoicePool``
manages it (the provider's create-token tag names another request); ``MessageType`` and
``IsoCountryCode``, when given, are the pool's (they never change); every identity can be in it.
Then the pool converges to the template exactly as an Update converges it (the same checks and the
same minimal calls), and LAST it is marked as managed: the create-token tag with this request's
token (so a repeated delivery of the same Create adopts it once) and the country tag.

A failed adoption never deletes the pool: no path here calls DeletePool, and the FAILED answer's
PhysicalResourceId is ``not-adopted:<pool id>``, which the rollback Delete ignores. The Reason says
whether anything was changed, and which calls were made. The pool stays unmarked, so fixing the
template and deploying again adopts it.
"""

from __future__ import annotations

import contextlib
import logging
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final

import contract
from contract import Home
from pool_apply import tag
from pool_build import COUNTRY_TAG_KEY, CREATE_TOKEN_TAG_KEY, PoolOutcome
from pool_errors import (
    EVERY_CHANGE_UNDONE,
    PoolConflictError,
    PoolPropertyError,
    PoolProviderError,
    contract_checks,
)
from pool_planner import ActualPool
from pool_properties import PoolProperties
from pool_update import converge_pool, pool_country, read_existing_pool
from pool_waiter import TimeBudget

if TYPE_CHECKING:
    from mypy_boto3_pinpoint_sms_voice_v2 import PinpointSMSVoiceV2Client

logger = logging.getLogger(__name__)

# botocore's events before every call of this client, and after every answered one (the operation
# name is appended; a handler registered on the prefix gets them all).
_BEFORE_CALL_EVENT: Final = "before-call.pinpoint-sms-voice-v2"
_AFTER_CALL_EVENT: Final = "after-call.pinpoint-sms-voice-v2"
_READ_ONLY_PREFIXES: Final = ("Describe", "List")


def parse_adopt_pool_id(raw: Mapping[str, object], home: Home | None) -> str | None:
    """The id of the pool ``AdoptPoolId`` names (given as id or ARN), or None when it is not set.

    An ARN must name the stack's own partition, account and Region (read from the StackId): a pool
    elsewhere is never taken for a local one. Raises PoolPropertyError, before any call.
    """
    if contract.ADOPT_POOL_ID not in raw:
        return None
    with contract_checks():
        return contract.read_pool_id(contract.ADOPT_POOL_ID, raw[contract.ADOPT_POOL_ID], home)


def not_adopted_id(pool_id: str) -> str:
    """The PhysicalResourceId of a failed adoption: names the pool for people, never for Delete."""
    return f"{contract.NOT_ADOPTED_ID_PREFIX}{pool_id}"


def check_adopt_pool_id_change(
    new_raw: Mapping[str, object], old_raw: Mapping[str, object], physical_id: str, home: Home | None
) -> None:
    """Refuse, before any change, an Update that makes ``AdoptPoolId`` name another pool.

    A pool is adopted only at Create. Removing the property, or writing the managed pool's id in
    another form, changes nothing. A rollback Update (the properties swapped) must always pass: its
    value names the managed pool again, or the old value had stopped naming it already (the pool
    was replaced since), and then no value is refused.
    """
    new = parse_adopt_pool_id(new_raw, home)
    if new is None or new == physical_id:
        return
    try:
        old = parse_adopt_pool_id(old_raw, home)
    except PoolPropertyError:
        old = ""  # a value refused before (this is its rollback): names no pool
    if old == new:
        return
    if old is not None and old != physical_id:
        logger.warning(
            "%s changed to %s while the resource manages %s; it only matters at Create, nothing to do",
            contract.ADOPT_POOL_ID,
            new,
            physical_id,
        )
        return
    raise PoolPropertyError(
        f"{contract.ADOPT_POOL_ID} cannot change to {new}: this resource manages {physical_id} (a pool is "
        f"adopted only at create). Remove {contract.ADOPT_POOL_ID}, or replace the resource (new logical "
        "id) to adopt it."
    )


class _ChangeLog:
    """The mutating calls made while registered on a client: attempted, and answered with success."""

    def __init__(self) -> None:
        self.attempted: list[str] = []
        self.done: list[str] = []

    @staticmethod
    def _mutating(model: Any) -> str | None:
        name = str(getattr(model, "name", ""))
        return None if name.startswith(_READ_ONLY_PREFIXES) else name

    def before(self, model: Any, **_: Any) -> None:
        name = self._mutating(model)
        if name is not None:
            self.attempted.append(name)

    def after(self, http_response: Any, model: Any, **_: Any) -> None:
        name = self._mutating(model)
        if name is not None and int(getattr(http_response, "status_code", 500)) < 300:
            self.done.append(name)

    def summary(self) -> str:
        counts = Counter(self.done)
        return ", ".join(f"{name} x{count}" if count > 1 else name for name, count in counts.items())


def _check_pool(desired: PoolProperties, actual: ActualPool, message_type: str, token: str) -> None:
    """Refuse a pool another resource manages, or of another message type or country."""
    pool_id, country = actual.pool_id, pool_country(actual)
    owner = actual.tags.get(CREATE_TOKEN_TAG_KEY)
    if owner is not None and owner != token:
        raise PoolConflictError(
            f"{contract.ADOPT_POOL_ID} {pool_id} is managed by another {contract.RESOURCE_TYPE} (tag "
            f"{CREATE_TOKEN_TAG_KEY}). Remove it from that stack (retain it) and remove the tag, then retry."
        )
    if desired.message_type is not None and desired.message_type != message_type:
        raise PoolPropertyError(
            f"{contract.MESSAGE_TYPE} {desired.message_type} is not the {message_type} of pool {pool_id}, "
            f"which cannot change; set {contract.MESSAGE_TYPE} to {message_type} or remove it."
        )
    if desired.iso_country_code is not None and desired.iso_country_code != country:
        raise PoolPropertyError(
            f"{contract.ISO_COUNTRY_CODE} {desired.iso_country_code} is not the country {country} of pool "
            f"{pool_id}, which cannot change; set {contract.ISO_COUNTRY_CODE} to {country} or remove it."
        )


@contextlib.contextmanager
def _failures_say_what_changed(client: PinpointSMSVoiceV2Client, pool_id: str) -> Iterator[None]:
    """Re-raise a failure with a Reason that says whether (and which) mutating calls were made."""
    changes = _ChangeLog()
    events = client.meta.events
    events.register(_BEFORE_CALL_EVENT, changes.before)
    events.register(_AFTER_CALL_EVENT, changes.after)
    try:
        yield
    except Exception as failure:
        known = isinstance(failure, PoolProviderError)
        cause = str(failure) if known else f"{type(failure).__name__}: {failure}"
        error_type = type(failure) if known else PoolProviderError
        if not changes.attempted:
            raise error_type(f"Not adopted, nothing changed: {cause}") from failure
        if EVERY_CHANGE_UNDONE in getattr(failure, "__notes__", ()):
            logger.error("Adopting pool %s failed; every change was undone", pool_id)
            raise error_type(f"Not adopted, every change undone (pool as it was): {cause}") from failure
        done = f"{len(changes.done)} change(s)" + (f" ({changes.summary()})" if changes.done else "")
        logger.error("Adopting pool %s failed after %s", pool_id, done)
        raise error_type(f"Not adopted (pool kept, unmanaged) after {done}: {cause}") from failure
    finally:
        events.unregister(_BEFORE_CALL_EVENT, changes.before)
        events.unregister(_AFTER_CALL_EVENT, changes.after)


def adopt_pool_resource(
    client: PinpointSMSVoiceV2Client,
    desired: PoolProperties,
    pool_id: str,
    create_token: str,
    budget: TimeBudget,
) -> PoolOutcome:
    """Adopt pool ``pool_id`` (see the module docstring); on failure the pool is kept and unmarked."""
    with _failures_say_what_changed(client, pool_id):
        existing = read_existing_pool(client, pool_id, budget)
        if existing is None:
            raise PoolPropertyError(
                f"{contract.ADOPT_POOL_ID} {pool_id} does not exist in this account and Region (or is being "
                "deleted); check the pool id."
            )
        facts, actual = existing
        if facts.status != "ACTIVE":
            raise PoolConflictError(
                f"{contract.ADOPT_POOL_ID} {pool_id} is {facts.status}, not ACTIVE; retry later."
            )
        _check_pool(desired, actual, facts.message_type, create_token)
        outcome = converge_pool(
            client, desired, facts, actual, create_token=create_token, budget=budget, may_replace=False
        )
        mark = {
            CREATE_TOKEN_TAG_KEY: create_token,
            COUNTRY_TAG_KEY: outcome.attributes[contract.ATTR_ISO_COUNTRY_CODE],
        }
        if any(actual.tags.get(key) != value for key, value in mark.items()):
            budget.check(f"marking pool {pool_id} as managed")
            tag(client, pool_id, facts.pool_arn, mark)
    logger.info("Adopted pool %s", pool_id)
    return outcome
