"""CDK constructs and stacks for ``Custom::SmsVoicePool`` (no Lambda code lives here)."""

from stacks.contract import RESOURCE_TYPE
from stacks.pool import (
    KeywordAction,
    MandatoryKeywords,
    MessageType,
    OptionalKeyword,
    SmsVoicePool,
    TwoWay,
)
from stacks.provider import SmsVoicePoolProvider
from stacks.provider_stack import SERVICE_TOKEN_EXPORT_NAME, SmsVoicePoolProviderStack

__all__ = [
    "RESOURCE_TYPE",
    "SERVICE_TOKEN_EXPORT_NAME",
    "KeywordAction",
    "MandatoryKeywords",
    "MessageType",
    "OptionalKeyword",
    "SmsVoicePool",
    "SmsVoicePoolProvider",
    "SmsVoicePoolProviderStack",
    "TwoWay",
]
