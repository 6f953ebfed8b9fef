"""The wire format of ``Custom::SmsVoicePool``: the one source of truth for names.

Everything that crosses the CloudFormation boundary is named here: the resource type, the
property names (the same names and shapes as ``AWS::SMSVOICE::Pool``, plus ``MessageType`` and
``IsoCountryCode``), the nested keys, and the ``Fn::GetAtt`` attribute names. The handler parses
and answers with these constants; the CDK construct (``src/cdk_sms_voice_pool``), the docs and
the tests read them from this file (a contract test keeps them in step). Renaming anything here
breaks every template that uses the resource, so these names are frozen.

It is also the one property schema (``PROPERTY_SCHEMA`` and the limits below): each property's type,
whether it is required, its limits, patterns and update behaviour. The handler's parser
(pool_properties.py) and the construct's synth checks (src/cdk_sms_voice_pool/pool.py) both read
them, and both word a broken count limit with :func:`count_problem`, so a literal that ``cdk synth``
accepts is one the handler accepts. This file imports only the standard library: the construct
loads it by path at synth, where botocore may not be installed.

It also carries the service model's constraint (length, whole-value pattern, enum) of every member
a template value is sent as (``MODEL_CONSTRAINTS``; the handler reads the same ones from botocore,
pool_api_constraints.py, and a test proves the two equal), and the checks of each template string
(``check_*``) with the Reason's words: the handler's parser and the construct both call them, so a
literal ``cdk synth`` refuses is refused in the handler's words.

It also reads what a template writes for an identity (a phone number or sender ID, by id or ARN)
and for a pool (``AdoptPoolId``), and tells an ARN of another partition, Region or account
(:class:`Home`). The handler (pool_identities, pool_properties, pool_adoption) and the construct's
synth checks both call these readers, which raise :class:`PropertyProblem` with the Reason's words.
"""

# No `from __future__ import annotations` here: the construct loads this file by path without
# registering it in sys.modules, and dataclass() looks string annotations up there.
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

RESOURCE_TYPE: Final = "Custom::SmsVoicePool"

# --- Resource properties -------------------------------------------------------------------
ORIGINATION_IDENTITIES: Final = "OriginationIdentities"
MANDATORY_KEYWORDS: Final = "MandatoryKeywords"
OPTIONAL_KEYWORDS: Final = "OptionalKeywords"
DELETION_PROTECTION_ENABLED: Final = "DeletionProtectionEnabled"
OPT_OUT_LIST_NAME: Final = "OptOutListName"
SELF_MANAGED_OPT_OUTS_ENABLED: Final = "SelfManagedOptOutsEnabled"
SHARED_ROUTES_ENABLED: Final = "SharedRoutesEnabled"
TWO_WAY: Final = "TwoWay"
TAGS: Final = "Tags"
MESSAGE_TYPE: Final = "MessageType"
ISO_COUNTRY_CODE: Final = "IsoCountryCode"
# An existing pool (id or ARN) that Create takes over instead of calling CreatePool; only read at
# Create (pool_adoption.py).
ADOPT_POOL_ID: Final = "AdoptPoolId"

# --- Limits (service quotas and the API model's member constraints) ----------------------------
# Service quota: identities per pool.
MAX_IDENTITIES: Final = 100
# Service quota: 30 keywords per pool, HELP and STOP included.
MAX_OPTIONAL_KEYWORDS: Final = 28
# A pool holds at most 50 tags (quota TAGS_PER_RESOURCE); the provider keeps two of its own
# (RESERVED_TAG_PREFIX: which request created the pool, and its country).
TAGS_PER_POOL: Final = 50
RESERVED_TAG_COUNT: Final = 2
MAX_USER_TAGS: Final = TAGS_PER_POOL - RESERVED_TAG_COUNT
KEYWORD_MAX_LENGTH: Final = 30
KEYWORD_MESSAGE_MAX_LENGTH: Final = 1600
TAG_KEY_MAX_LENGTH: Final = 128
TAG_VALUE_MAX_LENGTH: Final = 256
# Full-match patterns (Python re syntax) of the string properties.
IDENTITY_PATTERN: Final = r"[A-Za-z0-9_:/-]{1,256}"
OPT_OUT_LIST_NAME_PATTERN: Final = r"[A-Za-z0-9_:/-]{1,256}"
ISO_COUNTRY_CODE_PATTERN: Final = r"[A-Z]{2}"
# The registry schema writes `^(?!(?i)(stop|help)$)[ \S]+`, which Python rejects (a global flag in
# the middle); a scoped flag group says the same thing. The length is KEYWORD_MAX_LENGTH.
OPTIONAL_KEYWORD_PATTERN: Final = r"(?!(?i:stop|help)$)[ \S]{1,30}"
# Not only whitespace; the length (1-KEYWORD_MESSAGE_MAX_LENGTH) is checked on its own.
KEYWORD_MESSAGE_PATTERN: Final = r"(?!\s*$)[\s\S]+"
TWO_WAY_CHANNEL_ARN_PATTERN: Final = r"\S{20,2048}"
TWO_WAY_CHANNEL_ROLE_PATTERN: Final = r"arn:\S{16,2044}"
# No line breaks (the model's `.+` / `.*`).
TAG_KEY_PATTERN: Final = r".{1,128}"
TAG_VALUE_PATTERN: Final = r".{0,256}"

UpdateBehaviour = Literal["in place", "replacement", "read at create"]


@dataclass(frozen=True)
class PropertySpec:
    """One property of the resource: what the docs tables say and both parsers check."""

    name: str
    # What the template gives: "string", "boolean", "list", "object".
    type: str
    required: bool
    update: UpdateBehaviour
    # Human-readable limits, each one written in the docs tables' row (a test checks it).
    limits: tuple[str, ...] = ()


def count_problem(prop: str, count: int, limit: int, noun: str) -> str | None:
    """The words for ``count`` items of ``prop`` over ``limit`` (None when within): the handler and
    the construct both say exactly this."""
    if count <= limit:
        return None
    return f"{prop} lists {count} {noun}; at most {limit} are allowed. Remove some."


# --- Schema ----------------------------------------------------------------------------------
PROPERTY_SCHEMA: Final = (
    PropertySpec(ORIGINATION_IDENTITIES, "list", True, "in place", (f"1-{MAX_IDENTITIES}",)),
    PropertySpec(MANDATORY_KEYWORDS, "object", False, "in place"),
    PropertySpec(
        OPTIONAL_KEYWORDS,
        "list",
        False,
        "in place",
        (f"1-{KEYWORD_MAX_LENGTH}", f"at most {MAX_OPTIONAL_KEYWORDS}"),
    ),
    PropertySpec(DELETION_PROTECTION_ENABLED, "boolean", False, "in place"),
    PropertySpec(OPT_OUT_LIST_NAME, "string", False, "in place"),
    PropertySpec(SELF_MANAGED_OPT_OUTS_ENABLED, "boolean", False, "in place"),
    PropertySpec(SHARED_ROUTES_ENABLED, "boolean", False, "in place"),
    PropertySpec(TWO_WAY, "object", False, "in place"),
    PropertySpec(TAGS, "list", False, "in place", (f"at most {MAX_USER_TAGS}", f"1-{TAG_KEY_MAX_LENGTH}")),
    PropertySpec(MESSAGE_TYPE, "string", False, "replacement"),
    PropertySpec(ISO_COUNTRY_CODE, "string", False, "replacement"),
    PropertySpec(ADOPT_POOL_ID, "string", False, "read at create"),
)

PROPERTIES: Final = tuple(spec.name for spec in PROPERTY_SCHEMA)
REQUIRED_PROPERTIES: Final = tuple(spec.name for spec in PROPERTY_SCHEMA if spec.required)
# Changing one of these gives a new pool (a new PhysicalResourceId); everything else updates in place.
REPLACEMENT_PROPERTIES: Final = tuple(spec.name for spec in PROPERTY_SCHEMA if spec.update == "replacement")
# CloudFormation adds these to every custom resource's properties; they are not ours to parse.
FRAMEWORK_PROPERTIES: Final = ("ServiceToken", "ServiceTimeout")

# --- Nested keys -----------------------------------------------------------------------------
MANDATORY_KEYWORD_HELP: Final = "HELP"
MANDATORY_KEYWORD_STOP: Final = "STOP"
MANDATORY_KEYWORD_NAMES: Final = (MANDATORY_KEYWORD_HELP, MANDATORY_KEYWORD_STOP)
KEYWORD_MESSAGE: Final = "Message"  # in MandatoryKeywords.{HELP,STOP} and OptionalKeywords[]
KEYWORD_KEYWORD: Final = "Keyword"  # OptionalKeywords[].Keyword
KEYWORD_ACTION: Final = "Action"  # OptionalKeywords[].Action
TWO_WAY_ENABLED: Final = "Enabled"
TWO_WAY_CHANNEL_ARN: Final = "ChannelArn"
TWO_WAY_CHANNEL_ROLE: Final = "ChannelRole"
TAG_KEY: Final = "Key"
TAG_VALUE: Final = "Value"

# The string values checked by a pattern alone: where (a property or a nested key), the pattern, and
# the fix that the handler's Reason and the construct's synth error both give for a broken value.
STRING_RULES: Final = {
    ISO_COUNTRY_CODE: (ISO_COUNTRY_CODE_PATTERN, "use a two-letter upper-case ISO 3166-1 code such as US"),
    OPT_OUT_LIST_NAME: (OPT_OUT_LIST_NAME_PATTERN, "use an opt-out list name or ARN (letters, digits, _:/-)"),
    f"{TWO_WAY}.{TWO_WAY_CHANNEL_ARN}": (
        TWO_WAY_CHANNEL_ARN_PATTERN,
        "use an SNS topic ARN or connect.<region>.amazonaws.com (20-2048 characters, no spaces)",
    ),
    f"{TWO_WAY}.{TWO_WAY_CHANNEL_ROLE}": (
        TWO_WAY_CHANNEL_ROLE_PATTERN,
        "use an IAM role ARN (arn:..., 20-2048 characters)",
    ),
}

MESSAGE_TYPES: Final = ("TRANSACTIONAL", "PROMOTIONAL")
KEYWORD_ACTIONS: Final = ("AUTOMATIC_RESPONSE", "OPT_OUT", "OPT_IN")

# --- Fn::GetAtt attributes (every value is a string) -------------------------------------------
ATTR_POOL_ID: Final = "PoolId"
ATTR_ARN: Final = "Arn"
ATTR_MESSAGE_TYPE: Final = "MessageType"
ATTR_ISO_COUNTRY_CODE: Final = "IsoCountryCode"
ATTR_STATUS: Final = "Status"
ATTR_TWO_WAY_ENABLED: Final = "TwoWayEnabled"
ATTR_SELF_MANAGED_OPT_OUTS_ENABLED: Final = "SelfManagedOptOutsEnabled"
ATTR_SHARED_ROUTES_ENABLED: Final = "SharedRoutesEnabled"
ATTR_DELETION_PROTECTION_ENABLED: Final = "DeletionProtectionEnabled"
ATTR_OPT_OUT_LIST_NAME: Final = "OptOutListName"

ATTRIBUTES: Final = (
    ATTR_POOL_ID,
    ATTR_ARN,
    ATTR_MESSAGE_TYPE,
    ATTR_ISO_COUNTRY_CODE,
    ATTR_STATUS,
    ATTR_TWO_WAY_ENABLED,
    ATTR_SELF_MANAGED_OPT_OUTS_ENABLED,
    ATTR_SHARED_ROUTES_ENABLED,
    ATTR_DELETION_PROTECTION_ENABLED,
    ATTR_OPT_OUT_LIST_NAME,
)

# The PhysicalResourceId is the PoolId; anything else (crhelper's generated id after a failed
# Create, "<stack name>_<logical id>_<random>", even for a stack named "pool-...", or CloudFormation's
# invented id) names no pool of ours and gets no call.
POOL_ID_PREFIX: Final = "pool-"
POOL_ID_PATTERN: Final = r"pool-[A-Za-z0-9]{1,251}"


def is_pool_id(value: str) -> bool:
    """Whether ``value`` is written as a PoolId (not whether such a pool exists)."""
    return re.fullmatch(POOL_ID_PATTERN, value) is not None


# A failed adoption answers with this prefix and the pool's id (never the pool's id itself), so the
# rollback Delete of the failed Create leaves the adopted pool alone.
NOT_ADOPTED_ID_PREFIX: Final = "not-adopted:"
# Tag keys starting with this prefix are the provider's own (which request created a pool, and its
# country); a template may not set them, and the provider never removes them.
RESERVED_TAG_PREFIX: Final = "smsvoicepool:"


# --- Identities and pools, by id or ARN ------------------------------------------------------
class PropertyProblem(ValueError):
    """A value the handler refuses, before any call; the message is the Reason (property, value, fix).

    The handler raises it again as its own PoolPropertyError, the construct as a ValueError naming
    ``SmsVoicePool``: both say the same words.
    """


IdentityKind = Literal["phone-number", "sender-id"]
PHONE_NUMBER: Final = "phone-number"
SENDER_ID: Final = "sender-id"
# Read only through the readers below (the construct calls them too).
_PHONE_NUMBER_ID: Final = re.compile(r"phone-[A-Za-z0-9]+")
_SENDER_ID: Final = re.compile(r"[A-Za-z0-9_-]{1,11}")
_COUNTRY: Final = re.compile(ISO_COUNTRY_CODE_PATTERN)
# An ARN of this service: <type>/<path> (phone-number/<id>, sender-id/<id>/<CC>, pool/<id>, ...).
_SMS_VOICE_ARN: Final = re.compile(r"arn:[^:]+:sms-voice:[^:]*:[^:]*:(?P<type>[a-z-]+)/(?P<path>.+)")
# Any ARN: where it points (partition, service, Region, account).
_ANY_ARN: Final = re.compile(
    r"arn:(?P<partition>[^:]*):(?P<service>[^:]*):(?P<region>[^:]*):(?P<account>[^:]*):.*"
)
_POOL_ARN: Final = re.compile(r"arn:[a-z-]+:sms-voice:[a-z0-9-]+:\d{12}:pool/(?P<pool_id>[^/]+)")
_MAX_SHOWN: Final = 40
_MAX_SHOWN_IDENTITY: Final = 60


def shown(value: object, limit: int = _MAX_SHOWN) -> str:
    """``value`` as a Reason quotes it: printable, cut to ``limit`` characters, a string in quotes."""
    text = value if isinstance(value, str) else repr(value)
    # A tab or newline would be invisible (or break the line) in a stack event.
    text = "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f'"{text}"' if isinstance(value, str) else text


@dataclass(frozen=True)
class Home:
    """The partition, Region and account a stack (and so every pool it manages) lives in.

    A part that is not known (a token at synth) is None and is compared with nothing.
    """

    partition: str | None
    region: str | None
    account: str | None

    @classmethod
    def of_stack(cls, stack_id: object) -> "Home | None":
        """Read from the event's StackId (an ARN); None if it is not one."""
        match = _ANY_ARN.fullmatch(stack_id) if isinstance(stack_id, str) else None
        if match is None or not match.group("region") or not match.group("account"):
            return None
        return cls(match.group("partition"), match.group("region"), match.group("account"))

    def foreign(self, value: str) -> str | None:
        """How ARN ``value`` points outside this account and Region (None: it does not, or no ARN)."""
        match = _ANY_ARN.fullmatch(value)
        if match is None:
            return None
        differences = [
            f"{label} {match.group(part)} (this stack's: {mine})"
            for label, part, mine in (
                ("partition", "partition", self.partition),
                ("Region", "region", self.region),
                ("account", "account", self.account),
            )
            if mine is not None and match.group(part) != mine
        ]
        return ", ".join(differences) or None


def arn_beside(arn: str, resource: str) -> str:
    """The ARN of ``resource`` (``pool/<id>``, ``phone-number/<id>``) in the service, partition,
    Region and account of ``arn``."""
    return f"{arn.rsplit(':', 1)[0]}:{resource}"


def check_home(prop: str, value: str, home: Home | None) -> None:
    """An ARN of another account, Region or partition is refused: it is never a local id."""
    elsewhere = home.foreign(value) if home is not None else None
    if elsewhere is not None:
        raise PropertyProblem(
            f"{prop} {shown(value)} names {elsewhere}; "
            "use one of this account and Region (shared resources are not supported)."
        )


@dataclass(frozen=True)
class IdentityRef:
    """One identity as a template or the API writes it."""

    written: str
    kind: IdentityKind
    identity_id: str
    # Known without a call only for a sender ID given as ARN.
    iso_country_code: str | None

    def key(self, default_country: str | None = None) -> str:
        """The canonical key; a sender ID given without country takes ``default_country``."""
        if self.kind == PHONE_NUMBER:
            return f"{PHONE_NUMBER}/{self.identity_id}"
        return f"{SENDER_ID}/{self.identity_id}/{self.iso_country_code or default_country or '?'}"


def read_identity(where: str, written: str) -> IdentityRef:
    """An id or ARN of a phone number or sender ID; anything else raises PropertyProblem."""
    arn = _SMS_VOICE_ARN.fullmatch(written)
    if arn is not None:
        resource_type, path = arn.group("type"), arn.group("path")
        if resource_type == PHONE_NUMBER and _PHONE_NUMBER_ID.fullmatch(path):
            return IdentityRef(written, PHONE_NUMBER, path, None)
        sender, _, country = path.partition("/")
        if resource_type == SENDER_ID and _SENDER_ID.fullmatch(sender) and _COUNTRY.fullmatch(country):
            return IdentityRef(written, SENDER_ID, sender, country)
    elif _PHONE_NUMBER_ID.fullmatch(written):
        return IdentityRef(written, PHONE_NUMBER, written, None)
    elif _SENDER_ID.fullmatch(written):
        return IdentityRef(written, SENDER_ID, written, None)
    raise PropertyProblem(
        f"{where} {shown(written, _MAX_SHOWN_IDENTITY)} is not a phone number or sender ID; use a "
        "PhoneNumberId (phone-...), PhoneNumberArn, SenderId or SenderIdArn (...:sender-id/<SenderId>/<CC>)."
    )


def check_distinct(prop: str, refs: Sequence[IdentityRef], default_country: str | None) -> None:
    """Raise if two refs name the same identity (in whatever form); ``default_country`` as in ``key``."""
    seen: dict[str, IdentityRef] = {}
    for ref in refs:
        key = ref.key(default_country)
        if key in seen:
            raise PropertyProblem(
                f"{prop} names {key} twice ({shown(seen[key].written, _MAX_SHOWN_IDENTITY)} and "
                f"{shown(ref.written, _MAX_SHOWN_IDENTITY)}); list each identity once."
            )
        seen[key] = ref


def read_identities(
    prop: str, written: Sequence[str | None], default_country: str | None, home: Home | None
) -> tuple[IdentityRef, ...]:
    """Every identity of ``prop`` read, in order; raises PropertyProblem at the first refused one.

    In this order: an ARN of another account, Region or partition (``home``); a value that is no
    phone number or sender ID id or ARN; two that name the same identity (a sender ID written
    without country is taken in ``default_country``). A None item (a value known only at deploy)
    is skipped; the others keep their index in the Reason.
    """
    known = [(index, value) for index, value in enumerate(written) if value is not None]
    for index, value in known:
        check_home(f"{prop}[{index}]", value, home)
    refs = tuple(read_identity(f"{prop}[{index}]", value) for index, value in known)
    check_distinct(prop, refs, default_country)
    return refs


def pool_id_of_arn(value: str) -> str | None:
    """The PoolId a pool ARN names (None: ``value`` is no pool ARN)."""
    match = _POOL_ARN.fullmatch(value)
    if match is None or not is_pool_id(match.group("pool_id")):
        return None
    return match.group("pool_id")


def read_pool_id(prop: str, value: object, home: Home | None) -> str:
    """The id of the pool ``value`` names (a PoolId, or a PoolArn of ``home``); else PropertyProblem.

    With ``home`` None (the stack's place is unknown) an ARN is refused: a pool elsewhere is never
    taken for a local one.
    """
    pool_id = value if isinstance(value, str) and is_pool_id(value) else None
    if pool_id is not None:
        return pool_id
    pool_id = pool_id_of_arn(value) if isinstance(value, str) else None
    if pool_id is None:
        raise PropertyProblem(
            f"{prop} {shown(value, _MAX_SHOWN_IDENTITY)} is not a pool id or ARN; use the PoolId (pool-...) "
            "or the PoolArn of a pool in the stack's account and Region."
        )
    mismatch = home.foreign(str(value)) if home is not None else "the stack's account and Region are unknown"
    if mismatch:
        raise PropertyProblem(
            f"{prop} names pool {pool_id} elsewhere: {mismatch}; adopt a pool of the stack's own account "
            "and Region."
        )
    return pool_id


# --- The service model's constraints, and the checks of each template string -----------------
@dataclass(frozen=True)
class Constraint:
    """What the service model allows for one string member."""

    shape_name: str
    min_length: int | None
    max_length: int | None
    pattern: str | None
    enum: tuple[str, ...] = ()

    def problem(self, value: str) -> str | None:
        """What is wrong with ``value`` (never quoting it), or None if the service would accept it."""
        if self.enum and value not in self.enum:
            return f"is not one of {', '.join(self.enum)}"
        if self.min_length is not None and len(value) < self.min_length:
            return f"has {len(value)} characters; at least {self.min_length} are needed"
        if self.max_length is not None and len(value) > self.max_length:
            return f"has {len(value)} characters; at most {self.max_length} are allowed"
        compiled = _compiled_model_pattern(self.pattern) if self.pattern else None
        if compiled is not None and compiled.fullmatch(value) is None:
            return f"does not match the service's pattern {self.pattern}"
        return None


def _compiled_model_pattern(pattern: str) -> re.Pattern[str] | None:
    # The model's patterns are Java regexes (matched against the whole value, as the service does);
    # the ones this service uses are valid Python too. One that is not (a future model) is left to
    # the service rather than refusing every value.
    try:
        return re.compile(pattern)
    except re.error:
        return None


# Template property path ([]: any list index) -> the constraint of the member its value is sent as:
# botocore's model (pool_api_constraints.TEMPLATE_MEMBERS reads it; a test proves these equal it).
_MESSAGE: Final = Constraint("KeywordMessage", 1, 1600, r"(?!\s*$)[\s\S]+")
MODEL_CONSTRAINTS: Final[Mapping[str, Constraint]] = {
    f"{ORIGINATION_IDENTITIES}[]": Constraint("PhoneOrSenderIdOrArn", 1, 256, r"[A-Za-z0-9_:/-]+"),
    f"{MANDATORY_KEYWORDS}.{MANDATORY_KEYWORD_HELP}.{KEYWORD_MESSAGE}": _MESSAGE,
    f"{MANDATORY_KEYWORDS}.{MANDATORY_KEYWORD_STOP}.{KEYWORD_MESSAGE}": _MESSAGE,
    f"{OPTIONAL_KEYWORDS}[].{KEYWORD_KEYWORD}": Constraint("Keyword", 1, 30, r"[ \S]+"),
    f"{OPTIONAL_KEYWORDS}[].{KEYWORD_MESSAGE}": _MESSAGE,
    f"{OPTIONAL_KEYWORDS}[].{KEYWORD_ACTION}": Constraint("KeywordAction", None, None, None, KEYWORD_ACTIONS),
    OPT_OUT_LIST_NAME: Constraint("OptOutListNameOrArn", 1, 256, r"[A-Za-z0-9_:/-]+"),
    f"{TWO_WAY}.{TWO_WAY_CHANNEL_ARN}": Constraint("TwoWayChannelArn", 20, 2048, r"\S+"),
    f"{TWO_WAY}.{TWO_WAY_CHANNEL_ROLE}": Constraint("IamRoleArn", 20, 2048, r"arn:\S+"),
    f"{TAGS}[].{TAG_KEY}": Constraint("TagKey", 1, 128, r".+"),
    f"{TAGS}[].{TAG_VALUE}": Constraint("TagValue", 0, 256, r".*"),
    MESSAGE_TYPE: Constraint("MessageType", None, None, None, MESSAGE_TYPES),
    ISO_COUNTRY_CODE: Constraint("IsoCountryCode", 2, 2, r"[A-Z]{2}"),
}

# What the service model would refuse in a value given for a property path (None: nothing). The
# handler passes botocore's (pool_api_constraints.model_problem); the construct uses this copy.
ModelCheck = Callable[[str, str], str | None]


def model_problem(property_path: str, value: str) -> str | None:
    """What ``MODEL_CONSTRAINTS`` refuses in ``value`` given for ``property_path``; None if nothing."""
    return MODEL_CONSTRAINTS[property_path].problem(value)


def _may_hold_message_text(prop: str) -> bool:
    """Whether a value at ``prop`` may be a keyword message (or hold one): never shown."""
    named = (f".{KEYWORD_KEYWORD}", f".{KEYWORD_ACTION}")
    return prop.startswith((MANDATORY_KEYWORDS, OPTIONAL_KEYWORDS)) and not prop.endswith(named)


def _described(value: object) -> str:
    """What ``value`` is, without its content."""
    if isinstance(value, str):
        return f"(a string of {len(value)} characters)"
    if isinstance(value, Mapping):
        return "(an object)"
    if isinstance(value, list):
        return f"(a list of {len(value)} items)"
    return f"(a {type(value).__name__})"


def shown_value(prop: str, value: object) -> str:
    """``value`` of ``prop`` as a Reason may show it: short, so the Reason keeps its fix; the text
    of a keyword message never (it may come from a NoEcho parameter), nor a whole object or list."""
    if _may_hold_message_text(prop) or isinstance(value, Mapping | list):
        return _described(value)
    return shown(value)


def value_reason(prop: str, value: object, problem: str, fix: str) -> str:
    """The Reason for ``value`` of ``prop``: the property, the value as shown, what is wrong, the fix."""
    return f"{prop} {shown_value(prop, value)} {problem}; {fix}."


def check_count(prop: str, count: int, limit: int, noun: str) -> None:
    """PropertyProblem in :func:`count_problem`'s words if ``count`` items of ``prop`` pass ``limit``."""
    problem = count_problem(prop, count, limit, noun)
    if problem is not None:
        raise PropertyProblem(problem)


def check_model(prop: str, path: str, value: str, fix: str, model: ModelCheck = model_problem) -> str:
    """``value`` if the service model's constraint for ``path`` allows it; else PropertyProblem."""
    problem = model(path, value)
    if problem is not None:
        raise PropertyProblem(value_reason(prop, value, problem, fix))
    return value


def check_string(
    prop: str,
    value: object,
    pattern: str,
    fix: str,
    *,
    model_path: str,
    model: ModelCheck = model_problem,
    mismatch: str = "is not valid",
) -> str:
    """A string matching ``pattern`` (whole; else the Reason says ``mismatch``) and the model's
    constraint at ``model_path``."""
    if not isinstance(value, str):
        raise PropertyProblem(value_reason(prop, value, "is not a string", fix))
    if not re.fullmatch(pattern, value):
        raise PropertyProblem(value_reason(prop, value, mismatch, fix))
    return check_model(prop, model_path, value, fix, model)


def check_ruled_string(path: str, value: object, model: ModelCheck = model_problem) -> str:
    """A string checked by its ``STRING_RULES`` entry and the model; ``path`` is the property or the
    nested key (``TwoWay.ChannelArn``)."""
    pattern, fix = STRING_RULES[path]
    return check_string(path, value, pattern, fix, model_path=path, model=model)


IDENTITY_FIX: Final = "use a PhoneNumberId, PhoneNumberArn, SenderId or SenderIdArn"


def check_identity_count(count: int) -> None:
    """At least one identity, at most ``MAX_IDENTITIES``."""
    if count == 0:
        raise PropertyProblem(
            f"{ORIGINATION_IDENTITIES} is empty; list at least one phone number or sender ID (id or ARN)."
        )
    check_count(ORIGINATION_IDENTITIES, count, MAX_IDENTITIES, "identities")


def check_identity(index: int, value: object, model: ModelCheck = model_problem) -> str:
    """Identity ``index``: a string of the identity pattern and the model's constraint."""
    return check_string(
        f"{ORIGINATION_IDENTITIES}[{index}]",
        value,
        IDENTITY_PATTERN,
        IDENTITY_FIX,
        model_path=f"{ORIGINATION_IDENTITIES}[]",
        model=model,
    )


def check_keyword_message(
    prop: str, model_path: str, value: object, model: ModelCheck = model_problem
) -> str:
    """A keyword's reply: 1-KEYWORD_MESSAGE_MAX_LENGTH characters, not only whitespace (never shown)."""
    return check_string(
        prop,
        value,
        KEYWORD_MESSAGE_PATTERN,
        f"use 1-{KEYWORD_MESSAGE_MAX_LENGTH} characters, not only spaces",
        model_path=model_path,
        model=model,
        mismatch="is only spaces",
    )


def check_optional_keyword(index: int, value: object, model: ModelCheck = model_problem) -> str:
    """Optional keyword ``index``: 1-KEYWORD_MAX_LENGTH characters, neither HELP nor STOP."""
    prop = f"{OPTIONAL_KEYWORDS}[{index}].{KEYWORD_KEYWORD}"
    if not isinstance(value, str) or not re.fullmatch(OPTIONAL_KEYWORD_PATTERN, value):
        raise PropertyProblem(
            value_reason(
                prop,
                value,
                "is not a valid optional keyword",
                f"use 1-{KEYWORD_MAX_LENGTH} characters; HELP and STOP (any case) go in MandatoryKeywords",
            )
        )
    return check_model(
        prop,
        f"{OPTIONAL_KEYWORDS}[].{KEYWORD_KEYWORD}",
        value,
        f"use 1-{KEYWORD_MAX_LENGTH} characters: letters, digits, punctuation and spaces "
        "(no tabs or line breaks)",
        model,
    )


def check_keyword_listed_once(index: int, keyword: str, seen: set[str]) -> None:
    """Keyword ``index`` is not in ``seen`` (upper case), which it joins; case does not matter."""
    if keyword.upper() in seen:
        raise PropertyProblem(
            value_reason(
                f"{OPTIONAL_KEYWORDS}[{index}].{KEYWORD_KEYWORD}",
                keyword,
                "is listed twice",
                "list each keyword once",
            )
        )
    seen.add(keyword.upper())


def check_keyword_action(index: int, value: object, model: ModelCheck = model_problem) -> str:
    """Optional keyword ``index``'s action: one of ``KEYWORD_ACTIONS``."""
    prop = f"{OPTIONAL_KEYWORDS}[{index}].{KEYWORD_ACTION}"
    fix = f"use one of {', '.join(KEYWORD_ACTIONS)}"
    if not isinstance(value, str) or value not in KEYWORD_ACTIONS:
        raise PropertyProblem(value_reason(prop, value, "is not an action", fix))
    return check_model(prop, f"{OPTIONAL_KEYWORDS}[].{KEYWORD_ACTION}", value, fix, model)


def check_message_type(value: object, model: ModelCheck = model_problem) -> str:
    """One of ``MESSAGE_TYPES``."""
    fix = f"use {' or '.join(MESSAGE_TYPES)}"
    if not isinstance(value, str) or value not in MESSAGE_TYPES:
        raise PropertyProblem(value_reason(MESSAGE_TYPE, value, "is not a message type", fix))
    return check_model(MESSAGE_TYPE, MESSAGE_TYPE, value, fix, model)


def check_two_way_channel(enabled: bool, channel_arn: str | None) -> None:
    """Two-way messaging that is enabled names its channel."""
    if enabled and channel_arn is None:
        raise PropertyProblem(
            f"{TWO_WAY}.{TWO_WAY_ENABLED} is true but {TWO_WAY}.{TWO_WAY_CHANNEL_ARN} "
            "is missing; add the channel ARN or set Enabled to false."
        )


def check_tag_key(index: int, value: object, model: ModelCheck = model_problem) -> str:
    """Tag ``index``'s key: 1-TAG_KEY_MAX_LENGTH characters without line breaks, not reserved."""
    prop = f"{TAGS}[{index}].{TAG_KEY}"
    fix = f"use 1-{TAG_KEY_MAX_LENGTH} characters without line breaks"
    if not isinstance(value, str) or not re.fullmatch(TAG_KEY_PATTERN, value):
        raise PropertyProblem(value_reason(prop, value, "is not a valid tag key", fix))
    check_model(prop, f"{TAGS}[].{TAG_KEY}", value, fix, model)
    if value.lower().startswith("aws:"):
        raise PropertyProblem(value_reason(prop, value, "starts with aws:", "that prefix is reserved by AWS"))
    if value.lower().startswith(RESERVED_TAG_PREFIX):
        raise PropertyProblem(
            value_reason(
                prop, value, f"starts with {RESERVED_TAG_PREFIX}", "that prefix is reserved by this provider"
            )
        )
    return value


def check_tag_value(index: int, value: object, model: ModelCheck = model_problem) -> str:
    """Tag ``index``'s value: 0-TAG_VALUE_MAX_LENGTH characters without line breaks."""
    prop = f"{TAGS}[{index}].{TAG_VALUE}"
    fix = f"use 0-{TAG_VALUE_MAX_LENGTH} characters without line breaks"
    if not isinstance(value, str) or not re.fullmatch(TAG_VALUE_PATTERN, value):
        raise PropertyProblem(value_reason(prop, value, "is not a valid tag value", fix))
    return check_model(prop, f"{TAGS}[].{TAG_VALUE}", value, fix, model)
