"""Create, update (in place or by replacement) and delete a pool: the orchestration of every call.

Each entry point checks everything it can before its first mutating call, so bad input changes
nothing. After CreatePool succeeds, any failure deletes the new pool again before the error is
raised (no orphans). Update converges the pool's ACTUAL state (not only the old properties) to the
template, making only the calls the difference needs.
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
from pool_apply import apply_plan, associate, disassociate
from pool_errors import (
    API_ERRORS,
    ApiError,
    PoolConflictError,
    PoolPropertyError,
    PoolProviderError,
    api_failure,
    error_code,
    error_reason,
    error_resource_type,
)
from pool_handover import Handover, handover_tags, is_handover_tag, read_handover
from pool_identities import Home, check_usable
from pool_paging import all_items
from pool_planner import ActualPool, KeywordEntry, MemberIdentity, desired_settings, plan_pool
from pool_preflight import (
    DesiredIdentities,
    check_joins,
    check_keeps_a_phone_number,
    check_opt_out_list,
    derive_country,
    derive_message_type,
    first_identity,
    needs_first_identity_settings,
    resolve_identities,
    restore_removed_properties,
    seed_settings,
)
from pool_properties import RESERVED_TAG_COUNT, TAGS_PER_POOL, PoolProperties
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


@dataclass(frozen=True)
class RequestKey:
    """What identifies one CloudFormation request on one resource."""

    stack_id: str
    logical_resource_id: str
    request_id: str

    @classmethod
    def from_event(cls, event: Mapping[str, Any]) -> RequestKey:
        return cls(str(event["StackId"]), str(event["LogicalResourceId"]), str(event["RequestId"]))

    @property
    def create_token(self) -> str:
        """64 hex characters: a valid ClientToken, the same for every delivery of this request."""
        text = f"{self.stack_id}\n{self.logical_resource_id}\n{self.request_id}"
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class PoolOutcome:
    pool_id: str
    attributes: dict[str, str]


# --- create ---------------------------------------------------------------------------------------
def _pool_arn_for(identity_arn: str, pool_id: str) -> str:
    """The ARN of ``pool_id`` in the account and Region of ``identity_arn``."""
    prefix = identity_arn.rsplit(":", 1)[0]
    return f"{prefix}:pool/{pool_id}"


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
        tags = list_tags(client, _pool_arn_for(identity.arn, pool_id))
        if tags.get(CREATE_TOKEN_TAG_KEY) == token:
            logger.info("Adopting pool %s created by an earlier delivery of this request", pool_id)
            return pool_id
    return None


def _keywords_unless_gone(client: PinpointSMSVoiceV2Client, pool_id: str) -> dict[str, KeywordEntry] | None:
    try:
        return list_keywords(client, pool_id)
    except PoolProviderError as failure:
        if isinstance(failure.__cause__, ClientError) and error_resource_type(failure.__cause__) == "pool":
            return None
        raise


def _unsure(error: ApiError) -> bool:
    """Whether a failed call may have taken effect: no answer, a 5xx, or throttling after retries.

    Any other error answer is the last of botocore's attempts, each with the same ClientToken: an
    earlier attempt that took effect would have made it answer with that pool instead.
    """
    if not isinstance(error, ClientError):
        return True
    status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 500))
    return status >= 500 or error_code(error) == "ThrottlingException"


def _pool_made_despite(
    client: PinpointSMSVoiceV2Client,
    seed: MemberIdentity,
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
            found = all_items(
                client.describe_phone_numbers, "PhoneNumbers", PhoneNumberIds=[seed.identity_id]
            )
            pool_id = found[0].get("PoolId") if found else None
            if not pool_id:
                return None
            if list_tags(client, _pool_arn_for(seed.arn, pool_id)).get(CREATE_TOKEN_TAG_KEY) != token:
                return None
            info = describe_pool(client, pool_id)
            logger.info("CreatePool failed, but made pool %s (its answer was lost); going on", pool_id)
            return cast("Mapping[str, Any] | None", info)
        return cast("Mapping[str, Any]", client.create_pool(**request))
    except (*API_ERRORS, PoolProviderError) as lookup_error:
        logger.warning("Could not find the pool a failed CreatePool may have made: %s", lookup_error)
        raise PoolProviderError(
            f"{failure} A pool may have been made with tag {CREATE_TOKEN_TAG_KEY}={token[:12]}...; "
            "delete it if so."
        ) from lookup_error


def _create_live_pool(
    client: PinpointSMSVoiceV2Client,
    *,
    seed: MemberIdentity,
    message_type: MessageTypeType,
    iso_country_code: str,
    desired: PoolProperties,
    token: str,
    budget: TimeBudget,
    on_pool_created: Callable[[str], None],
    extra_tags: Mapping[str, str],
) -> tuple[PoolFacts, dict[str, str], dict[str, KeywordEntry]]:
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
            created: Mapping[str, Any] = cast("Mapping[str, Any]", client.create_pool(**request))
        except API_ERRORS as error:
            failure = api_failure("CreatePool", error, seed.identity_id)
            found = _pool_made_despite(client, seed, token, request, failure) if _unsure(error) else None
            if found is None:
                raise failure from error
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


def _delete_for_cleanup(
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
    if pool["DeletionProtectionEnabled"]:
        client.update_pool(PoolId=pool_id, DeletionProtectionEnabled=False)
    try:
        client.delete_pool(PoolId=pool_id)
    except API_ERRORS as error:
        if error_code(error) != "ResourceNotFoundException":
            raise
    if wait_until_gone:
        wait_for_pool(client, pool_id, budget, done=lambda p: p is None, waiting_for="deletion", cleanup=True)


def _build_pool(
    client: PinpointSMSVoiceV2Client,
    *,
    desired: PoolProperties,
    identities: DesiredIdentities,
    message_type: MessageTypeType,
    iso_country_code: str,
    request: RequestKey,
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
                token=request.create_token,
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
                _delete_for_cleanup(client, pool_id, budget, wait_until_gone=wait_until_gone)
        except Exception:
            logger.exception("Could not delete pool %s after a failed create", pool_id)
            raise PoolProviderError(
                f"{failure} Pool {pool_id} was not deleted in time: {left_behind_hint}"
            ) from failure
        raise


def _resolve_new_pool(
    client: PinpointSMSVoiceV2Client, desired: PoolProperties
) -> tuple[DesiredIdentities, MessageTypeType, str]:
    """Look every identity up; the new pool's message type and country (the first identity's)."""
    identities = resolve_identities(client, desired.origination_identities, desired.iso_country_code, {})
    first = identities.members[identities.first_key]
    message_type = derive_message_type(desired, first, identities.looked_up[identities.first_key], None)
    iso_country_code = desired.iso_country_code or first.iso_country_code
    if first.iso_country_code != iso_country_code:
        raise PoolPropertyError(
            f"{contract.ISO_COUNTRY_CODE} {iso_country_code} does not match the first identity "
            f"{first.identity_id} ({first.iso_country_code}), which creates the pool; list an identity "
            f"from {iso_country_code} first or set {contract.ISO_COUNTRY_CODE} to {first.iso_country_code}."
        )
    return identities, message_type, iso_country_code


def _preflight_new_pool(
    client: PinpointSMSVoiceV2Client,
    desired: PoolProperties,
    identities: DesiredIdentities,
    message_type: MessageTypeType,
    request: RequestKey,
    *,
    replacing: str | None,
) -> str | None:
    """Check every identity can make or join the new pool; the pool to adopt, if any."""
    first = identities.members[identities.first_key]
    seed = identities.looked_up[identities.first_key]
    own = [replacing] if replacing else []
    adopt = _find_own_pool(client, identities, request.create_token, exclude=own)
    inherited = seed_settings(seed)
    check_usable(seed, message_type)
    if seed.pool_id is not None and seed.pool_id not in [*own, adopt]:
        raise PoolConflictError(
            f"Phone number {seed.identity_id} is already in pool {seed.pool_id}; remove it there first or "
            f"remove it from {contract.ORIGINATION_IDENTITIES}."
        )
    wanted = desired_settings(desired, inherited)
    check_joins(
        identities,
        message_type,
        {identities.first_key: first},
        inherited,
        wanted,
        own_pool_ids=[p for p in (*own, adopt) if p],
    )
    check_opt_out_list(client, inherited, wanted)
    return adopt


def create_pool_resource(
    client: PinpointSMSVoiceV2Client,
    desired: PoolProperties,
    request: RequestKey,
    budget: TimeBudget,
    on_pool_created: Callable[[str], None],
    *,
    left_behind_hint: str = "CloudFormation's rollback deletes it.",
) -> PoolOutcome:
    """Create the pool the template describes; ``on_pool_created`` learns its id at once."""
    identities, message_type, country = _resolve_new_pool(client, desired)
    adopt = _preflight_new_pool(client, desired, identities, message_type, request, replacing=None)
    return _build_pool(
        client,
        desired=desired,
        identities=identities,
        message_type=message_type,
        iso_country_code=country,
        request=request,
        budget=budget,
        on_pool_created=on_pool_created,
        adopt=adopt,
        left_behind_hint=left_behind_hint,
    )


# --- update ---------------------------------------------------------------------------------------
def update_pool_resource(
    client: PinpointSMSVoiceV2Client,
    desired: PoolProperties,
    pool_id: str,
    request: RequestKey,
    budget: TimeBudget,
    *,
    old_raw: Mapping[str, object] | None = None,
) -> PoolOutcome:
    """Converge pool ``pool_id`` to the template, or replace it when MessageType/IsoCountryCode change.

    ``old_raw`` is the event's OldResourceProperties (only which names it sets matters).
    """
    existing = read_existing_pool(client, pool_id, budget)
    if existing is None:
        # Deleted outside the stack: a new pool (a new PhysicalResourceId) puts the stack right.
        logger.warning("Pool %s no longer exists; creating a new pool", pool_id)
        return create_pool_resource(
            client, desired, request, budget, lambda _: None, left_behind_hint="delete it yourself."
        )
    facts, actual = existing
    return converge_pool(client, desired, facts, actual, request=request, budget=budget, old_raw=old_raw)


def read_existing_pool(
    client: PinpointSMSVoiceV2Client, pool_id: str, budget: TimeBudget
) -> tuple[PoolFacts, ActualPool] | None:
    """The pool (once it is no longer CREATING) and all it holds; None when gone or DELETING."""
    info = describe_pool(client, pool_id) if pool_id.startswith(contract.POOL_ID_PREFIX) else None
    if info is not None and info["Status"] == "CREATING":
        info = wait_for_pool(client, pool_id, budget, done=is_settled, waiting_for="ACTIVE")
    if info is None or info["Status"] == "DELETING":
        return None
    facts = PoolFacts.from_info(cast("Mapping[str, Any]", info))
    return facts, read_pool(client, facts)


def pool_country(actual: ActualPool) -> str | None:
    """The pool's country: the provider's tag, else its first identity's (DescribePools has none)."""
    return actual.tags.get(COUNTRY_TAG_KEY) or next(
        (m.iso_country_code for m in actual.members.values()), None
    )


def converge_pool(
    client: PinpointSMSVoiceV2Client,
    desired: PoolProperties,
    facts: PoolFacts,
    actual: ActualPool,
    *,
    request: RequestKey,
    budget: TimeBudget,
    old_raw: Mapping[str, object] | None = None,
    may_replace: bool = True,
) -> PoolOutcome:
    """Converge the pool ``read_existing_pool`` read to the template (see update_pool_resource).

    ``may_replace`` False: a template that needs a new pool raises instead (an adoption never
    creates a pool).
    """
    pool_id = facts.pool_id
    current_country = pool_country(actual)
    identities = resolve_identities(
        client, desired.origination_identities, desired.iso_country_code or current_country, actual.members
    )
    first = identities.members[identities.first_key]
    message_type = derive_message_type(
        desired, first, identities.looked_up.get(identities.first_key), facts.message_type
    )
    country = derive_country(desired, identities, current_country)
    if message_type == facts.message_type and country == current_country:
        desired = restore_removed_properties(client, desired, old_raw or {}, identities)
    elif not may_replace:
        raise PoolConflictError(
            f"Pool {pool_id} is {facts.message_type} in {current_country}, and the template needs a "
            f"{message_type} pool in {country}; set {contract.MESSAGE_TYPE} and {contract.ISO_COUNTRY_CODE} "
            "to the pool's."
        )
    else:
        return replace_pool(
            client,
            desired=desired,
            old=actual,
            old_facts=facts,
            request=request,
            budget=budget,
            message_type=message_type,
            old_template_protected=str((old_raw or {}).get(contract.DELETION_PROTECTION_ENABLED)).lower()
            == "true",
        )
    check_keeps_a_phone_number(identities, actual)
    wanted = desired_settings(desired, actual.settings)
    # An identity the pool's settings no longer admit (it joined a pool made from the first identity,
    # before UpdatePool changed them; a rollback or a later Update brings it back) joins through the
    # settings the first identity gives a pool, as it did at create.
    bridge = None
    if needs_first_identity_settings(identities, actual.members, actual.settings, wanted):
        bridge = seed_settings(first_identity(client, identities))
    check_joins(
        identities,
        message_type,
        actual.members,
        actual.settings,
        wanted,
        own_pool_ids=[pool_id],
        first_identity=bridge,
    )
    check_opt_out_list(client, actual.settings, wanted)
    plan = plan_pool(desired, identities.members, actual, bridge, first_phone_last=True)
    marks = tuple(key for key in actual.tags if is_handover_tag(key))
    if marks:
        # A replacement is over once its new pool gets an Update: the mark goes (the protection
        # it came with goes with the plan's UpdatePool, unless the template asks for it).
        plan = dataclasses.replace(plan, tag_keys_to_remove=(*plan.tag_keys_to_remove, *marks))
    updated = (
        apply_plan(client, pool_id, facts.pool_arn, plan, budget, undo_on_failure=True)
        if not plan.is_empty
        else None
    )
    return PoolOutcome(pool_id, (updated or facts).attributes(country))


def replace_pool(
    client: PinpointSMSVoiceV2Client,
    *,
    desired: PoolProperties,
    old: ActualPool,
    old_facts: PoolFacts,
    request: RequestKey,
    budget: TimeBudget,
    message_type: MessageTypeType,
    old_template_protected: bool = False,
) -> PoolOutcome:
    """A new pool for a new MessageType/IsoCountryCode; the old one stays for CloudFormation's Delete.

    Phone numbers the new pool keeps are handed over: disassociated from the old pool first (a phone
    number is in one pool at a time), while the old pool keeps at least one phone number so it stays
    usable if the stack rolls back. Where that is impossible, fail before changing anything.
    """
    protected_by_mark = not old_template_protected and any(is_handover_tag(key) for key in old.tags)
    if old_facts.settings.deletion_protection_enabled and not protected_by_mark:
        # CloudFormation's cleanup Delete of the old pool would fail, and the stack would silently
        # abandon it (a failed cleanup does not fail the update). A hand-over mark's protection is
        # no obstacle: the cleanup Delete lifts it (pool_handover).
        raise PoolConflictError(
            f"Changing {contract.MESSAGE_TYPE}/{contract.ISO_COUNTRY_CODE} replaces pool {old.pool_id}, "
            f"which has {contract.DELETION_PROTECTION_ENABLED} true. Deploy with it false first, then make "
            "the change."
        )
    # An omitted IsoCountryCode stays omitted: the new pool takes its first identity's country.
    new_props = dataclasses.replace(desired, message_type=message_type)
    identities, message_type, country = _resolve_new_pool(client, new_props)
    moving = [i for i in identities.looked_up.values() if i.pool_id == old.pool_id]
    for identity in moving:
        if message_type not in identity.message_types:
            # Front-loaded: with long ids, the property and the fix must survive the 256-character cut
            # (the stack event names the old pool anyway).
            raise PoolConflictError(
                f"{contract.MESSAGE_TYPE} {message_type} cannot keep phone number {identity.identity_id} "
                f"({old_facts.message_type}; a phone number's message type never changes): remove it from "
                f"{contract.ORIGINATION_IDENTITIES} or keep {contract.MESSAGE_TYPE} {old_facts.message_type}."
            )
    moving_keys = {identity.key for identity in moving}
    old_phones = [m for m in old.members.values() if m.is_phone_number]
    if moving and all(m.key in moving_keys for m in old_phones):
        raise PoolConflictError(
            f"Replacing pool {old.pool_id} would move all its phone numbers to the new pool, but a pool "
            "keeps at least one. Add a spare phone number to the pool in one deployment, then replace it "
            "in the next."
        )
    marks = handover_tags(old.pool_id, [old.members[identity.key] for identity in moving])
    if len(new_props.tags) + RESERVED_TAG_COUNT + len(marks) > TAGS_PER_POOL:
        raise PoolPropertyError(
            f"{contract.TAGS} has {len(new_props.tags)} tags; a replacement that takes phone numbers over "
            f"marks the new pool with {len(marks)} more (a pool holds {TAGS_PER_POOL}). Remove some."
        )
    if marks:
        # Protected, the new pool's Delete fails at its first call if the stack rolls back, and
        # reads the mark to give the numbers back (pool_handover); its first Update lifts it.
        new_props = dataclasses.replace(new_props, deletion_protection_enabled=True)
    adopt = _preflight_new_pool(client, new_props, identities, message_type, request, replacing=old.pool_id)
    handed_over: list[MemberIdentity] = []
    try:
        for identity in moving:
            member = old.members[identity.key]
            disassociate(client, old.pool_id, member)
            handed_over.append(member)
        return _build_pool(
            client,
            desired=new_props,
            identities=identities,
            message_type=message_type,
            iso_country_code=country,
            request=request,
            budget=budget,
            on_pool_created=lambda _: None,
            adopt=adopt,
            wait_until_gone=bool(moving),
            # A failed Update is rolled back by another Update; nothing would delete the new pool.
            left_behind_hint="delete it yourself.",
            extra_tags=marks,
        )
    except Exception:
        with budget.cleaning_up():
            for member in handed_over:
                try:
                    associate(client, old.pool_id, member)
                except Exception:
                    logger.exception("Could not hand %s back to pool %s", member.identity_id, old.pool_id)
        raise


# --- delete ---------------------------------------------------------------------------------------
def delete_pool_resource(
    client: PinpointSMSVoiceV2Client,
    physical_id: str,
    budget: TimeBudget,
    *,
    home: Home | None = None,
    template_protected: bool = False,
) -> None:
    """Delete the pool; a foreign id, a pool already gone or one already DELETING is success.

    One DeletePool call. A pool protected by a replacement's hand-over mark (not by the template,
    ``template_protected``) is deleted all the same, and its phone numbers go back to the pool they
    came from if that still exists (a rolled-back replacement): see pool_handover.
    """
    if not physical_id.startswith(contract.POOL_ID_PREFIX):
        logger.info("PhysicalResourceId %s names no pool; nothing to delete", physical_id)
        return
    while True:
        try:
            client.delete_pool(PoolId=physical_id)
            return
        except API_ERRORS as error:
            if error_code(error) == "ResourceNotFoundException":
                return
            reason = error_reason(error)
            if reason == "DELETION_PROTECTION_ENABLED":
                handover = None if template_protected else _handover_of(client, physical_id, home)
                if handover is None:
                    raise PoolConflictError(
                        f"Pool {physical_id} has {contract.DELETION_PROTECTION_ENABLED} true. To delete it, "
                        f"set {contract.DELETION_PROTECTION_ENABLED} to false and deploy first; to keep it, "
                        "retain the resource (DeletionPolicy: Retain, or retain it when deleting the stack)."
                    ) from error
                _delete_and_hand_back(client, physical_id, handover, budget)
                return
            if reason != "RESOURCE_NOT_ACTIVE":
                raise api_failure("DeletePool", error, physical_id) from error
        pool = wait_for_pool(client, physical_id, budget, done=is_settled, waiting_for="ACTIVE to delete it")
        if pool is None or pool["Status"] == "DELETING":
            return


def _handover_of(client: PinpointSMSVoiceV2Client, pool_id: str, home: Home | None) -> Handover | None:
    """The hand-over mark of a protected pool (None: protected for another reason)."""
    if home is not None:
        pool_arn = f"arn:{home.partition}:sms-voice:{home.region}:{home.account}:pool/{pool_id}"
    else:
        info = describe_pool(client, pool_id)
        if info is None:
            return None
        pool_arn = info["PoolArn"]
    return read_handover(list_tags(client, pool_arn))


def _delete_and_hand_back(
    client: PinpointSMSVoiceV2Client, pool_id: str, handover: Handover, budget: TimeBudget
) -> None:
    """Lift the mark's protection, delete the pool, and give the numbers back to the old pool."""
    old = describe_pool(client, handover.old_pool_id)
    try:
        client.update_pool(PoolId=pool_id, DeletionProtectionEnabled=False)
        client.delete_pool(PoolId=pool_id)
    except API_ERRORS as error:
        raise api_failure("DeletePool", error, pool_id) from error
    if old is None or old["Status"] != "ACTIVE":
        logger.info(
            "Pool %s that handed numbers to %s is gone; nothing to give back", handover.old_pool_id, pool_id
        )
        return
    # A phone number is free again only once its pool is gone.
    wait_for_pool(client, pool_id, budget, done=lambda p: p is None, waiting_for="deletion", cleanup=True)
    prefix = str(old["PoolArn"]).rsplit(":", 1)[0]
    not_back: list[str] = []
    for identity_id, country in handover.numbers:
        member = MemberIdentity(
            key=f"phone-number/{identity_id}",
            arn=f"{prefix}:phone-number/{identity_id}",
            identity_id=identity_id,
            iso_country_code=country,
            is_phone_number=True,
            number_capabilities=frozenset(),
        )
        try:
            associate(client, handover.old_pool_id, member)
        except PoolProviderError as failure:
            logger.warning(
                "Could not give %s back to pool %s: %s", identity_id, handover.old_pool_id, failure
            )
            not_back.append(identity_id)
    if not_back:
        raise PoolProviderError(
            f"Pool {pool_id} was deleted, but {', '.join(not_back)} could not go back to pool "
            f"{handover.old_pool_id}; add them to it (or deploy its template again)."
        )
