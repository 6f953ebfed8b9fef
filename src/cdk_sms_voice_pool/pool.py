"""``SmsVoicePool``: an Amazon SMS pool as a ``Custom::SmsVoicePool`` resource.

The properties have the names and shapes of ``AWS::SMSVOICE::Pool`` plus ``MessageType`` and
``IsoCountryCode`` (see ``lambda/pool_provider/contract.py``); here they are keyword arguments in
Python naming. Literal values are checked at synth, so a typo fails ``cdk synth`` with the property,
the value and the fix, instead of a rollback minutes later. Tokens (values known only at deploy
time) are passed through unchecked; the handler checks them before it changes anything.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final

import aws_cdk as cdk
import jsii
from aws_cdk import aws_iam as iam
from aws_cdk import aws_smsvoice as smsvoice
from aws_cdk import region_info
from constructs import Construct

from cdk_sms_voice_pool import contract
from cdk_sms_voice_pool.provider import SERVICE_TIMEOUT, SmsVoicePoolProvider

SEND_ACTIONS: Final = (
    "sms-voice:SendMediaMessage",
    "sms-voice:SendTextMessage",
    "sms-voice:SendVoiceMessage",
)

# The priority CDK gives the tags an L1 resource is constructed with: below Tags.of(...)'s default
# (100), so on a shared key a Tags.of(...) tag wins, as it does on CDK's own resources.
_INITIAL_TAG_PRIORITY: Final = 50


class MessageType(enum.StrEnum):
    """The kind of messages a pool sends; it cannot change after the pool is created."""

    TRANSACTIONAL = "TRANSACTIONAL"
    PROMOTIONAL = "PROMOTIONAL"


class KeywordAction(enum.StrEnum):
    """What happens when a recipient texts an optional keyword to the pool."""

    AUTOMATIC_RESPONSE = "AUTOMATIC_RESPONSE"
    OPT_OUT = "OPT_OUT"
    OPT_IN = "OPT_IN"


@dataclass(frozen=True, kw_only=True)
class MandatoryKeywords:
    """Replies to the HELP and STOP keywords.

    :param help_message: reply to HELP. Default: the reply the pool inherits from its first identity.
    :param stop_message: reply to STOP. Default: the reply the pool inherits from its first identity.
    """

    help_message: str | None = None
    stop_message: str | None = None


@dataclass(frozen=True, kw_only=True)
class OptionalKeyword:
    """A keyword other than HELP and STOP, with its reply and action.

    :param keyword: what the recipient texts (1-30 characters).
    :param message: the reply (1-1600 characters).
    :param action: Default: ``KeywordAction.AUTOMATIC_RESPONSE`` (reply only).
    """

    keyword: str
    message: str
    action: KeywordAction | str = KeywordAction.AUTOMATIC_RESPONSE


@dataclass(frozen=True, kw_only=True)
class TwoWay:
    """Two-way messaging: where inbound messages to the pool go.

    :param enabled: whether inbound messages are delivered.
    :param channel_arn: an SNS topic ARN or ``connect.<region>.amazonaws.com``; required when enabled.
    :param channel_role: an IAM role (``iam.IRole`` or its ARN) SMS assumes to publish to the
        channel. Default: no role (the SNS topic policy grants access). When given, the stack's own
        provider is allowed ``iam:PassRole`` on exactly this role, to SMS only; a provider deployed
        elsewhere needs its own grant (see the provider stack's ``PassRoleIamPath`` parameter).
    """

    enabled: bool
    channel_arn: str | None = None
    channel_role: str | iam.IRole | None = None


# What ``origination_identities`` accepts: ids or ARNs, or the CDK resources (their ARNs are used).
OriginationIdentity = str | smsvoice.CfnPhoneNumber | smsvoice.CfnSenderId


def _identity_value(identity: object) -> object:
    if isinstance(identity, smsvoice.CfnPhoneNumber | smsvoice.CfnSenderId):
        return identity.attr_arn
    return identity


def _role_arn(role: str | iam.IRole) -> str:
    return role if isinstance(role, str) else role.role_arn


def _unresolved(value: object) -> bool:
    return cdk.Token.is_unresolved(value)


def _fail(prop: str, value: object, fix: str) -> ValueError:
    return ValueError(f"SmsVoicePool {prop}={value!r} is invalid: {fix}")


@contextmanager
def _handler_words(template_path: str = "", python_path: str = "") -> Iterator[None]:
    """A check the handler makes too (contract.py), failing with the handler's Reason; a Reason that
    names ``template_path`` (``TwoWay.ChannelArn``) names ``python_path`` (``two_way.channel_arn``)."""
    try:
        yield
    except contract.PropertyProblem as problem:
        reason = str(problem)
        if template_path and reason.startswith(template_path):
            reason = python_path + reason[len(template_path) :]
        raise ValueError(f"SmsVoicePool {reason}") from None


def _checked(check: str, value: object, *args: object, template_path: str, python_path: str) -> None:
    """The contract's ``check_<check>(*args)`` on ``value`` unless it is a token (the handler checks
    those at deploy), in the handler's words with the construct's name for the property."""
    if not _unresolved(value):
        with _handler_words(template_path, python_path):
            contract.run_check(check, *args)


def _known(value: str) -> str | None:
    return None if _unresolved(value) else value


def _stack_home(scope: Construct) -> object:
    """Where the stack deploys, as far as synth knows it: an environment-agnostic stack's account
    and Region are tokens, and are not compared. The partition is the concrete Region's."""
    stack = cdk.Stack.of(scope)
    region = _known(stack.region)
    partition = _known(stack.partition) or (region_info.RegionInfo.get(region).partition if region else None)
    return contract.stack_home(partition, region, _known(stack.account))


def _check_count(prop: str, count: int, limit: int, noun: str) -> None:
    """The handler's own words (contract.check_count) for a list over its limit."""
    with _handler_words():
        contract.run_check("count", prop, count, limit, noun)


def _check_identities(
    identities: Sequence[OriginationIdentity], iso_country_code: str | None, home: object
) -> list[Any]:
    if isinstance(identities, str):
        raise _fail(
            "origination_identities",
            identities,
            "pass a list of phone number/sender ID ids or ARNs, not a string",
        )
    if _unresolved(identities):
        return list(identities)
    values = [_identity_value(identity) for identity in identities]
    name = contract.ORIGINATION_IDENTITIES
    with _handler_words(name, "origination_identities"):
        contract.run_check("identity_count", len(values))
    literals: list[str | None] = []
    for index, value in enumerate(values):
        _checked(
            "identity",
            value,
            index,
            value,
            template_path=f"{name}[{index}]",
            python_path=f"origination_identities[{index}]",
        )
        literals.append(None if _unresolved(value) else str(value))
    # What only the handler checked before: an ARN of another type, account or Region, and one
    # identity listed twice in any mix of ids and ARNs (a sender ID without country is taken in
    # iso_country_code, as the handler takes it).
    with _handler_words():
        contract.check_identities("origination_identities", literals, iso_country_code, home)
    # Tokens (a GetAtt, an Fn::If) stay as they are: CloudFormation resolves them.
    return values


def _check_ruled(prop: str, path: str, value: str) -> str:
    """``value`` (``prop`` here, ``path`` in the template) by the contract's rule and the service
    model, as the handler checks it."""
    _checked("ruled_string", value, path, value, template_path=path, python_path=prop)
    return value


def _check_bool(prop: str, value: bool | None) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise _fail(prop, value, "use True or False")
    return value


def _check_message(prop: str, template_path: str, model_path: str, value: str) -> str:
    _checked(
        "keyword_message",
        value,
        template_path,
        model_path,
        value,
        template_path=template_path,
        python_path=prop,
    )
    return value


def _render_mandatory_keywords(keywords: MandatoryKeywords) -> dict[str, Any]:
    rendered: dict[str, Any] = {}
    for name, message in (
        (contract.MANDATORY_KEYWORD_HELP, keywords.help_message),
        (contract.MANDATORY_KEYWORD_STOP, keywords.stop_message),
    ):
        if message is not None:
            prop = f"mandatory_keywords.{name.lower()}_message"
            path = f"{contract.MANDATORY_KEYWORDS}.{name}.{contract.KEYWORD_MESSAGE}"
            rendered[name] = {contract.KEYWORD_MESSAGE: _check_message(prop, path, path, message)}
    if not rendered:
        raise _fail("mandatory_keywords", keywords, "set help_message, stop_message or both, or leave it out")
    return rendered


def _render_optional_keywords(keywords: Sequence[OptionalKeyword]) -> list[dict[str, Any]]:
    rendered: list[dict[str, Any]] = []
    seen: set[str] = set()
    # Always a Python list of OptionalKeyword (a token cannot stand for it), so always counted.
    _check_count(
        "optional_keywords", len(keywords), contract.MAX_OPTIONAL_KEYWORDS, "keywords besides HELP and STOP"
    )
    name = contract.OPTIONAL_KEYWORDS
    for index, item in enumerate(keywords):
        if not isinstance(item, OptionalKeyword):
            raise _fail(
                "optional_keywords", item, "give OptionalKeyword(keyword=..., message=..., action=...) items"
            )
        where, prop = f"{name}[{index}]", f"optional_keywords[{index}]"
        keyword, action = item.keyword, item.action
        _checked(
            "optional_keyword",
            keyword,
            index,
            keyword,
            template_path=f"{where}.{contract.KEYWORD_KEYWORD}",
            python_path=f"{prop}.keyword",
        )
        _checked(
            "keyword_listed_once",
            keyword,
            index,
            keyword,
            seen,
            template_path=f"{where}.{contract.KEYWORD_KEYWORD}",
            python_path=f"{prop}.keyword",
        )
        _checked(
            "keyword_action",
            action,
            index,
            action,
            template_path=f"{where}.{contract.KEYWORD_ACTION}",
            python_path=f"{prop}.action",
        )
        message = _check_message(
            f"{prop}.message",
            f"{where}.{contract.KEYWORD_MESSAGE}",
            f"{name}[].{contract.KEYWORD_MESSAGE}",
            item.message,
        )
        rendered.append(
            {
                contract.KEYWORD_KEYWORD: keyword,
                contract.KEYWORD_MESSAGE: message,
                # A KeywordAction is a str; the template holds its text.
                contract.KEYWORD_ACTION: action if _unresolved(action) else str(action),
            }
        )
    return rendered


def _render_two_way(two_way: TwoWay) -> dict[str, Any]:
    if not isinstance(two_way, TwoWay):
        raise _fail("two_way", two_way, "give TwoWay(enabled=..., channel_arn=..., channel_role=...)")
    if not isinstance(two_way.enabled, bool):
        raise _fail("two_way.enabled", two_way.enabled, "use True or False")
    rendered: dict[str, Any] = {contract.TWO_WAY_ENABLED: two_way.enabled}
    if two_way.channel_arn is not None:
        rendered[contract.TWO_WAY_CHANNEL_ARN] = _check_ruled(
            "two_way.channel_arn", f"{contract.TWO_WAY}.{contract.TWO_WAY_CHANNEL_ARN}", two_way.channel_arn
        )
    with _handler_words(f"{contract.TWO_WAY}.{contract.TWO_WAY_ENABLED}", "two_way.enabled"):
        contract.run_check("two_way_channel", two_way.enabled, two_way.channel_arn)
    if two_way.channel_role is not None:
        rendered[contract.TWO_WAY_CHANNEL_ROLE] = _check_ruled(
            "two_way.channel_role",
            f"{contract.TWO_WAY}.{contract.TWO_WAY_CHANNEL_ROLE}",
            _role_arn(two_way.channel_role),
        )
    return rendered


def _check_tags(tags: Mapping[str, str]) -> list[dict[str, str]]:
    """``tags`` as the template's ``[{Key, Value}]``, checked; raises ValueError."""
    _check_count("tags", len(tags), contract.MAX_USER_TAGS, "tags")
    rendered: list[dict[str, str]] = []
    for index, (key, value) in enumerate(tags.items()):
        where = f"{contract.TAGS}[{index}]"
        _checked("tag_key", key, index, key, template_path=f"{where}.{contract.TAG_KEY}", python_path="tags")
        _checked(
            "tag_value",
            value,
            index,
            value,
            template_path=f"{where}.{contract.TAG_VALUE}",
            python_path=f"tags[{key!r}]",
        )
        rendered.append({contract.TAG_KEY: key, contract.TAG_VALUE: value})
    return rendered


def _render_properties(
    *,
    origination_identities: Sequence[OriginationIdentity],
    message_type: MessageType | str | None,
    iso_country_code: str | None,
    mandatory_keywords: MandatoryKeywords | None,
    optional_keywords: Sequence[OptionalKeyword] | None,
    deletion_protection_enabled: bool | None,
    opt_out_list_name: str | None,
    self_managed_opt_outs_enabled: bool | None,
    shared_routes_enabled: bool | None,
    two_way: TwoWay | None,
    home: object,
) -> dict[str, Any]:
    """The resource's Properties (contract names, template types), checked; raises ValueError.

    ``home`` is where the stack deploys (see ``_stack_home``): a literal ARN of elsewhere fails.
    """
    if iso_country_code is not None:
        iso_country_code = _check_ruled("iso_country_code", contract.ISO_COUNTRY_CODE, iso_country_code)
    properties: dict[str, Any] = {
        contract.ORIGINATION_IDENTITIES: _check_identities(
            origination_identities, _known(iso_country_code) if iso_country_code else None, home
        ),
    }
    if message_type is not None:
        _checked(
            "message_type",
            message_type,
            message_type,
            template_path=contract.MESSAGE_TYPE,
            python_path="message_type",
        )
        # A MessageType is a str; the template holds its text.
        properties[contract.MESSAGE_TYPE] = message_type if _unresolved(message_type) else str(message_type)
    if iso_country_code is not None:
        properties[contract.ISO_COUNTRY_CODE] = iso_country_code
    if mandatory_keywords is not None:
        properties[contract.MANDATORY_KEYWORDS] = _render_mandatory_keywords(mandatory_keywords)
    if optional_keywords is not None:
        properties[contract.OPTIONAL_KEYWORDS] = _render_optional_keywords(optional_keywords)
    for prop, name, flag in (
        ("deletion_protection_enabled", contract.DELETION_PROTECTION_ENABLED, deletion_protection_enabled),
        (
            "self_managed_opt_outs_enabled",
            contract.SELF_MANAGED_OPT_OUTS_ENABLED,
            self_managed_opt_outs_enabled,
        ),
        ("shared_routes_enabled", contract.SHARED_ROUTES_ENABLED, shared_routes_enabled),
    ):
        if _check_bool(prop, flag) is not None:
            properties[name] = flag
    if opt_out_list_name is not None:
        properties[contract.OPT_OUT_LIST_NAME] = _check_ruled(
            "opt_out_list_name", contract.OPT_OUT_LIST_NAME, opt_out_list_name
        )
        if not _unresolved(opt_out_list_name):
            with _handler_words():
                contract.check_home("opt_out_list_name", opt_out_list_name, home)
    if two_way is not None:
        properties[contract.TWO_WAY] = _render_two_way(two_way)
    return properties


def _check_adopt_pool_id(value: str, home: object) -> str:
    if not _unresolved(value):
        with _handler_words():
            contract.read_pool_id("adopt_pool_id", value, home)
    return value


def _grant_send_messages(grantee: iam.IGrantable, pool_arn: str) -> iam.Grant:
    return iam.Grant.add_to_principal(grantee=grantee, actions=list(SEND_ACTIONS), resource_arns=[pool_arn])


class ImportedSmsVoicePool(Construct):
    """A pool this stack does not own (see :meth:`SmsVoicePool.from_pool_arn`): no resource, no
    provider; only references to it and grants on it."""

    def __init__(self, scope: Construct, construct_id: str, *, pool_id: str, pool_arn: str) -> None:
        super().__init__(scope, construct_id)
        self._pool_id = pool_id
        self._pool_arn = pool_arn

    @property
    def pool_id(self) -> str:
        """The pool's id (``pool-...``)."""
        return self._pool_id

    @property
    def pool_arn(self) -> str:
        """The pool's ARN."""
        return self._pool_arn

    def grant_send_messages(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` send text, voice and media messages through this pool."""
        return _grant_send_messages(grantee, self.pool_arn)


@jsii.implements(cdk.IStableAnyProducer)
class _TagsProducer:
    """Renders the pool's tags at synth, after every ``Tags.of(...)`` aspect has run."""

    def __init__(self, tags: cdk.TagManager) -> None:
        self._tags = tags

    def produce(self) -> list[dict[str, str]] | None:
        rendered = self._tags.render_tags()
        if not rendered:
            return None
        # Checked again here: keys added by Tags.of(...) were never seen by the constructor.
        return _check_tags({item[contract.TAG_KEY]: item[contract.TAG_VALUE] for item in rendered})


@jsii.implements(cdk.ITaggable)
class SmsVoicePool(Construct):
    """An Amazon SMS pool (``Custom::SmsVoicePool``) holding one or more phone numbers or sender IDs.

    The pool is created from its first origination identity, from which it inherits its opt-out
    list, keywords and two-way settings unless they are given here. ``message_type`` and
    ``iso_country_code`` cannot change in place: changing them creates a new pool and then deletes
    the old one. Every other property updates the pool in place.

    All pools of a stack share one :class:`SmsVoicePoolProvider`, created on first use, unless
    ``service_token`` names a provider deployed elsewhere (for example
    ``Fn.import_value("SmsVoicePoolProvider-ServiceToken")``).

    The pool is taggable: ``Tags.of(scope).add(key, value)`` reaches every pool in ``scope``,
    merged with the ``tags`` argument (on a shared key the ``Tags.of`` tag wins, as on CDK's own
    resources); a tag removed from the app is removed from the pool on the next deploy. Keys that
    start with ``aws:`` or the provider's prefix fail ``cdk synth``, wherever they come from.

    Besides the members below, ``pool.resource`` is the underlying ``cdk.CustomResource`` and
    ``pool.provider`` the stack's :class:`SmsVoicePoolProvider` (None with ``service_token``).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        origination_identities: Sequence[OriginationIdentity],
        message_type: MessageType | str | None = None,
        iso_country_code: str | None = None,
        mandatory_keywords: MandatoryKeywords | None = None,
        optional_keywords: Sequence[OptionalKeyword] | None = None,
        deletion_protection_enabled: bool | None = None,
        opt_out_list_name: str | smsvoice.CfnOptOutList | None = None,
        self_managed_opt_outs_enabled: bool | None = None,
        shared_routes_enabled: bool | None = None,
        two_way: TwoWay | None = None,
        tags: Mapping[str, str] | None = None,
        removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.DESTROY,
        service_token: str | None = None,
        adopt_pool_id: str | None = None,
    ) -> None:
        """Define a pool.

        :param origination_identities: phone number and sender ID ids or ARNs, or
            ``CfnPhoneNumber`` / ``CfnSenderId`` resources (their ARNs are used); the first one seeds
            the pool. Adding or removing others later updates the pool in place.
        :param message_type: Default: the message type of the first identity.
        :param iso_country_code: Default: the country of the first identity.
        :param mandatory_keywords: Default: the HELP and STOP replies the pool has (inherited from the
            first identity at creation) are kept.
        :param optional_keywords: the exact set of keywords besides HELP and STOP. Default: none;
            optional keywords the pool inherits from its first identity are removed.
        :param deletion_protection_enabled: Default: False, the pool can be deleted.
        :param opt_out_list_name: an opt-out list name or ARN, or a ``CfnOptOutList`` (its name is
            used). Default: the opt-out list of the first identity.
        :param self_managed_opt_outs_enabled: Default: the setting of the first identity
            (False: SMS handles STOP for you).
        :param shared_routes_enabled: Default: False, only your own identities send.
        :param two_way: Default: the two-way settings of the first identity.
        :param tags: the pool's tags, merged with those ``Tags.of(...)`` adds. Default: no tags
            other than those (tags set outside the template are removed on update).
        :param removal_policy: what happens to the pool when it leaves the template or the stack is
            deleted. Default: ``RemovalPolicy.DESTROY``, the pool is deleted.
        :param service_token: the ServiceToken of a provider deployed elsewhere. Default: this
            stack's own :class:`SmsVoicePoolProvider`.
        :param adopt_pool_id: an existing pool (id or ARN, in the stack's account and Region) that
            the resource takes over when it is created, instead of creating a pool: it is checked
            (ACTIVE, managed by no other ``Custom::SmsVoicePool``, the same message type and
            country), then converged to these properties exactly as an update would, and from then
            on managed like any other pool (deleted with the stack unless ``removal_policy`` keeps
            it). A failed adoption never deletes the pool. Changing it later fails the deployment
            before any change (remove it, or give the pool a new construct id to adopt another
            pool); removing it changes nothing. Default: a new pool is created.
        """
        super().__init__(scope, construct_id)

        home = _stack_home(self)
        properties = _render_properties(
            origination_identities=origination_identities,
            message_type=message_type,
            iso_country_code=iso_country_code,
            mandatory_keywords=mandatory_keywords,
            optional_keywords=optional_keywords,
            deletion_protection_enabled=deletion_protection_enabled,
            opt_out_list_name=(
                opt_out_list_name.ref
                if isinstance(opt_out_list_name, smsvoice.CfnOptOutList)
                else opt_out_list_name
            ),
            self_managed_opt_outs_enabled=self_managed_opt_outs_enabled,
            shared_routes_enabled=shared_routes_enabled,
            two_way=two_way,
            home=home,
        )
        self._tags = cdk.TagManager(
            cdk.TagType.KEY_VALUE, contract.RESOURCE_TYPE, tag_property_name=contract.TAGS
        )
        for item in _check_tags(tags or {}):
            self._tags.set_tag(item[contract.TAG_KEY], item[contract.TAG_VALUE], _INITIAL_TAG_PRIORITY)
        properties[contract.TAGS] = cdk.Lazy.any(_TagsProducer(self._tags), omit_empty_array=True)
        if adopt_pool_id is not None:
            properties[contract.ADOPT_POOL_ID] = _check_adopt_pool_id(adopt_pool_id, home)
        if removal_policy == cdk.RemovalPolicy.SNAPSHOT:
            raise _fail("removal_policy", removal_policy, "use DESTROY, RETAIN or RETAIN_ON_UPDATE_OR_DELETE")

        self.provider: SmsVoicePoolProvider | None = None
        if service_token is None:
            self.provider = SmsVoicePoolProvider.get_or_create(self)
            service_token = self.provider.service_token
            if two_way is not None and two_way.channel_role is not None:
                self.provider.grant_pass_two_way_channel_role(_role_arn(two_way.channel_role))

        self.resource = cdk.CustomResource(
            self,
            "Resource",
            service_token=service_token,
            resource_type=contract.RESOURCE_TYPE,
            properties=properties,
            service_timeout=SERVICE_TIMEOUT,
            removal_policy=removal_policy,
        )
        if self.provider is not None:
            # Deleted before the provider's log group, so the handler's Delete still gets logged.
            self.resource.node.add_dependency(self.provider.log_group)

    @staticmethod
    def from_pool_arn(scope: Construct, construct_id: str, pool_arn: str) -> ImportedSmsVoicePool:
        """A pool this stack does not own, by ARN: ``pool_id``, ``pool_arn`` and
        ``grant_send_messages``, and no resource or provider (like ``Bucket.from_bucket_arn``).

        A literal ARN is checked at synth; a token is taken as it is.
        """
        if _unresolved(pool_arn):
            pool_id = cdk.Arn.split(pool_arn, cdk.ArnFormat.SLASH_RESOURCE_NAME).resource_name or ""
        else:
            known_id = contract.pool_id_of_arn(pool_arn) if isinstance(pool_arn, str) else None
            if known_id is None:
                raise _fail(
                    "pool_arn",
                    pool_arn,
                    "give a pool ARN: arn:<partition>:sms-voice:<region>:<account>:pool/pool-...",
                )
            pool_id = known_id
        return ImportedSmsVoicePool(scope, construct_id, pool_id=pool_id, pool_arn=pool_arn)

    @staticmethod
    def from_pool_id(scope: Construct, construct_id: str, pool_id: str) -> ImportedSmsVoicePool:
        """A pool this stack does not own, by id (in the stack's account and Region); see
        :meth:`from_pool_arn`."""
        if not _unresolved(pool_id) and (not isinstance(pool_id, str) or not contract.is_pool_id(pool_id)):
            raise _fail("pool_id", pool_id, "give a pool id (pool-...)")
        pool_arn = cdk.Stack.of(scope).format_arn(
            service="sms-voice",
            resource="pool",
            resource_name=pool_id,
            arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME,
        )
        return ImportedSmsVoicePool(scope, construct_id, pool_id=pool_id, pool_arn=pool_arn)

    @property
    def tags(self) -> cdk.TagManager:
        """The pool's tags (``ITaggable``): what ``Tags.of(...)`` and the ``tags`` argument set."""
        return self._tags

    @property
    def pool_id(self) -> str:
        """The pool's id (``pool-...``): the resource's ``Ref``."""
        return self.resource.ref

    @property
    def pool_arn(self) -> str:
        """The pool's ARN (``Fn::GetAtt Arn``)."""
        return self.resource.get_att_string(contract.ATTR_ARN)

    def get_att_string(self, attribute_name: str) -> str:
        """Another attribute of the pool, for example ``"Status"`` or ``"MessageType"`` (all strings)."""
        if attribute_name not in contract.ATTRIBUTES:
            raise _fail("attribute_name", attribute_name, f"use one of {', '.join(contract.ATTRIBUTES)}")
        return self.resource.get_att_string(attribute_name)

    def grant_send_messages(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` send text, voice and media messages through this pool."""
        return _grant_send_messages(grantee, self.pool_arn)
