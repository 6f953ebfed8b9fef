"""The apps several CDK test modules synthesize."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam

import cdk_sms_voice_pool as sms

# Strings, as the CDK CLI passes every -c value.
FULL_CONTEXT = {
    "originationIdentities": " phone-11111111111111111111111111111111 ,MYBRAND",
    "messageType": "promotional",
    "isoCountryCode": "gb",
    "deletionProtectionEnabled": "false",
    "selfManagedOptOutsEnabled": "TRUE",
    "sharedRoutesEnabled": "false",
    "optOutListName": "MyOptOuts",
    "helpMessage": "Help: example.com",
    "stopMessage": "You are unsubscribed.",
    "tags": "team=sms, env=demo",
}


CHANNEL_ROLE = "arn:aws:iam::111122223333:role/sms-two-way"
TOPIC = "arn:aws:sns:us-east-1:111122223333:inbound-sms"


def build_pools(app: cdk.App) -> cdk.Stack:
    stack = cdk.Stack(app, "Pools")
    full = sms.SmsVoicePool(
        stack,
        "Full",
        origination_identities=["phone-11111111111111111111111111111111", "MYBRAND"],
        message_type=sms.MessageType.TRANSACTIONAL,
        iso_country_code="US",
        mandatory_keywords=sms.MandatoryKeywords(help_message="Reply STOP to stop.", stop_message="Bye."),
        optional_keywords=[
            sms.OptionalKeyword(keyword="JOIN", message="Welcome!", action=sms.KeywordAction.OPT_IN),
            sms.OptionalKeyword(keyword="INFO", message="Example Corp."),
        ],
        deletion_protection_enabled=True,
        opt_out_list_name="MyOptOuts",
        self_managed_opt_outs_enabled=False,
        shared_routes_enabled=False,
        two_way=sms.TwoWay(enabled=True, channel_arn=TOPIC, channel_role=CHANNEL_ROLE),
        tags={"team": "messaging", "env": "test"},
    )
    sms.SmsVoicePool(stack, "Minimal", origination_identities=["phone-22222222222222222222222222222222"])
    sms.SmsVoicePool(
        stack,
        "SameChannelRole",
        origination_identities=["phone-33333333333333333333333333333333"],
        two_way=sms.TwoWay(enabled=True, channel_arn=TOPIC, channel_role=CHANNEL_ROLE),
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )
    sender = iam.Role(stack, "Sender", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    full.grant_send_messages(sender)
    cdk.CfnOutput(stack, "FullStatus", value=full.get_att_string("Status"))
    cdk.CfnOutput(stack, "FullId", value=full.pool_id)
    cdk.CfnOutput(stack, "FullArn", value=full.pool_arn)

    imported = cdk.Stack(app, "ImportedProvider")
    sms.SmsVoicePool(
        imported,
        "Pool",
        origination_identities=["phone-44444444444444444444444444444444"],
        two_way=sms.TwoWay(enabled=False, channel_role=CHANNEL_ROLE),
        service_token=cdk.Fn.import_value(sms.SERVICE_TOKEN_EXPORT_NAME),
    )
    return stack
