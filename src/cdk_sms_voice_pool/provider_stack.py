"""``SmsVoicePoolProviderStack``: the pool provider in a stack of its own, its ServiceToken exported.

Plain CloudFormation templates and other CDK apps in the same account and region then create pools
with ``Fn::ImportValue`` of :data:`SERVICE_TOKEN_EXPORT_NAME`.
"""

from __future__ import annotations

from typing import Any, Final

import aws_cdk as cdk
from constructs import Construct

from cdk_sms_voice_pool.provider import SmsVoicePoolProvider

STACK_ID: Final = "SmsVoicePoolProvider"
# Frozen: templates import the ServiceToken by this name, and an export in use cannot change.
SERVICE_TOKEN_EXPORT_NAME: Final = "SmsVoicePoolProvider-ServiceToken"  # noqa: S105 - an export name, not a secret


class SmsVoicePoolProviderStack(cdk.Stack):
    """The pool provider and its exported ServiceToken.

    :param construct_id: Default: ``SmsVoicePoolProvider``.
    :param kwargs: ``cdk.Stack`` arguments. Default description: the provider's purpose.
    """

    def __init__(self, scope: Construct, construct_id: str = STACK_ID, **kwargs: Any) -> None:
        kwargs.setdefault(
            "description",
            "Custom::SmsVoicePool provider (Amazon SMS pools as a CloudFormation custom resource)",
        )
        super().__init__(scope, construct_id, **kwargs)
        self.provider = SmsVoicePoolProvider.get_or_create(self)
        cdk.CfnOutput(
            self,
            "ServiceToken",
            value=self.provider.service_token,
            description="ServiceToken for Custom::SmsVoicePool resources in this account and region",
            export_name=SERVICE_TOKEN_EXPORT_NAME,
        )
