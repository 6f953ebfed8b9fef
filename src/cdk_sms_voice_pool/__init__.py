"""CDK constructs and stacks for ``Custom::SmsVoicePool`` (no Lambda code lives here)."""

from cdk_sms_voice_pool.contract import RESOURCE_TYPE
from cdk_sms_voice_pool.pool import (
    ImportedSmsVoicePool,
    KeywordAction,
    MandatoryKeywords,
    MessageType,
    OptionalKeyword,
    SmsVoicePool,
    TwoWay,
)
from cdk_sms_voice_pool.provider import SmsVoicePoolProvider
from cdk_sms_voice_pool.provider_stack import SERVICE_TOKEN_EXPORT_NAME, SmsVoicePoolProviderStack

__all__ = [
    "RESOURCE_TYPE",
    "SERVICE_TOKEN_EXPORT_NAME",
    "ImportedSmsVoicePool",
    "KeywordAction",
    "MandatoryKeywords",
    "MessageType",
    "OptionalKeyword",
    "SmsVoicePool",
    "SmsVoicePoolProvider",
    "SmsVoicePoolProviderStack",
    "TwoWay",
]
