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
from pool_errors import (
    PoolConflictError,
    PoolPropertyError,
    PoolProviderError,
    api_failure,
    error_code,
    error_reason,
    error_resource_type,
)
from pool_identities import (
    PHONE_NUMBER,
    IdentityRef,
    ResolvedIdentity,
    check_usable,
    describe_identities,
    parse_identity_ref,
    parse_identity_refs,
)
from pool_planner import (
    ActualPool,
    KeywordEntry,
    MemberIdentity,
    PoolPlan,
    PoolSettings,
    desired_settings,
    matches_settings,
    plan_pool,
)
from pool_properties import RESERVED_TAG_PREFIX, PoolProperties, TwoWaySettings
from pool_waiter import TimeBudget, describe_pool, is_active, is_settled, wait_for_pool

if TYPE_CHECKING:
    from mypy_boto3_pinpoint_sms_voice_v2 import PinpointSMSVoiceV2Client
    from mypy_boto3_pinpoint_sms_voice_v2.literals import MessageTypeType
    from mypy_boto3_pinpoint_sms_voice_v2.type_defs import TagTypeDef, UpdatePoolRequestTypeDef

logger = logging.getLogger(__name__)

# The provider's own tags (users may not set keys with RESERVED_TAG_PREFIX): which request created
# the pool (a repeated delivery of that request adopts the pool instead of making a second one),
# and the pool's country, which DescribePools does not report.
CREATE_TOKEN_TAG_KEY: Final = f"{RESERVED_TAG_PREFIX}create-token"
COUNTRY_TAG_KEY: Final = f"{RESERVED_TAG_PREFIX}iso-country-code"
# A ClientToken the service already answered for a pool that is gone since (a retried deployment
# reuses its RequestId) is replayed with a derived token; a few tries are plenty.
MAX_CREATE_TOKEN_TRIES: Final = 3
PAGE_SIZE: Final = 100


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


@dataclass(frozen=True)
class PoolFacts:
    """What DescribePools/CreatePool/UpdatePool report about a pool."""

    pool_id: str
    pool_arn: str
    status: str
    message_type: MessageTypeType
    settings: PoolSettings

    @classmethod
    def from_info(cls, info: Mapping[str, Any]) -> PoolFacts:
        return cls(
            pool_id=str(info["PoolId"]),
            pool_arn=str(info["PoolArn"]),
            status=str(info["Status"]),
            message_type=info["MessageType"],
            settings=PoolSettings(
                two_way_enabled=bool(info["TwoWayEnabled"]),
                two_way_channel_arn=info.get("TwoWayChannelArn"),
                two_way_channel_role=info.get("TwoWayChannelRole"),
                self_managed_opt_outs_enabled=bool(info["SelfManagedOptOutsEnabled"]),
                opt_out_list_name=str(info["OptOutListName"]),
                shared_routes_enabled=bool(info["SharedRoutesEnabled"]),
                deletion_protection_enabled=bool(info.get("DeletionProtectionEnabled", False)),
            ),
        )

    def attributes(self, iso_country_code: str) -> dict[str, str]:
        """The Fn::GetAtt attributes, every value a string."""

        def text(flag: bool) -> str:
            return "true" if flag else "false"

        return {
            contract.ATTR_POOL_ID: self.pool_id,
            contract.ATTR_ARN: self.pool_arn,
            contract.ATTR_MESSAGE_TYPE: self.message_type,
            contract.ATTR_ISO_COUNTRY_CODE: iso_country_code,
            contract.ATTR_STATUS: self.status,
            contract.ATTR_TWO_WAY_ENABLED: text(self.settings.two_way_enabled),
            contract.ATTR_SELF_MANAGED_OPT_OUTS_ENABLED: text(self.settings.self_managed_opt_outs_enabled),
            contract.ATTR_SHARED_ROUTES_ENABLED: text(self.settings.shared_routes_enabled),
            contract.ATTR_DELETION_PROTECTION_ENABLED: text(self.settings.deletion_protection_enabled),
            contract.ATTR_OPT_OUT_LIST_NAME: self.settings.opt_out_list_name or "",
        }


# --- reading a pool ----------------------------------------------------------------------------
def _member_from_listing(entry: Mapping[str, Any]) -> MemberIdentity:
    ref = parse_identity_ref(str(entry["OriginationIdentityArn"]))
    return MemberIdentity(
        key=ref.key(str(entry.get("IsoCountryCode", ""))),
        arn=str(entry["OriginationIdentityArn"]),
        identity_id=ref.identity_id,
        iso_country_code=str(entry.get("IsoCountryCode", "")),
        is_phone_number=ref.kind == PHONE_NUMBER,
        number_capabilities=frozenset(entry.get("NumberCapabilities", ())),
    )


def list_members(client: PinpointSMSVoiceV2Client, pool_id: str) -> dict[str, MemberIdentity]:
    members: dict[str, MemberIdentity] = {}
    token: str | None = None
    while True:
        try:
            page = (
                client.list_pool_origination_identities(PoolId=pool_id, MaxResults=PAGE_SIZE, NextToken=token)
                if token
                else client.list_pool_origination_identities(PoolId=pool_id, MaxResults=PAGE_SIZE)
            )
        except ClientError as error:
            raise api_failure("ListPoolOriginationIdentities", error, pool_id) from error
        for entry in page["OriginationIdentities"]:
            member = _member_from_listing(cast("Mapping[str, Any]", entry))
            members[member.key] = member
        token = page.get("NextToken")
        if not token:
            return members


def list_keywords(client: PinpointSMSVoiceV2Client, pool_id: str) -> dict[str, KeywordEntry]:
    keywords: dict[str, KeywordEntry] = {}
    token: str | None = None
    while True:
        try:
            page = (
                client.describe_keywords(OriginationIdentity=pool_id, MaxResults=PAGE_SIZE, NextToken=token)
                if token
                else client.describe_keywords(OriginationIdentity=pool_id, MaxResults=PAGE_SIZE)
            )
        except ClientError as error:
            raise api_failure("DescribeKeywords", error, pool_id) from error
        for entry in page["Keywords"]:
            keywords[entry["Keyword"].upper()] = KeywordEntry(
                entry["Keyword"], entry["KeywordMessage"], entry["KeywordAction"]
            )
        token = page.get("NextToken")
        if not token:
            return keywords


def list_tags(client: PinpointSMSVoiceV2Client, pool_arn: str) -> dict[str, str]:
    try:
        tags = client.list_tags_for_resource(ResourceArn=pool_arn).get("Tags", [])
    except ClientError as error:
        raise api_failure("ListTagsForResource", error, pool_arn) from error
    return {tag["Key"]: tag["Value"] for tag in tags}


def read_pool(client: PinpointSMSVoiceV2Client, facts: PoolFacts) -> ActualPool:
    return ActualPool(
        pool_id=facts.pool_id,
        pool_arn=facts.pool_arn,
        settings=facts.settings,
        members=list_members(client, facts.pool_id),
        keywords=list_keywords(client, facts.pool_id),
        tags=list_tags(client, facts.pool_arn),
    )


# --- applying a plan ---------------------------------------------------------------------------
def _associate(client: PinpointSMSVoiceV2Client, pool_id: str, member: MemberIdentity) -> None:
    try:
        client.associate_origination_identity(
            PoolId=pool_id, OriginationIdentity=member.arn, IsoCountryCode=member.iso_country_code
        )
    except ClientError as error:
        # A retried call whose first attempt took effect (the answer was lost) finds it done.
        if error_reason(error) == "RESOURCE_ALREADY_ASSOCIATED":
            return
        raise api_failure("AssociateOriginationIdentity", error, member.identity_id) from error


def _disassociate(client: PinpointSMSVoiceV2Client, pool_id: str, member: MemberIdentity) -> None:
    try:
        client.disassociate_origination_identity(
            PoolId=pool_id, OriginationIdentity=member.arn, IsoCountryCode=member.iso_country_code
        )
    except ClientError as error:
        if error_reason(error) in ("PHONE_NUMBER_NOT_ASSOCIATED_TO_POOL", "NO_ORIGINATION_IDENTITIES_FOUND"):
            return
        if error_reason(error) == "LAST_PHONE_NUMBER":
            raise PoolConflictError(
                f"Cannot remove {member.identity_id} from pool {pool_id}: a pool keeps at least one phone "
                f"number. Add another phone number to {contract.ORIGINATION_IDENTITIES} first."
            ) from error
        raise api_failure("DisassociateOriginationIdentity", error, member.identity_id) from error


def _put_keywords(client: PinpointSMSVoiceV2Client, pool_id: str, plan: PoolPlan) -> None:
    for put in plan.put_keywords:
        try:
            if put.action is None:
                client.put_keyword(
                    OriginationIdentity=pool_id, Keyword=put.keyword, KeywordMessage=put.message
                )
            else:
                client.put_keyword(
                    OriginationIdentity=pool_id,
                    Keyword=put.keyword,
                    KeywordMessage=put.message,
                    KeywordAction=put.action,
                )
        except ClientError as error:
            raise api_failure("PutKeyword", error, put.keyword) from error
    for keyword in plan.delete_keywords:
        try:
            client.delete_keyword(OriginationIdentity=pool_id, Keyword=keyword)
        except ClientError as error:
            if error_code(error) != "ResourceNotFoundException" or error_resource_type(error) != "keyword":
                raise api_failure("DeleteKeyword", error, keyword) from error


def _apply_tags(client: PinpointSMSVoiceV2Client, pool_id: str, pool_arn: str, plan: PoolPlan) -> None:
    if plan.tags_to_set:
        tags: list[TagTypeDef] = [{"Key": key, "Value": value} for key, value in plan.tags_to_set.items()]
        try:
            client.tag_resource(ResourceArn=pool_arn, Tags=tags)
        except ClientError as error:
            raise api_failure("TagResource", error, pool_id) from error
    if plan.tag_keys_to_remove:
        try:
            client.untag_resource(ResourceArn=pool_arn, TagKeys=list(plan.tag_keys_to_remove))
        except ClientError as error:
            raise api_failure("UntagResource", error, pool_id) from error


def apply_plan(
    client: PinpointSMSVoiceV2Client, pool_id: str, pool_arn: str, plan: PoolPlan, budget: TimeBudget
) -> PoolFacts | None:
    """Make the planned calls in order; the pool's facts after UpdatePool, if it was called.

    Slow calls (retried throttling) can use up the Lambda's time: the plan stops while there is
    still time to clean up and answer, instead of letting crhelper's timer answer without an id.
    """
    logger.info("Applying %d change(s) to pool %s", plan.mutating_call_count, pool_id)
    updated: PoolFacts | None = None
    for member in plan.associate_first:
        budget.check(f"associating {member.identity_id} with pool {pool_id}")
        _associate(client, pool_id, member)
    budget.check(f"updating pool {pool_id}")
    if plan.settings_update:
        request = cast("UpdatePoolRequestTypeDef", {"PoolId": pool_id, **plan.settings_update})
        try:
            updated = PoolFacts.from_info(cast("Mapping[str, Any]", client.update_pool(**request)))
        except ClientError as error:
            changed = ", ".join(sorted(plan.settings_update))
            raise api_failure("UpdatePool", error, f"{pool_id} ({changed})") from error
    for member in plan.associate_after_settings:
        budget.check(f"associating {member.identity_id} with pool {pool_id}")
        _associate(client, pool_id, member)
    for member in plan.disassociate:
        budget.check(f"removing {member.identity_id} from pool {pool_id}")
        _disassociate(client, pool_id, member)
    budget.check(f"setting the keywords of pool {pool_id}")
    _put_keywords(client, pool_id, plan)
    budget.check(f"tagging pool {pool_id}")
    _apply_tags(client, pool_id, pool_arn, plan)
    return updated


# --- desired identities --------------------------------------------------------------------------
@dataclass(frozen=True)
class DesiredIdentities:
    """The template's identities, in template order, each known as a member or by a look-up."""

    refs: tuple[IdentityRef, ...]
    members: dict[str, MemberIdentity]  # canonical key -> member, template order
    looked_up: dict[str, ResolvedIdentity]  # canonical key -> look-up (identities not in the pool)

    @property
    def first_key(self) -> str:
        return next(iter(self.members))


def _member_from_lookup(identity: ResolvedIdentity) -> MemberIdentity:
    return MemberIdentity(
        key=identity.key,
        arn=identity.arn,
        identity_id=identity.identity_id,
        iso_country_code=identity.iso_country_code,
        is_phone_number=identity.kind == PHONE_NUMBER,
        number_capabilities=identity.number_capabilities,
        two_way_enabled=identity.two_way_enabled,
        two_way_channel_arn=identity.two_way_channel_arn,
        self_managed_opt_outs_enabled=identity.self_managed_opt_outs_enabled,
        opt_out_list_name=identity.opt_out_list_name,
    )


def resolve_identities(
    client: PinpointSMSVoiceV2Client,
    written: Sequence[str],
    default_country: str | None,
    known: Mapping[str, MemberIdentity],
) -> DesiredIdentities:
    """Canonicalise the template's identities; look up (five per call) only those not in ``known``."""
    refs = parse_identity_refs(written, default_country)
    unknown = [ref for ref in refs if ref.key(default_country) not in known]
    looked_up = describe_identities(client, unknown, default_country) if unknown else {}
    members: dict[str, MemberIdentity] = {}
    by_key: dict[str, ResolvedIdentity] = {}
    for ref in refs:
        found = looked_up.get(ref)
        if found is None:
            member = known[ref.key(default_country)]
        else:
            member = _member_from_lookup(found)
            by_key[member.key] = found
        if member.key in members:
            raise PoolPropertyError(
                f'{contract.ORIGINATION_IDENTITIES} names {member.identity_id} twice ("{ref.written[:60]}"); '
                "list each identity once."
            )
        members[member.key] = member
    return DesiredIdentities(refs=refs, members=members, looked_up=by_key)


def _derive_message_type(
    desired: PoolProperties, first: MemberIdentity, looked_up: ResolvedIdentity | None, current: str | None
) -> MessageTypeType:
    if desired.message_type is not None:
        return desired.message_type
    if looked_up is None:
        # The first identity is already in the pool, so it has the pool's message type.
        return cast("MessageTypeType", current)
    if current in looked_up.message_types:
        return current
    if len(looked_up.message_types) == 1:
        return looked_up.message_types[0]
    raise PoolPropertyError(
        f"{contract.MESSAGE_TYPE} is not set and the first identity {first.identity_id} supports "
        f"{' and '.join(looked_up.message_types) or 'no message type'}; set {contract.MESSAGE_TYPE}."
    )


def _derive_country(desired: PoolProperties, identities: DesiredIdentities, current: str | None) -> str:
    if desired.iso_country_code is not None:
        return desired.iso_country_code
    if current is not None:
        # Omitted, it keeps the pool's country: pools may mix countries, so only an explicit new
        # IsoCountryCode is worth a new pool.
        return current
    return identities.members[identities.first_key].iso_country_code


# --- pre-flight ----------------------------------------------------------------------------------
def _check_joins(
    identities: DesiredIdentities,
    message_type: MessageTypeType,
    pool_members: Mapping[str, MemberIdentity],
    current: PoolSettings,
    wanted: PoolSettings,
    *,
    own_pool_ids: Sequence[str],
) -> None:
    """Every identity that will join must be usable, of the message type, free and matching."""
    capabilities = {m.number_capabilities for m in pool_members.values() if m.is_phone_number}
    for key, identity in identities.looked_up.items():
        if key in pool_members:
            continue
        check_usable(identity, message_type)
        if identity.pool_id is not None and identity.pool_id not in own_pool_ids:
            raise PoolConflictError(
                f"Phone number {identity.identity_id} is already in pool {identity.pool_id}; remove it there "
                f"first or remove it from {contract.ORIGINATION_IDENTITIES}."
            )
        member = identities.members[key]
        if not (matches_settings(member, current) or matches_settings(member, wanted)):
            what = "two-way settings" if member.is_phone_number else "two-way (sender IDs have none)"
            if member.is_phone_number and member.opt_out_list_name != wanted.opt_out_list_name:
                what = f"opt-out list ({member.opt_out_list_name})"
            elif member.is_phone_number and member.self_managed_opt_outs_enabled != (
                wanted.self_managed_opt_outs_enabled
            ):
                what = "self-managed opt-out setting"
            raise PoolConflictError(
                f"{member.identity_id} cannot join the pool: its {what} differs from the pool's. "
                "Make the identity's configuration match the pool's, or remove it."
            )
        if member.is_phone_number:
            if capabilities and member.number_capabilities not in capabilities:
                raise PoolConflictError(
                    f"Phone number {member.identity_id} has capabilities "
                    f"{'/'.join(sorted(member.number_capabilities))} unlike the pool's other phone numbers; "
                    "every phone number in a pool has the same ones."
                )
            capabilities.add(member.number_capabilities)


def _check_keeps_a_phone_number(identities: DesiredIdentities, actual: ActualPool) -> None:
    had_phone = any(m.is_phone_number for m in actual.members.values())
    if had_phone and not any(m.is_phone_number for m in identities.members.values()):
        raise PoolConflictError(
            f"Pool {actual.pool_id} must keep at least one phone number, and "
            f"{contract.ORIGINATION_IDENTITIES} lists none; keep one of its phone numbers."
        )


def _seed_settings(seed: ResolvedIdentity) -> PoolSettings:
    """The settings a pool created from ``seed`` inherits (deletion protection is never inherited)."""
    return PoolSettings(
        two_way_enabled=bool(seed.two_way_enabled),
        two_way_channel_arn=seed.two_way_channel_arn if seed.two_way_enabled else None,
        two_way_channel_role=seed.two_way_channel_role if seed.two_way_enabled else None,
        self_managed_opt_outs_enabled=bool(seed.self_managed_opt_outs_enabled),
        opt_out_list_name=seed.opt_out_list_name or "Default",
        shared_routes_enabled=False,
        deletion_protection_enabled=False,
    )


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
) -> tuple[PoolFacts, dict[str, str], dict[str, KeywordEntry]]:
    """CreatePool, wait for ACTIVE and read the inherited keywords: (facts, tags sent, keywords)."""
    tags = {**desired.tags, CREATE_TOKEN_TAG_KEY: token, COUNTRY_TAG_KEY: iso_country_code}
    tag_list: list[TagTypeDef] = [{"Key": key, "Value": value} for key, value in tags.items()]
    for attempt in range(MAX_CREATE_TOKEN_TRIES):
        client_token = token if attempt == 0 else hashlib.sha256(f"{token}/{attempt}".encode()).hexdigest()
        try:
            created = client.create_pool(
                OriginationIdentity=seed.arn,
                MessageType=message_type,
                IsoCountryCode=seed.iso_country_code,
                DeletionProtectionEnabled=desired.deletion_protection_enabled,
                Tags=tag_list,
                ClientToken=client_token,
            )
        except ClientError as error:
            raise api_failure("CreatePool", error, seed.identity_id) from error
        facts = PoolFacts.from_info(cast("Mapping[str, Any]", created))
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
    except ClientError as error:
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
            info = wait_for_pool(client, adopt, budget, done=is_active, waiting_for="ACTIVE")
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
            _delete_for_cleanup(client, pool_id, budget, wait_until_gone=wait_until_gone)
        except Exception:
            logger.exception("Could not delete pool %s after a failed create", pool_id)
            raise PoolProviderError(
                f"{failure} Pool {pool_id} was not deleted in time: CloudFormation's rollback deletes it."
            ) from failure
        raise


def _resolve_new_pool(
    client: PinpointSMSVoiceV2Client, desired: PoolProperties
) -> tuple[DesiredIdentities, MessageTypeType, str]:
    """Look every identity up; the new pool's message type and country (the first identity's)."""
    identities = resolve_identities(client, desired.origination_identities, desired.iso_country_code, {})
    first = identities.members[identities.first_key]
    message_type = _derive_message_type(desired, first, identities.looked_up[identities.first_key], None)
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
    inherited = _seed_settings(seed)
    check_usable(seed, message_type)
    if seed.pool_id is not None and seed.pool_id not in [*own, adopt]:
        raise PoolConflictError(
            f"Phone number {seed.identity_id} is already in pool {seed.pool_id}; remove it there first or "
            f"remove it from {contract.ORIGINATION_IDENTITIES}."
        )
    wanted = desired_settings(desired, inherited)
    _check_joins(
        identities,
        message_type,
        {identities.first_key: first},
        inherited,
        wanted,
        own_pool_ids=[p for p in (*own, adopt) if p],
    )
    _check_opt_out_list(client, inherited, wanted)
    return adopt


def _check_opt_out_list(
    client: PinpointSMSVoiceV2Client, current: PoolSettings, wanted: PoolSettings
) -> None:
    """An opt-out list the pool would switch to must exist (UpdatePool would fail half-way)."""
    if wanted.opt_out_list_name == current.opt_out_list_name:
        return
    try:
        client.describe_opt_out_lists(OptOutListNames=[wanted.opt_out_list_name])
    except ClientError as error:
        if error_code(error) == "ResourceNotFoundException":
            raise PoolPropertyError(
                f'{contract.OPT_OUT_LIST_NAME} "{wanted.opt_out_list_name}" does not exist in this account '
                "and Region; create the opt-out list or fix the name."
            ) from error
        raise api_failure("DescribeOptOutLists", error, wanted.opt_out_list_name) from error


def create_pool_resource(
    client: PinpointSMSVoiceV2Client,
    desired: PoolProperties,
    request: RequestKey,
    budget: TimeBudget,
    on_pool_created: Callable[[str], None],
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
    )


# --- update ---------------------------------------------------------------------------------------
_INHERITED_PROPERTIES: Final = (
    contract.OPT_OUT_LIST_NAME,
    contract.SELF_MANAGED_OPT_OUTS_ENABLED,
    contract.TWO_WAY,
)


def _removed_mandatory_keywords(desired: PoolProperties, old_raw: Mapping[str, object]) -> list[str]:
    old = old_raw.get(contract.MANDATORY_KEYWORDS)
    if not isinstance(old, Mapping):
        return []
    return [
        name
        for name in contract.MANDATORY_KEYWORD_NAMES
        if name in old and name not in desired.mandatory_keywords
    ]


def restore_removed_properties(
    client: PinpointSMSVoiceV2Client,
    desired: PoolProperties,
    old_raw: Mapping[str, object],
    identities: DesiredIdentities,
) -> PoolProperties:
    """A property the template no longer sets goes back to what the first identity gives the pool.

    Omitted in both the old and the new template, such a property stays as the pool has it; removed
    (or, in a rollback Update, never set in the properties being restored) it is inherited again,
    so a rollback restores the old pool. Only then is the first identity looked up.
    """
    removed = [
        name
        for name in _INHERITED_PROPERTIES
        if name in old_raw and getattr(desired, _FIELD_OF[name]) is None
    ]
    removed_keywords = _removed_mandatory_keywords(desired, old_raw)
    if not removed and not removed_keywords:
        return desired
    first_key = identities.first_key
    seed = identities.looked_up.get(first_key)
    if seed is None:
        ref = identities.refs[0]
        seed = describe_identities(client, [ref], identities.members[first_key].iso_country_code)[ref]
    inherited = _seed_settings(seed)
    changes: dict[str, Any] = {}
    if contract.OPT_OUT_LIST_NAME in removed:
        changes["opt_out_list_name"] = inherited.opt_out_list_name
    if contract.SELF_MANAGED_OPT_OUTS_ENABLED in removed:
        changes["self_managed_opt_outs_enabled"] = inherited.self_managed_opt_outs_enabled
    if contract.TWO_WAY in removed:
        changes["two_way"] = TwoWaySettings(
            inherited.two_way_enabled, inherited.two_way_channel_arn, inherited.two_way_channel_role
        )
    if removed_keywords and seed.kind == PHONE_NUMBER:
        # A sender ID has no keywords: a pool made from one keeps its current HELP/STOP messages.
        try:
            found = client.describe_keywords(OriginationIdentity=seed.arn, Keywords=removed_keywords)
        except ClientError as error:
            raise api_failure("DescribeKeywords", error, seed.identity_id) from error
        messages = {k["Keyword"].upper(): k["KeywordMessage"] for k in found["Keywords"]}
        changes["mandatory_keywords"] = {**messages, **desired.mandatory_keywords}
    return dataclasses.replace(desired, **changes)


_FIELD_OF: Final = {
    contract.OPT_OUT_LIST_NAME: "opt_out_list_name",
    contract.SELF_MANAGED_OPT_OUTS_ENABLED: "self_managed_opt_outs_enabled",
    contract.TWO_WAY: "two_way",
}


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
    info = describe_pool(client, pool_id) if pool_id.startswith(contract.POOL_ID_PREFIX) else None
    if info is None or info["Status"] == "DELETING":
        # Deleted outside the stack: a new pool (a new PhysicalResourceId) puts the stack right.
        logger.warning("Pool %s no longer exists; creating a new pool", pool_id)
        return create_pool_resource(client, desired, request, budget, lambda _: None)
    if info["Status"] != "ACTIVE":
        info = wait_for_pool(client, pool_id, budget, done=is_active, waiting_for="ACTIVE")
    facts = PoolFacts.from_info(cast("Mapping[str, Any]", info))
    actual = read_pool(client, facts)
    current_country = actual.tags.get(COUNTRY_TAG_KEY) or next(
        (m.iso_country_code for m in actual.members.values()), None
    )
    identities = resolve_identities(
        client, desired.origination_identities, desired.iso_country_code or current_country, actual.members
    )
    first = identities.members[identities.first_key]
    message_type = _derive_message_type(
        desired, first, identities.looked_up.get(identities.first_key), facts.message_type
    )
    country = _derive_country(desired, identities, current_country)
    if message_type == facts.message_type and country == current_country:
        desired = restore_removed_properties(client, desired, old_raw or {}, identities)
    else:
        return replace_pool(
            client,
            desired=desired,
            old=actual,
            old_facts=facts,
            request=request,
            budget=budget,
            message_type=message_type,
        )
    _check_keeps_a_phone_number(identities, actual)
    wanted = desired_settings(desired, actual.settings)
    _check_joins(identities, message_type, actual.members, actual.settings, wanted, own_pool_ids=[pool_id])
    _check_opt_out_list(client, actual.settings, wanted)
    plan = plan_pool(desired, identities.members, actual)
    updated = apply_plan(client, pool_id, facts.pool_arn, plan, budget) if not plan.is_empty else None
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
) -> PoolOutcome:
    """A new pool for a new MessageType/IsoCountryCode; the old one stays for CloudFormation's Delete.

    Phone numbers the new pool keeps are handed over: disassociated from the old pool first (a phone
    number is in one pool at a time), while the old pool keeps at least one phone number so it stays
    usable if the stack rolls back. Where that is impossible, fail before changing anything.
    """
    # An omitted IsoCountryCode stays omitted: the new pool takes its first identity's country.
    new_props = dataclasses.replace(desired, message_type=message_type)
    identities, message_type, country = _resolve_new_pool(client, new_props)
    moving = [i for i in identities.looked_up.values() if i.pool_id == old.pool_id]
    for identity in moving:
        if message_type not in identity.message_types:
            raise PoolConflictError(
                f"Replacing pool {old.pool_id} ({old_facts.message_type}) with a {message_type} pool "
                f"cannot keep phone number {identity.identity_id}: a phone number's message type never "
                f"changes. Remove it from {contract.ORIGINATION_IDENTITIES} or keep {contract.MESSAGE_TYPE}."
            )
    moving_keys = {identity.key for identity in moving}
    old_phones = [m for m in old.members.values() if m.is_phone_number]
    if moving and all(m.key in moving_keys for m in old_phones):
        raise PoolConflictError(
            f"Replacing pool {old.pool_id} would move all its phone numbers to the new pool, but a pool "
            "keeps at least one. Add a spare phone number to the pool in one deployment, then replace it "
            "in the next."
        )
    adopt = _preflight_new_pool(client, new_props, identities, message_type, request, replacing=old.pool_id)
    handed_over: list[MemberIdentity] = []
    try:
        for identity in moving:
            member = old.members[identity.key]
            _disassociate(client, old.pool_id, member)
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
        )
    except Exception:
        for member in handed_over:
            try:
                _associate(client, old.pool_id, member)
            except Exception:
                logger.exception("Could not hand %s back to pool %s", member.identity_id, old.pool_id)
        raise


# --- delete ---------------------------------------------------------------------------------------
def delete_pool_resource(client: PinpointSMSVoiceV2Client, physical_id: str, budget: TimeBudget) -> None:
    """Delete the pool; a foreign id, a pool already gone or one already DELETING is success."""
    if not physical_id.startswith(contract.POOL_ID_PREFIX):
        logger.info("PhysicalResourceId %s names no pool; nothing to delete", physical_id)
        return
    while True:
        try:
            client.delete_pool(PoolId=physical_id)
            return
        except ClientError as error:
            if error_code(error) == "ResourceNotFoundException":
                return
            reason = error_reason(error)
            if reason == "DELETION_PROTECTION_ENABLED":
                raise PoolConflictError(
                    f"Pool {physical_id} has {contract.DELETION_PROTECTION_ENABLED} true. To delete it, "
                    f"set {contract.DELETION_PROTECTION_ENABLED} to false and deploy first; to keep it, "
                    "retain the resource (DeletionPolicy: Retain, or retain it when deleting the stack)."
                ) from error
            if reason != "RESOURCE_NOT_ACTIVE":
                raise api_failure("DeletePool", error, physical_id) from error
        pool = wait_for_pool(client, physical_id, budget, done=is_settled, waiting_for="ACTIVE to delete it")
        if pool is None or pool["Status"] == "DELETING":
            return
