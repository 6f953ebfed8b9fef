"""Making a new pool, idempotently: shared by Create and by an Update that replaces the pool.

Everything is checked before CreatePool. A repeated delivery of the same CloudFormation request
finds the pool an earlier delivery made (by the provider's create-token tag) instead of making a
second one. After CreatePool succeeds, any failure deletes the new pool again before the error is
raised (no orphans).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, cast

import contract
from botocore.exceptions import ClientError
from pool_apply import apply_plan
from pool_errors import (
    ApiCall,
    PoolConflictError,
    PoolPropertyError,
    PoolProviderError,
    error_code,
    error_resource_type,
)
from pool_identities import Identity, check_usable, describe_identities
from pool_planner import ActualPool, desired_settings, plan_pool
from pool_preflight import (
    DesiredIdentities,
    check_free,
    check_joins,
    check_opt_out_list,
    derive_message_type,
    resolve_identities,
    seed_settings,
)
from pool_properties import Keyword, PoolProperties
from pool_state import PoolFacts, list_keywords, list_tags, read_pool
from pool_waiter import TimeBudget, describe_pool, is_settled, wait_for_pool

if TYPE_CHECKING:
    from mypy_boto3_pinpoint_sms_voice_v2 import PinpointSMSVoiceV2Client
    from mypy_boto3_pinpoint_sms_voice_v2.literals import MessageTypeType
    from mypy_boto3_pinpoint_sms_voice_v2.type_defs import CreatePoolRequestTypeDef, TagTypeDef

logger = logging.getLogger(__name__)


# The provider's own tags (users may not set keys with contract.RESERVED_TAG_PREFIX): which request created
# the pool (a repeated delivery of that request adopts the pool instead of making a second one),
# and the pool's country, which DescribePools does not report.
CREATE_TOKEN_TAG_KEY: Final = f"{contract.RESERVED_TAG_PREFIX}create-token"
COUNTRY_TAG_KEY: Final = f"{contract.RESERVED_TAG_PREFIX}iso-country-code"
# A ClientToken the service already answered for a pool that is gone since (a retried deployment
# reuses its RequestId) is replayed with a derived token; a few tries are plenty.
MAX_CREATE_TOKEN_TRIES: Final = 3


def request_create_token(event: Mapping[str, Any]) -> str:
    """The create-token of one CloudFormation request on one resource (its StackId,
    LogicalResourceId and RequestId): 64 hex characters, a valid ClientToken, the same for every
    delivery of that request."""
    text = f"{event['StackId']}\n{event['LogicalResourceId']}\n{event['RequestId']}"
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class PoolOutcome:
    pool_id: str
    attributes: dict[str, str]


def _made_by_request(client: PinpointSMSVoiceV2Client, member: Identity, pool_id: str, token: str) -> bool:
    """Whether pool ``pool_id`` (beside ``member``) carries this request's create-token tag."""
    tags = list_tags(client, contract.arn_beside(member.arn, f"pool/{pool_id}"))
    return tags.get(CREATE_TOKEN_TAG_KEY) == token


def _find_own_pool(
    client: PinpointSMSVoiceV2Client, identities: DesiredIdentities, token: str, exclude: Sequence[str]
) -> str | None:
    """A pool an earlier delivery of this same request created: it holds one of our phone numbers."""
    checked: set[str] = set(exclude)
    for identity in identities.looked_up.values():
        pool_id = identity.pool_id
        if pool_id is None or pool_id in checked:
            continue
        checked.add(pool_id)
        if _made_by_request(client, identity, pool_id, token):
            logger.info("Adopting pool %s created by an earlier delivery of this request", pool_id)
            return pool_id
    return None


def _keywords_unless_gone(client: PinpointSMSVoiceV2Client, pool_id: str) -> dict[str, Keyword] | None:
    try:
        return list_keywords(client, pool_id)
    except PoolProviderError as failure:
        if isinstance(failure.__cause__, ClientError) and error_resource_type(failure.__cause__) == "pool":
            return None
        raise


def _unsure(failure: PoolProviderError) -> bool:
    """Whether a failed call may have taken effect: no answer, a 5xx, or throttling after retries.

    Any other error answer is the last of botocore's attempts, each with the same ClientToken: an
    earlier attempt that took effect would have made it answer with that pool instead.
    """
    error = failure.__cause__
    if not isinstance(error, ClientError):
        return True
    status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 500))
    return status >= 500 or error_code(error) == "ThrottlingException"


def _pool_made_despite(
    client: PinpointSMSVoiceV2Client,
    seed: Identity,
    token: str,
    request: CreatePoolRequestTypeDef,
    failure: PoolProviderError,
) -> Mapping[str, Any] | None:
    """The pool a failed CreatePool made anyway (an attempt took effect, its answer was lost), if any.

    A seed phone number names its pool, which is ours if it carries this request's create token. A
    sender ID is in no single pool: CreatePool is replayed with the same ClientToken, which answers
    with the pool made before, if any. Raises ``failure`` (saying a pool may be left) when the
    service cannot be asked.
    """
    try:
        if seed.is_phone_number:
            pool_id = describe_identities(client, [seed.ref], None)[seed.ref].pool_id
            if not pool_id or not _made_by_request(client, seed, pool_id, token):
                return None
            info = describe_pool(client, pool_id)
            logger.info("CreatePool failed, but made pool %s (its answer was lost); going on", pool_id)
            return cast("Mapping[str, Any] | None", info)
        with ApiCall("CreatePool", seed.identity_id):
            replayed = client.create_pool(**request)
        return cast("Mapping[str, Any]", replayed)
    except PoolProviderError as lookup_error:
        logger.warning("Could not find the pool a failed CreatePool may have made: %s", lookup_error)
        raise PoolProviderError(
            f"{failure} A pool may have been made with tag {CREATE_TOKEN_TAG_KEY}={token[:12]}...; "
            "delete it if so."
        ) from lookup_error


def _create_live_pool(
    client: PinpointSMSVoiceV2Client,
    *,
    seed: Identity,
    message_type: MessageTypeType,
    iso_country_code: str,
    desired: PoolProperties,
    token: str,
    budget: TimeBudget,
    on_pool_created: Callable[[str], None],
    extra_tags: Mapping[str, str],
) -> tuple[PoolFacts, dict[str, str], dict[str, Keyword]]:
    """CreatePool, wait for ACTIVE and read the inherited keywords: (facts, tags sent, keywords)."""
    tags = {**desired.tags, **extra_tags, CREATE_TOKEN_TAG_KEY: token, COUNTRY_TAG_KEY: iso_country_code}
    tag_list: list[TagTypeDef] = [{"Key": key, "Value": value} for key, value in tags.items()]
    for attempt in range(MAX_CREATE_TOKEN_TRIES):
        client_token = token if attempt == 0 else hashlib.sha256(f"{token}/{attempt}".encode()).hexdigest()
        request: CreatePoolRequestTypeDef = {
            "OriginationIdentity": seed.arn,
            "MessageType": message_type,
            "IsoCountryCode": seed.iso_country_code,
            "DeletionProtectionEnabled": desired.deletion_protection_enabled,
            "Tags": tag_list,
            "ClientToken": client_token,
        }
        try:
            with ApiCall("CreatePool", seed.identity_id):
                created: Mapping[str, Any] = cast("Mapping[str, Any]", client.create_pool(**request))
        except PoolProviderError as failure:
            found = _pool_made_despite(client, seed, token, request, failure) if _unsure(failure) else None
            if found is None:
                raise
            created = found
        facts = PoolFacts.from_info(created)
        on_pool_created(facts.pool_id)
        if facts.status != "ACTIVE":
            info = wait_for_pool(client, facts.pool_id, budget, done=is_settled, waiting_for="ACTIVE")
            gone = dataclasses.replace(facts, status="gone")
            facts = PoolFacts.from_info(cast("Mapping[str, Any]", info)) if info is not None else gone
        keywords = _keywords_unless_gone(client, facts.pool_id) if facts.status == "ACTIVE" else None
        if keywords is not None:
            return facts, tags, keywords
        # The token was answered before, for a pool deleted since (a retried deployment reuses the
        # RequestId): a derived token makes a new pool, the same one for every delivery.
        logger.info("ClientToken replayed pool %s, which is gone; using a derived token", facts.pool_id)
    raise PoolProviderError(
        "CreatePool kept answering with pools that no longer exist (an idempotency token replay); "
        "retry the deployment."
    )


def delete_for_cleanup(
    client: PinpointSMSVoiceV2Client, pool_id: str, budget: TimeBudget, *, wait_until_gone: bool
) -> None:
    """Delete a pool this request made, even if protected or still CREATING (in time, or raise).

    ``wait_until_gone``: also wait until its phone numbers are free again (to hand them back).
    """
    pool = wait_for_pool(
        client, pool_id, budget, done=is_settled, waiting_for="ACTIVE to clean up", cleanup=True
    )
    if pool is None or pool["Status"] == "DELETING":
        return
    with ApiCall("DeletePool", pool_id, tolerate=("ResourceNotFoundException",)):
        if pool["DeletionProtectionEnabled"]:
            client.update_pool(PoolId=pool_id, DeletionProtectionEnabled=False)
        client.delete_pool(PoolId=pool_id)
    if wait_until_gone:
        wait_for_pool(client, pool_id, budget, done=lambda p: p is None, waiting_for="deletion", cleanup=True)


def build_pool(
    client: PinpointSMSVoiceV2Client,
    *,
    desired: PoolProperties,
    identities: DesiredIdentities,
    message_type: MessageTypeType,
    iso_country_code: str,
    create_token: str,
    budget: TimeBudget,
    on_pool_created: Callable[[str], None],
    adopt: str | None,
    wait_until_gone: bool = False,
    left_behind_hint: str = "CloudFormation's rollback deletes it.",
    extra_tags: Mapping[str, str] | None = None,
) -> PoolOutcome:
    """CreatePool (or adopt the pool of an earlier delivery), then converge it; clean up on failure."""
    seed_key = identities.first_key
    seed = identities.members[seed_key]
    made: list[str] = []

    def remember(pool_id: str) -> None:
        made.append(pool_id)
        on_pool_created(pool_id)

    try:
        if adopt is not None:
            remember(adopt)
            info = wait_for_pool(client, adopt, budget, done=is_settled, waiting_for="ACTIVE")
            if info is None or info["Status"] != "ACTIVE":
                raise PoolConflictError(
                    f"Pool {adopt}, made by an earlier attempt of this request, is being deleted; "
                    "retry the deployment in a minute."
                )
            facts = PoolFacts.from_info(cast("Mapping[str, Any]", info))
            actual = read_pool(client, facts)
        else:
            facts, tags, keywords = _create_live_pool(
                client,
                seed=seed,
                message_type=message_type,
                iso_country_code=iso_country_code,
                desired=desired,
                token=create_token,
                budget=budget,
                on_pool_created=remember,
                extra_tags=extra_tags or {},
            )
            actual = ActualPool(
                pool_id=facts.pool_id,
                pool_arn=facts.pool_arn,
                settings=facts.settings,
                members={seed_key: seed},
                keywords=keywords,
                tags=tags,
            )
        plan = plan_pool(desired, identities.members, actual)
        updated = apply_plan(client, actual.pool_id, facts.pool_arn, plan, budget)
        return PoolOutcome(actual.pool_id, (updated or facts).attributes(iso_country_code))
    except Exception as failure:
        if not made:
            raise
        pool_id = made[-1]
        try:
            with budget.cleaning_up():
                delete_for_cleanup(client, pool_id, budget, wait_until_gone=wait_until_gone)
        except Exception:
            logger.exception("Could not delete pool %s after a failed create", pool_id)
            raise PoolProviderError(
                f"{failure} Pool {pool_id} was not deleted in time: {left_behind_hint}"
            ) from failure
        raise


def resolve_new_pool(
    client: PinpointSMSVoiceV2Client, desired: PoolProperties
) -> tuple[DesiredIdentities, MessageTypeType, str]:
    """Look every identity up; the new pool's message type and country (the first identity's)."""
    identities = resolve_identities(client, desired.identities, desired.iso_country_code, {})
    first = identities.members[identities.first_key]
    message_type = derive_message_type(desired, identities, None)
    iso_country_code = desired.iso_country_code or first.iso_country_code
    if first.iso_country_code != iso_country_code:
        raise PoolPropertyError(
            f"{contract.ISO_COUNTRY_CODE} {iso_country_code} does not match the first identity "
            f"{first.identity_id} ({first.iso_country_code}), which creates the pool; list an identity "
            f"from {iso_country_code} first or set {contract.ISO_COUNTRY_CODE} to {first.iso_country_code}."
        )
    return identities, message_type, iso_country_code


def preflight_new_pool(
    client: PinpointSMSVoiceV2Client,
    desired: PoolProperties,
    identities: DesiredIdentities,
    message_type: MessageTypeType,
    create_token: str,
    *,
    replacing: str | None,
) -> str | None:
    """Check every identity can make or join the new pool; the pool to adopt, if any."""
    seed = identities.looked_up[identities.first_key]
    own = [replacing] if replacing else []
    adopt = _find_own_pool(client, identities, create_token, exclude=own)
    own_pool_ids = [p for p in (*own, adopt) if p]
    inherited = seed_settings(seed)
    check_usable(seed, message_type)
    check_free(seed, own_pool_ids)
    wanted = desired_settings(desired, inherited)
    check_joins(
        identities, message_type, {identities.first_key: seed}, inherited, wanted, own_pool_ids=own_pool_ids
    )
    check_opt_out_list(client, inherited, wanted)
    return adopt
