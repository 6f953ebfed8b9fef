"""The wire format of ``Custom::SmsVoicePool``: the one source of truth for names.

Everything that crosses the CloudFormation boundary is named here: the resource type, the
property names (the same names and shapes as ``AWS::SMSVOICE::Pool``, plus ``MessageType`` and
``IsoCountryCode``), the nested keys, and the ``Fn::GetAtt`` attribute names. The handler parses
and answers with these constants; the CDK construct (``stacks/``), the docs and the tests read
them from this file (a contract test keeps them in step). Renaming anything here breaks every
template that uses the resource, so these names are frozen.
"""

from typing import Final

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

PROPERTIES: Final = (
    ORIGINATION_IDENTITIES,
    MANDATORY_KEYWORDS,
    OPTIONAL_KEYWORDS,
    DELETION_PROTECTION_ENABLED,
    OPT_OUT_LIST_NAME,
    SELF_MANAGED_OPT_OUTS_ENABLED,
    SHARED_ROUTES_ENABLED,
    TWO_WAY,
    TAGS,
    MESSAGE_TYPE,
    ISO_COUNTRY_CODE,
    ADOPT_POOL_ID,
)
REQUIRED_PROPERTIES: Final = (ORIGINATION_IDENTITIES,)
# Changing one of these gives a new pool (a new PhysicalResourceId); everything else updates in place.
REPLACEMENT_PROPERTIES: Final = (MESSAGE_TYPE, ISO_COUNTRY_CODE)
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
