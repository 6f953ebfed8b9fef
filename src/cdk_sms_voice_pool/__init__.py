"""CDK constructs and stacks for ``Custom::SmsVoicePool``.

The provider's Lambda code ships pre-bundled inside the wheel; ``cdk synth`` needs no pip, no
network and no Docker. The version is the distribution's (``pyproject.toml``, one place).
"""

from importlib.metadata import version as _version

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

__version__ = _version("cdk-sms-voice-pool")

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
