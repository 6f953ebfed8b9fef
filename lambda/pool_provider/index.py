"""Lambda entry point of ``Custom::SmsVoicePool``: crhelper wiring only; the logic is in pool_*.py.

Properties (CloudFormation delivers every scalar as a string): the same names and shapes as
``AWS::SMSVOICE::Pool`` - OriginationIdentities (required; ids or ARNs), MandatoryKeywords,
OptionalKeywords, DeletionProtectionEnabled, OptOutListName, SelfManagedOptOutsEnabled,
SharedRoutesEnabled, TwoWay, Tags - plus MessageType and IsoCountryCode (derived from the first
identity when omitted; changing either replaces the pool). The PhysicalResourceId is the PoolId;
every SUCCESS carries the attributes in ``contract.ATTRIBUTES`` as strings. docs/reference.md has
the full table.

Flow: event -> parse (pool_properties) -> read state (pool_state) -> plan (pool_planner) -> apply
(pool_apply) -> answer; Create, Update (with replacement) and Delete live in pool_create,
pool_update and pool_delete, and the idempotent making of a new pool they share in pool_build.

Why flat ``pool_*`` modules and not a package: the asset root is this directory and the function's
handler is ``index.handler``; the handler modules import one another by flat name, the construct
ships and loads them (``contract``) from the same root, and every test imports them through the
``lambda/pool_provider`` pythonpath entry. A package would change every import in the handler, the
construct and the tests for no behaviour, so the ``pool_`` prefix stays as the namespace.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import boto3
import crhelper.resource_helper
from crhelper import CfnResource


class _ClientOnFirstUse:
    """A boto3 client that is built the first time one of its attributes is used.

    crhelper builds ``lambda``, ``events`` and ``logs`` clients in ``CfnResource.__init__`` for its
    polling, which this provider never registers; building them costs about 150 ms and 16 MiB of
    every cold start. Built on first use instead, crhelper behaves exactly as before.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._args = args
        self._kwargs = kwargs
        self._client: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._client is None:
            self._client = boto3.client(*self._args, **self._kwargs)
        return getattr(self._client, name)


class _Boto3WithLazyClients:
    """What crhelper's module sees as ``boto3`` while CfnResource is built."""

    client = _ClientOnFirstUse


def _cfn_resource(**options: Any) -> CfnResource:
    """crhelper's CfnResource, unchanged except that its unused clients are not built yet."""
    # crhelper's stubs do not declare its module's boto3 global; its namespace is a plain dict.
    crhelper_globals = vars(crhelper.resource_helper)
    real_boto3 = crhelper_globals["boto3"]
    crhelper_globals["boto3"] = _Boto3WithLazyClients  # only .client is used
    try:
        return CfnResource(**options)
    finally:
        crhelper_globals["boto3"] = real_boto3


helper = _cfn_resource(json_logging=True, log_level="INFO", boto_level="ERROR", sleep_on_delete=5)
logger = logging.getLogger(__name__)

try:
    import contract
    from contract import Home
    from pool_adoption import (
        adopt_pool_resource,
        check_adopt_pool_id_change,
        not_adopted_id,
        parse_adopt_pool_id,
    )
    from pool_build import request_create_token
    from pool_client import make_client
    from pool_create import create_pool_resource
    from pool_delete import delete_pool_resource
    from pool_errors import API_ERRORS, PoolProviderError, api_failure, shorten
    from pool_properties import OldProperties, lenient_flag, parse_pool_properties
    from pool_update import update_pool_resource
    from pool_waiter import TimeBudget
except Exception as init_error:  # any import failure must answer FAILED, never hang the stack
    helper.init_failure(init_error)


def _short_failure(error: Exception, operation: str) -> PoolProviderError:
    """A Reason that starts with what matters; crhelper would keep only the tail of a long one."""
    if isinstance(error, PoolProviderError):
        return error
    if isinstance(error, API_ERRORS):
        return api_failure(operation, error)
    return PoolProviderError(shorten(f"{operation} failed unexpectedly: {type(error).__name__}: {error}"))


def _properties(event: Mapping[str, Any]) -> Mapping[str, object]:
    properties = event.get("ResourceProperties") or {}
    return properties if isinstance(properties, Mapping) else {}


def _remember_pool_id(pool_id: str) -> None:
    # A FAILED or timed-out answer must carry the real id, so CloudFormation's rollback Delete
    # finds (and deletes) a pool that could not be cleaned up in time.
    helper.PhysicalResourceId = pool_id


@helper.create
def create(event: Mapping[str, Any], context: Any) -> str:
    try:
        home = Home.of_stack(event.get("StackId"))
        desired = parse_pool_properties(_properties(event), home)
        create_token = request_create_token(event)
        adopt = parse_adopt_pool_id(_properties(event), home)
        budget = TimeBudget.for_invocation(context)
        if adopt is not None:
            # Every answer but SUCCESS must not name the pool: the rollback Delete would delete it.
            helper.PhysicalResourceId = not_adopted_id(adopt)
            outcome = adopt_pool_resource(make_client(budget), desired, adopt, create_token, budget)
        else:
            outcome = create_pool_resource(
                make_client(budget), desired, create_token, budget, _remember_pool_id
            )
    except Exception as error:
        raise _short_failure(error, "Create") from error
    helper.Data.update(outcome.attributes)
    logger.info("%s pool %s", "Adopted" if adopt else "Created", outcome.pool_id)
    return outcome.pool_id


@helper.update
def update(event: Mapping[str, Any], context: Any) -> str:
    pool_id = str(event["PhysicalResourceId"])
    # Until the update answers, any answer (even crhelper's timeout answer) names the current pool.
    helper.PhysicalResourceId = pool_id
    try:
        home = Home.of_stack(event.get("StackId"))
        desired = parse_pool_properties(_properties(event), home)
        old = event.get("OldResourceProperties")
        check_adopt_pool_id_change(_properties(event), old if isinstance(old, Mapping) else {}, pool_id, home)
        budget = TimeBudget.for_invocation(context)
        outcome = update_pool_resource(
            make_client(budget),
            desired,
            pool_id,
            request_create_token(event),
            budget,
            old=OldProperties.of(old),
        )
    except Exception as error:
        raise _short_failure(error, "Update") from error
    helper.Data.update(outcome.attributes)
    if outcome.pool_id != pool_id:
        logger.info("Replaced pool %s with %s", pool_id, outcome.pool_id)
    return outcome.pool_id


@helper.delete
def delete(event: Mapping[str, Any], context: Any) -> None:
    physical_id = str(event.get("PhysicalResourceId", ""))
    helper.PhysicalResourceId = physical_id
    try:
        budget = TimeBudget.for_invocation(context)
        protected = _properties(event).get(contract.DELETION_PROTECTION_ENABLED)
        delete_pool_resource(
            make_client(budget),
            physical_id,
            budget,
            home=Home.of_stack(event.get("StackId")),
            # Read leniently: a Delete must work whatever the template held (a failed Create's, too).
            template_protected=lenient_flag(protected),
        )
    except Exception as error:
        raise _short_failure(error, "Delete") from error


def handler(event: dict[str, Any], context: Any) -> None:
    """The Lambda handler CloudFormation invokes (through the function's ServiceToken)."""
    helper(event, context)
