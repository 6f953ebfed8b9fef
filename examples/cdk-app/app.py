#!/usr/bin/env python3
"""A CDK app of your own that embeds ``SmsVoicePool``: a pool and a role allowed to send through it.

Run from this folder with the repository's virtualenv, where ``cdk_sms_voice_pool`` is installed:
``npx cdk synth`` (in your own project, ``pip install cdk-sms-voice-pool`` instead). The pool's
identities are a stack parameter:

    npx cdk deploy --parameters OriginationIdentities=phone-1234abcd...,phone-5678ef...
"""

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from cdk_sms_voice_pool import MandatoryKeywords, MessageType, OptionalKeyword, SmsVoicePool


class MessagingStack(cdk.Stack):
    """One transactional pool and a role that may send text, voice and media messages through it."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        identities = cdk.CfnParameter(
            self,
            "OriginationIdentities",
            type="CommaDelimitedList",
            description="Phone number or sender ID ids or ARNs; the first one seeds the pool",
        )
        pool = SmsVoicePool(
            self,
            "Pool",
            origination_identities=identities.value_as_list,
            message_type=MessageType.TRANSACTIONAL,
            mandatory_keywords=MandatoryKeywords(
                help_message="Example Corp alerts. Reply STOP to unsubscribe.",
                stop_message="You will get no more messages from Example Corp.",
            ),
            optional_keywords=[OptionalKeyword(keyword="INFO", message="Example Corp alerts: example.com")],
            tags={"app": "messaging-example"},
        )
        sender = iam.Role(
            self,
            "Sender",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Sends alerts through the example pool",
        )
        pool.grant_send_messages(sender)
        cdk.CfnOutput(self, "PoolId", value=pool.pool_id)
        cdk.CfnOutput(self, "PoolArn", value=pool.pool_arn)
        cdk.CfnOutput(self, "SenderRoleArn", value=sender.role_arn)


app = cdk.App()
MessagingStack(app, "MessagingExample")
app.synth()
