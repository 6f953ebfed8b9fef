"""The wire format of ``Custom::SmsVoicePool``: the one source of truth for names.

Everything that crosses the CloudFormation boundary is named here: the resource type, the
property names (the same names and shapes as ``AWS::SMSVOICE::Pool``, plus ``MessageType`` and
``IsoCountryCode``), the nested keys, and the ``Fn::GetAtt`` attribute names. The handler parses
and answers with these constants; the CDK construct (``stacks/``), the docs and the tests read
them from this file (a contract test keeps them in step). Renaming anything here breaks every
template that uses the resource, so these names are frozen.

It is also the one property schema (``PROPERTY_SCHEMA`` and the limits below): each property's type,
whether it is required, its limits, patterns and update behaviour. The handler's parser
(pool_properties.py) and the construct's synth checks (src/cdk_sms_voice_pool/pool.py) both read
them, and both word a broken count limit with :func:`count_problem`, so a literal that ``cdk synth``
accepts is one the handler accepts. The service model's own member constraints (lengths, patterns,
enums) are checked on top by the handler (pool_api_constraints.py, from botocore); a test proves
the limits written here are the model's. This file imports only the standard library: the construct
loads it by path at synth, where botocore may not be installed.
"""

# No `from __future__ import annotations` here: the construct loads this file by path without
# registering it in sys.modules, and dataclass() looks string annotations up there.
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
# Create, CloudFormation's invented id) names no pool of ours.
POOL_ID_PREFIX: Final = "pool-"
# A failed adoption answers with this prefix and the pool's id (never the pool's id itself), so the
# rollback Delete of the failed Create leaves the adopted pool alone.
NOT_ADOPTED_ID_PREFIX: Final = "not-adopted:"
# Tag keys starting with this prefix are the provider's own (which request created a pool, and its
# country); a template may not set them, and the provider never removes them.
RESERVED_TAG_PREFIX: Final = "smsvoicepool:"
