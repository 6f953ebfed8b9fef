"""What a CDK user expects of any construct: stack-wide tags reach the pool, and the CDK objects the
user already holds (phone numbers, sender IDs, opt-out lists, roles) are accepted as they are."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_smsvoice as smsvoice

from cdk_sms_voice_pool import SmsVoicePool, SmsVoicePoolProvider, TwoWay
from tests.cdk.cdk_synth import Synthesized

SERVICE_TOKEN = "arn:aws:lambda:us-east-1:111122223333:function:provider"
PHONE = "phone-11111111111111111111111111111111"
TOPIC = "arn:aws:sns:us-east-1:111122223333:inbound-sms"


def pool_tags(template: dict[str, Any], logical_prefix: str) -> list[dict[str, str]] | None:
    [resource] = [
        r
        for logical_id, r in template["Resources"].items()
        if logical_id.startswith(logical_prefix) and r["Type"] == "Custom::SmsVoicePool"
    ]
    tags: list[dict[str, str]] | None = resource["Properties"].get("Tags")
    return tags


def synth_tagged(*, stack_tags: dict[str, str], pool_tags_argument: dict[str, str] | None) -> dict[str, Any]:
    app = cdk.App()
    stack = cdk.Stack(app, "Tagged")
    SmsVoicePool(
        stack, "Tagged", origination_identities=[PHONE], tags=pool_tags_argument, service_token=SERVICE_TOKEN
    )
    SmsVoicePool(stack, "Plain", origination_identities=[PHONE], service_token=SERVICE_TOKEN)
    for key, value in stack_tags.items():
        cdk.Tags.of(stack).add(key, value)
    return app.synth().get_stack_by_name("Tagged").template


def test_stack_tags_reach_every_pool_merged_with_the_tags_argument() -> None:
    template = synth_tagged(
        stack_tags={"team": "x", "env": "dev"}, pool_tags_argument={"team": "own", "app": "a"}
    )

    # On a shared key the Tags.of tag wins, as on CDK's own resources.
    assert pool_tags(template, "Tagged") == [
        {"Key": "app", "Value": "a"},
        {"Key": "env", "Value": "dev"},
        {"Key": "team", "Value": "x"},
    ]
    assert pool_tags(template, "Plain") == [{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "x"}]


def test_without_any_tag_the_property_is_left_out() -> None:
    # A removed stack tag leaves no Tags at all: the handler then removes the pool's tags on update.
    template = synth_tagged(stack_tags={}, pool_tags_argument=None)

    assert pool_tags(template, "Tagged") is None


def test_tags_of_a_single_pool_and_exclusions_follow_cdk_rules() -> None:
    app = cdk.App()
    stack = cdk.Stack(app, "Scoped")
    one = SmsVoicePool(stack, "One", origination_identities=[PHONE], service_token=SERVICE_TOKEN)
    SmsVoicePool(stack, "Two", origination_identities=[PHONE], service_token=SERVICE_TOKEN)
    cdk.Tags.of(one).add("only", "one")
    cdk.Tags.of(stack).add("all", "yes", exclude_resource_types=["Custom::SmsVoicePool"])

    template = app.synth().get_stack_by_name("Scoped").template

    assert pool_tags(template, "One") == [{"Key": "only", "Value": "one"}]
    assert pool_tags(template, "Two") is None


@pytest.mark.parametrize("key", ["smsvoicepool:owner", "SmsVoicePool:Owner"])
def test_a_reserved_key_added_with_tags_of_fails_synth_naming_the_key(key: str) -> None:
    with pytest.raises(
        RuntimeError,
        match=rf'SmsVoicePool tags "{key}" starts with smsvoicepool:; '
        "that prefix is reserved by this provider",
    ):
        synth_tagged(stack_tags={key: "x"}, pool_tags_argument=None)


def build_with_cdk_objects(app: cdk.App) -> cdk.Stack:
    stack = cdk.Stack(app, "CdkObjects")
    phone = smsvoice.CfnPhoneNumber(
        stack,
        "Phone",
        iso_country_code="US",
        number_capabilities=["SMS"],
        number_type="TOLL_FREE",
        mandatory_keywords=smsvoice.CfnPhoneNumber.MandatoryKeywordsProperty(
            help=smsvoice.CfnPhoneNumber.MandatoryKeywordProperty(message="Help: example.com"),
            stop=smsvoice.CfnPhoneNumber.MandatoryKeywordProperty(message="Unsubscribed."),
        ),
    )
    sender = smsvoice.CfnSenderId(stack, "Sender", iso_country_code="GB", sender_id="MYBRAND")
    opt_outs = smsvoice.CfnOptOutList(stack, "OptOuts")
    role = iam.Role(stack, "ChannelRole", assumed_by=iam.ServicePrincipal("sms-voice.amazonaws.com"))
    SmsVoicePool(
        stack,
        "Pool",
        origination_identities=[phone, sender, PHONE],
        opt_out_list_name=opt_outs,
        two_way=TwoWay(enabled=True, channel_arn=TOPIC, channel_role=role),
    )
    return stack


@pytest.fixture(scope="module")
def with_cdk_objects(synth: Callable[..., Synthesized]) -> Synthesized:
    return synth(build_with_cdk_objects)


def logical_id(synthesized: Synthesized, resource_type: str) -> str:
    [found] = synthesized.resources(resource_type)
    return found


def test_cdk_objects_become_arns_and_names_with_implicit_dependencies(with_cdk_objects: Synthesized) -> None:
    pool = with_cdk_objects.only_resource("Custom::SmsVoicePool")["Properties"]
    phone = logical_id(with_cdk_objects, "AWS::SMSVOICE::PhoneNumber")
    sender = logical_id(with_cdk_objects, "AWS::SMSVOICE::SenderId")
    opt_outs = logical_id(with_cdk_objects, "AWS::SMSVOICE::OptOutList")

    assert pool["OriginationIdentities"] == [
        {"Fn::GetAtt": [phone, "Arn"]},
        {"Fn::GetAtt": [sender, "Arn"]},
        PHONE,
    ]
    assert pool["OptOutListName"] == {"Ref": opt_outs}
    role_id, attribute = pool["TwoWay"]["ChannelRole"]["Fn::GetAtt"]
    role = with_cdk_objects.template["Resources"][role_id]
    assert (role["Type"], attribute) == ("AWS::IAM::Role", "Arn")
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "Service": "sms-voice.amazonaws.com"
    }


def test_a_two_way_role_object_lets_the_provider_pass_exactly_that_role_to_sms(
    with_cdk_objects: Synthesized,
) -> None:
    channel_role = with_cdk_objects.only_resource("Custom::SmsVoicePool")["Properties"]["TwoWay"][
        "ChannelRole"
    ]
    statements = [
        statement
        for policy in with_cdk_objects.resources("AWS::IAM::Policy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if statement["Action"] == "iam:PassRole"
    ]

    assert statements == [
        {
            "Action": "iam:PassRole",
            "Condition": {"StringEquals": {"iam:PassedToService": "sms-voice.amazonaws.com"}},
            "Effect": "Allow",
            "Resource": channel_role,
        }
    ]


@pytest.mark.parametrize("path", ["/", "sms-two-way", "/sms-two-way", "/a b/"])
def test_passing_roles_under_a_literal_path_refuses_a_path_that_is_not_one(path: str) -> None:
    provider = SmsVoicePoolProvider.get_or_create(cdk.Stack(cdk.App(), "Paths"))
    with pytest.raises(ValueError, match=rf"iam_path={path!r} is invalid: .*/sms-two-way/"):
        provider.grant_pass_roles_under_path(path)


def test_passing_roles_under_a_literal_path_grants_once_per_path() -> None:
    provider = SmsVoicePoolProvider.get_or_create(cdk.Stack(cdk.App(), "Paths"))
    first = provider.grant_pass_roles_under_path("/sms-two-way/")
    assert provider.grant_pass_roles_under_path("/sms-two-way/") is first
    assert provider.grant_pass_roles_under_path("/other/") is not first
