"""``SmsVoicePoolProviderStack``: the app's default stack.

It deploys the pool provider and exports its ServiceToken, so plain CloudFormation templates and
other CDK apps in the same account and region can create pools with ``Fn::ImportValue``. With
``-c originationIdentities=...`` it also deploys one pool, ``Pool``, configured from context.
"""

from __future__ import annotations

from typing import Any, Final

import aws_cdk as cdk
from constructs import Construct

from stacks.app_context import ORIGINATION_IDENTITIES, ignored_pool_settings, pool_arguments_from_context
from stacks.pool import SmsVoicePool
from stacks.provider import SmsVoicePoolProvider

STACK_ID: Final = "SmsVoicePoolProvider"
POOL_ID: Final = "Pool"
# Frozen: templates import the ServiceToken by this name, and an export in use cannot change.
SERVICE_TOKEN_EXPORT_NAME: Final = "SmsVoicePoolProvider-ServiceToken"  # noqa: S105 - an export name, not a secret


class SmsVoicePoolProviderStack(cdk.Stack):
    """The pool provider, its exported ServiceToken, and optionally one pool from context."""

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

        self.pool: SmsVoicePool | None = None
        arguments = pool_arguments_from_context(self.node)
        if arguments is None:
            ignored = ignored_pool_settings(self.node)
            if ignored:
                cdk.Annotations.of(self).add_warning_v2(
                    "SmsVoicePool:ContextWithoutPool",
                    f"context {', '.join(ignored)} ignored: "
                    f"no pool is deployed without -c {ORIGINATION_IDENTITIES}=<ids or ARNs>",
                )
            return
        self.pool = SmsVoicePool(self, POOL_ID, **arguments)
        cdk.CfnOutput(self, "PoolId", value=self.pool.pool_id, description="The pool's id")
        cdk.CfnOutput(self, "PoolArn", value=self.pool.pool_arn, description="The pool's ARN")
