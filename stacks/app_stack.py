"""``AppStack``: this repository's default stack (``app.py``).

The provider stack of ``cdk_sms_voice_pool`` (provider and exported ServiceToken) and, with
``-c originationIdentities=...``, one pool, ``Pool``, configured from context.
"""

from __future__ import annotations

from typing import Any, Final

import aws_cdk as cdk
from constructs import Construct

from cdk_sms_voice_pool import SmsVoicePool, SmsVoicePoolProviderStack
from cdk_sms_voice_pool.provider_stack import STACK_ID
from stacks.app_context import ORIGINATION_IDENTITIES, ignored_pool_settings, pool_arguments_from_context

POOL_ID: Final = "Pool"


class AppStack(SmsVoicePoolProviderStack):
    """The pool provider, its exported ServiceToken, and optionally one pool from context."""

    def __init__(self, scope: Construct, construct_id: str = STACK_ID, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)

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
