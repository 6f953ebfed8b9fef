"""Bad literal values fail at synth, naming the property, the value and the fix; tokens pass through."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template

from cdk_sms_voice_pool import KeywordAction, MandatoryKeywords, OptionalKeyword, SmsVoicePool, TwoWay

# An imported ServiceToken keeps these tests free of the provider (no bundling, no Lambda).
SERVICE_TOKEN = "arn:aws:lambda:us-east-1:111122223333:function:provider"
PHONE = "phone-11111111111111111111111111111111"


def make_pool(**overrides: Any) -> SmsVoicePool:
    stack = cdk.Stack(cdk.App(), "Validation")
    arguments: dict[str, Any] = {"origination_identities": [PHONE], "service_token": SERVICE_TOKEN}
    return SmsVoicePool(stack, "Pool", **{**arguments, **overrides})


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"origination_identities": []}, r"origination_identities is empty; list at least one"),
        ({"origination_identities": PHONE}, r"origination_identities='phone-1+'.*a list"),
        (
            {"origination_identities": ["phone 1"]},
            r'origination_identities\[0\] "phone 1" is not valid; use a PhoneNumberId',
        ),
        (
            {"origination_identities": [PHONE, PHONE]},
            r"origination_identities names phone-number/phone-1+ twice.*list each identity once",
        ),
        (
            {"message_type": "BULK"},
            r'message_type "BULK" is not a message type; use TRANSACTIONAL or PROMOTIONAL',
        ),
        ({"iso_country_code": "us"}, r'iso_country_code "us" is not valid; .*two-letter upper-case'),
        (
            {"opt_out_list_name": "my list"},
            r'opt_out_list_name "my list" is not valid; .*opt-out list name or ARN',
        ),
        ({"deletion_protection_enabled": "true"}, r"deletion_protection_enabled='true'.*True or False"),
        ({"shared_routes_enabled": 1}, r"shared_routes_enabled=1.*True or False"),
        ({"mandatory_keywords": MandatoryKeywords()}, r"mandatory_keywords=.*help_message, stop_message"),
        (
            {"mandatory_keywords": MandatoryKeywords(help_message="   ")},
            r"mandatory_keywords.help_message \(a string of 3 characters\) is only spaces; .*not only spaces",
        ),
        (
            {"optional_keywords": [OptionalKeyword(keyword="stop", message="x")]},
            r'optional_keywords\[0\].keyword "stop" is not a valid optional keyword; '
            r".*go in MandatoryKeywords",
        ),
        (
            {
                "optional_keywords": [
                    OptionalKeyword(keyword="JOIN", message="a"),
                    OptionalKeyword(keyword="join", message="b"),
                ]
            },
            r'optional_keywords\[1\].keyword "join" is listed twice; list each keyword once',
        ),
        (
            {"optional_keywords": [OptionalKeyword(keyword="JOIN", message="a", action="SUBSCRIBE")]},
            r'optional_keywords\[0\].action "SUBSCRIBE" is not an action; '
            r"use one of AUTOMATIC_RESPONSE, OPT_OUT, OPT_IN",
        ),
        (
            {"optional_keywords": [OptionalKeyword(keyword="x" * 31, message="a")]},
            r'optional_keywords\[0\].keyword "x{31}" is not a valid optional keyword; use 1-30 characters',
        ),
        (
            {"two_way": TwoWay(enabled=True)},
            r"two_way.enabled is true but TwoWay.ChannelArn is missing; add the channel ARN",
        ),
        (
            {"two_way": TwoWay(enabled=False, channel_role="role/sms")},
            r'two_way.channel_role "role/sms" is not valid; use an IAM role ARN',
        ),
        ({"tags": {"aws:team": "x"}}, r'tags "aws:team" starts with aws:; that prefix is reserved by AWS'),
        (
            {"tags": {"smsvoicepool:token": "x"}},
            r'tags "smsvoicepool:token" starts with smsvoicepool:; .*reserved by this provider',
        ),
        (
            {"tags": {"team": "x" * 257}},
            r"tags\['team'\] \"x+\.\.\.\" is not a valid tag value; use 0-256 characters",
        ),
        ({"removal_policy": cdk.RemovalPolicy.SNAPSHOT}, r"removal_policy=.*DESTROY, RETAIN"),
    ],
)
def test_fails_at_synth_on_an_invalid_literal(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_pool(**overrides)


def test_fails_on_an_unknown_attribute_name() -> None:
    pool = make_pool()
    with pytest.raises(ValueError, match=r"attribute_name='PoolArn'.*use one of PoolId, Arn"):
        pool.get_att_string("PoolArn")


def test_tokens_are_passed_through_unchecked() -> None:
    stack = cdk.Stack(cdk.App(), "Tokens")
    identities = cdk.CfnParameter(stack, "Identities", type="CommaDelimitedList").value_as_list
    country = cdk.CfnParameter(stack, "Country").value_as_string
    keyword = cdk.CfnParameter(stack, "Keyword").value_as_string
    pool = SmsVoicePool(
        stack,
        "Pool",
        origination_identities=identities,
        iso_country_code=country,
        message_type=cdk.Fn.import_value("message-type"),
        optional_keywords=[OptionalKeyword(keyword=keyword, message=keyword, action=KeywordAction.OPT_IN)],
        service_token=SERVICE_TOKEN,
    )
    template = Template.from_stack(stack).to_json()
    properties = template["Resources"][stack.get_logical_id(pool.resource.node.default_child)]["Properties"]
    assert properties["OriginationIdentities"] == {"Ref": "Identities"}
    assert properties["IsoCountryCode"] == {"Ref": "Country"}
    assert properties["MessageType"] == {"Fn::ImportValue": "message-type"}


@pytest.mark.parametrize(
    ("removal_policy", "deletion_policy", "update_replace_policy"),
    [
        (cdk.RemovalPolicy.DESTROY, "Delete", "Delete"),
        (cdk.RemovalPolicy.RETAIN, "Retain", "Retain"),
        (cdk.RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, "RetainExceptOnCreate", "Retain"),
    ],
)
def test_removal_policy_maps_to_deletion_and_update_replace_policies(
    removal_policy: cdk.RemovalPolicy, deletion_policy: str, update_replace_policy: str
) -> None:
    pool = make_pool(removal_policy=removal_policy)
    stack = cdk.Stack.of(pool)
    resource = Template.from_stack(stack).to_json()["Resources"][
        stack.get_logical_id(pool.resource.node.default_child)
    ]
    assert (resource["DeletionPolicy"], resource["UpdateReplacePolicy"]) == (
        deletion_policy,
        update_replace_policy,
    )
