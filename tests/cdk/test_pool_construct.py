"""``SmsVoicePool`` as a user embeds it: properties, shared provider, policies, grants, attributes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import pytest

from tests.cdk.cdk_apps import CHANNEL_ROLE, TOPIC, build_pools
from tests.cdk.cdk_synth import Synthesized


@pytest.fixture(scope="module")
def pools(synth: Callable[..., Synthesized]) -> Synthesized:
    return synth(build_pools)


def pool(pools: Synthesized, construct_id: str) -> dict[str, Any]:
    found = [
        resource
        for resource in pools.resources("Custom::SmsVoicePool").values()
        if resource["Metadata"]["aws:cdk:path"] == f"Pools/{construct_id}/Resource/Default"
    ]
    assert len(found) == 1
    return found[0]


def function_arn(pools: Synthesized) -> dict[str, Any]:
    function_id = next(iter(pools.resources("AWS::Lambda::Function")))
    return {"Fn::GetAtt": [function_id, "Arn"]}


def test_every_property_is_rendered_with_its_contract_name_and_template_type(pools: Synthesized) -> None:
    assert pool(pools, "Full")["Properties"] == {
        "ServiceToken": function_arn(pools),
        "ServiceTimeout": "360",
        "OriginationIdentities": ["phone-11111111111111111111111111111111", "MYBRAND"],
        "MessageType": "TRANSACTIONAL",
        "IsoCountryCode": "US",
        "MandatoryKeywords": {"HELP": {"Message": "Reply STOP to stop."}, "STOP": {"Message": "Bye."}},
        "OptionalKeywords": [
            {"Keyword": "JOIN", "Message": "Welcome!", "Action": "OPT_IN"},
            {"Keyword": "INFO", "Message": "Example Corp.", "Action": "AUTOMATIC_RESPONSE"},
        ],
        "DeletionProtectionEnabled": True,
        "OptOutListName": "MyOptOuts",
        "SelfManagedOptOutsEnabled": False,
        "SharedRoutesEnabled": False,
        "TwoWay": {"Enabled": True, "ChannelArn": TOPIC, "ChannelRole": CHANNEL_ROLE},
        # Sorted by key, as CDK's TagManager renders every resource's tags.
        "Tags": [{"Key": "env", "Value": "test"}, {"Key": "team", "Value": "messaging"}],
    }


def test_omitted_properties_are_left_out_of_the_template(pools: Synthesized) -> None:
    assert pool(pools, "Minimal")["Properties"] == {
        "ServiceToken": function_arn(pools),
        "ServiceTimeout": "360",
        "OriginationIdentities": ["phone-22222222222222222222222222222222"],
    }


def test_service_timeout_is_a_little_above_the_function_timeout(pools: Synthesized) -> None:
    timeout = pools.only_resource("AWS::Lambda::Function")["Properties"]["Timeout"]
    for resource in pools.resources("Custom::SmsVoicePool").values():
        assert timeout < int(resource["Properties"]["ServiceTimeout"]) <= timeout + 120


def test_pools_in_one_stack_share_one_provider(pools: Synthesized) -> None:
    assert len(pools.resources("Custom::SmsVoicePool")) == 3
    assert len(pools.resources("AWS::Lambda::Function")) == 1
    assert len(pools.resources("AWS::Logs::LogGroup")) == 1
    tokens = {str(r["Properties"]["ServiceToken"]) for r in pools.resources("Custom::SmsVoicePool").values()}
    assert tokens == {str(function_arn(pools))}


def test_removal_policy_sets_deletion_and_update_replace_policies(pools: Synthesized) -> None:
    assert pool(pools, "Minimal")["DeletionPolicy"] == "Delete"
    assert pool(pools, "Minimal")["UpdateReplacePolicy"] == "Delete"
    assert pool(pools, "SameChannelRole")["DeletionPolicy"] == "Retain"
    assert pool(pools, "SameChannelRole")["UpdateReplacePolicy"] == "Retain"


def test_each_pool_is_deleted_before_the_providers_log_group(pools: Synthesized) -> None:
    log_group_id = next(iter(pools.resources("AWS::Logs::LogGroup")))
    for resource in pools.resources("Custom::SmsVoicePool").values():
        assert log_group_id in resource["DependsOn"]


def test_pass_role_is_granted_once_for_the_two_way_channel_role_only(pools: Synthesized) -> None:
    provider_policy = next(
        resource
        for resource in pools.resources("AWS::IAM::Policy").values()
        if any(s.get("Sid") == "ManagePools" for s in resource["Properties"]["PolicyDocument"]["Statement"])
    )
    pass_role = [
        statement
        for statement in provider_policy["Properties"]["PolicyDocument"]["Statement"]
        if "iam:PassRole" in str(statement["Action"])
    ]
    assert pass_role == [
        {
            "Action": "iam:PassRole",
            "Effect": "Allow",
            "Resource": CHANNEL_ROLE,
            "Condition": {"StringEquals": {"iam:PassedToService": "sms-voice.amazonaws.com"}},
        }
    ]


def test_grant_send_messages_allows_sending_through_that_pool_only(pools: Synthesized) -> None:
    full_id = next(
        logical_id
        for logical_id, resource in pools.resources("Custom::SmsVoicePool").items()
        if resource["Metadata"]["aws:cdk:path"] == "Pools/Full/Resource/Default"
    )
    sender_policy = next(
        resource
        for resource in pools.resources("AWS::IAM::Policy").values()
        if "SenderDefaultPolicy" in resource["Properties"]["PolicyName"]
    )
    assert sender_policy["Properties"]["PolicyDocument"]["Statement"] == [
        {
            "Action": [
                "sms-voice:SendMediaMessage",
                "sms-voice:SendTextMessage",
                "sms-voice:SendVoiceMessage",
            ],
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [full_id, "Arn"]},
        }
    ]


def test_pool_id_is_the_ref_and_attributes_are_get_atts(pools: Synthesized) -> None:
    full_id = next(
        logical_id
        for logical_id, resource in pools.resources("Custom::SmsVoicePool").items()
        if resource["Metadata"]["aws:cdk:path"] == "Pools/Full/Resource/Default"
    )
    outputs = pools.template["Outputs"]
    assert outputs["FullId"]["Value"] == {"Ref": full_id}
    assert outputs["FullArn"]["Value"] == {"Fn::GetAtt": [full_id, "Arn"]}
    assert outputs["FullStatus"]["Value"] == {"Fn::GetAtt": [full_id, "Status"]}


def test_a_pool_with_an_imported_service_token_makes_no_provider(pools: Synthesized) -> None:
    template = pools.assembly.get_stack_by_name("ImportedProvider").template
    types = {resource["Type"] for resource in template["Resources"].values()}
    assert types == {"Custom::SmsVoicePool"}
    (resource,) = template["Resources"].values()
    assert resource["Properties"]["ServiceToken"] == {"Fn::ImportValue": "SmsVoicePoolProvider-ServiceToken"}
    assert resource["Properties"]["ServiceTimeout"] == "360"
    assert "DependsOn" not in resource


def test_primary_child_id_is_resource(pools: Synthesized) -> None:
    child = pools.stack.node.find_child("Full").node.default_child
    assert isinstance(child, cdk.CustomResource)
    assert child.node.path == "Pools/Full/Resource"
