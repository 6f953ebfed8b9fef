"""The default stack (``cdk deploy`` with no context): the provider, its role and the exported token."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import boto3
import pytest
from aws_cdk import aws_lambda as lambda_
from aws_cdk.assertions import Match

from cdk_sms_voice_pool import contract
from stacks import AppStack
from tests.cdk.cdk_synth import Synthesized

PROVIDER_PATH_PREFIX = "SmsVoicePoolProviderc8ad61f620fc4716bc8c9221217025c2"


def sms_voice_arn(resource: str) -> dict[str, Any]:
    """``Stack.format_arn`` of an environment-agnostic stack: every part a pseudo parameter."""
    return {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":sms-voice:",
                {"Ref": "AWS::Region"},
                ":",
                {"Ref": "AWS::AccountId"},
                f":{resource}/*",
            ],
        ]
    }


def handler_policy(synthesized: Synthesized) -> dict[str, Any]:
    """The role's policy that is always there (not the one conditional on PassRoleIamPath)."""
    [policy] = [r for r in synthesized.resources("AWS::IAM::Policy").values() if "Condition" not in r]
    return policy


@pytest.fixture(scope="module")
def default(synth: Callable[..., Synthesized]) -> Synthesized:
    # GIVEN the app's default stack with no context (WHEN synthesized, with cdk-nag)
    return synth(AppStack)


def test_default_stack_id_and_no_pool_without_identities(default: Synthesized) -> None:
    assert default.stack.artifact_id == "SmsVoicePoolProvider"
    assert default.resources("Custom::SmsVoicePool") == {}
    assert set(default.template["Outputs"]) == {"ServiceToken"}


def test_provider_function_runs_the_newest_python_on_arm64(default: Synthesized) -> None:
    pythons = [name for name in dir(lambda_.Runtime) if re.fullmatch(r"PYTHON_3_\d+", name)]
    newest = max(pythons, key=lambda name: int(name.rsplit("_", 1)[1]))
    function = default.only_resource("AWS::Lambda::Function")["Properties"]
    assert function["Runtime"] == getattr(lambda_.Runtime, newest).name
    assert function["Architectures"] == ["arm64"]
    assert function["Handler"] == "index.handler"
    assert function["Timeout"] == 300
    assert "Custom::SmsVoicePool" in function["Description"]


def test_provider_function_is_never_retried_by_lambda(default: Synthesized) -> None:
    default.assertions.has_resource_properties(
        "AWS::Lambda::EventInvokeConfig", {"MaximumRetryAttempts": 0, "Qualifier": "$LATEST"}
    )


def test_provider_logs_to_its_own_log_group_with_retention_destroyed_with_the_stack(
    default: Synthesized,
) -> None:
    log_groups = default.resources("AWS::Logs::LogGroup")
    assert len(log_groups) == 1
    (log_group_id, log_group), *_ = log_groups.items()
    assert log_group["Properties"] == {"RetentionInDays": 30}
    assert log_group["DeletionPolicy"] == "Delete"
    assert log_group["UpdateReplacePolicy"] == "Delete"
    function = default.only_resource("AWS::Lambda::Function")["Properties"]
    assert function["LoggingConfig"] == {"LogGroup": {"Ref": log_group_id}}


# This test's own expectation (never read from the construct), call by call: the resource types
# the role may make it on. Least privilege: what the handler names in each call, not all the
# service would allow (DescribeKeywords, PutKeyword and DeleteKeyword could name any identity).
EXPECTED_SCOPES = {
    "AssociateOriginationIdentity": {"pool", "phone-number", "sender-id"},
    "CreatePool": {"phone-number", "sender-id"},
    "DeleteKeyword": {"pool"},
    "DeletePool": {"pool"},
    "DescribeKeywords": {"pool", "phone-number"},  # a pool inherits its first number's keywords
    "DescribeOptOutLists": {"opt-out-list"},
    "DescribePhoneNumbers": {"phone-number"},
    "DescribePools": {"pool"},
    "DescribeSenderIds": {"sender-id"},
    "DisassociateOriginationIdentity": {"pool", "phone-number", "sender-id"},
    "ListPoolOriginationIdentities": {"pool"},
    "ListTagsForResource": {"pool"},
    "PutKeyword": {"pool"},
    "TagResource": {"pool"},
    "UntagResource": {"pool"},
    "UpdatePool": {"pool", "opt-out-list"},
}
# Which resource types a request member can name (botocore's model names the members).
MEMBER_NAMES = {
    "PoolId": {"pool"},
    "PoolIds": {"pool"},
    "OriginationIdentity": {"pool", "phone-number", "sender-id"},
    "PhoneNumberIds": {"phone-number"},
    "SenderIds": {"sender-id"},
    "OptOutListName": {"opt-out-list"},
    "OptOutListNames": {"opt-out-list"},
    "ResourceArn": {"pool", "phone-number", "sender-id", "opt-out-list"},
}


def granted_scopes(statements: list[dict[str, Any]]) -> dict[str, set[str]]:
    """sms-voice operation -> the resource types (``arn:...:sms-voice:...:<type>/*``) it is allowed on."""
    scopes: dict[str, set[str]] = {}
    for statement in statements:
        resource = statement["Resource"]
        resource_type = resource["Fn::Join"][1][-1].strip(":/*") if "Fn::Join" in resource else None
        for action in statement["Action"]:
            if action.startswith("sms-voice:"):
                assert resource_type is not None, statement
                scopes.setdefault(action.removeprefix("sms-voice:"), set()).add(resource_type)
    return scopes


def test_role_has_no_managed_policy_and_exactly_the_handlers_permissions(default: Synthesized) -> None:
    role_id, role = next(iter(default.resources("AWS::IAM::Role").items()))
    assert "ManagedPolicyArns" not in role["Properties"]
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"] == [
        {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}}
    ]
    policy = handler_policy(default)["Properties"]
    assert policy["Roles"] == [{"Ref": role_id}]
    statements = policy["PolicyDocument"]["Statement"]
    log_group_id = next(iter(default.resources("AWS::Logs::LogGroup")))
    assert [(s["Sid"], s["Effect"], s["Resource"]) for s in statements] == [
        ("ManagePools", "Allow", sms_voice_arn("pool")),
        ("UsePhoneNumbers", "Allow", sms_voice_arn("phone-number")),
        ("UseSenderIds", "Allow", sms_voice_arn("sender-id")),
        ("UseOptOutLists", "Allow", sms_voice_arn("opt-out-list")),
        ("WriteLogs", "Allow", {"Fn::GetAtt": [log_group_id, "Arn"]}),
    ]
    assert statements[-1]["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert granted_scopes(statements[:-1]) == EXPECTED_SCOPES


def test_each_call_is_allowed_only_on_resource_types_its_request_can_name() -> None:
    """The expectation above is possible at all: botocore's model of each call has a member naming
    each resource type it is allowed on."""
    model = boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1").meta.service_model
    for operation, resource_types in EXPECTED_SCOPES.items():
        request = model.operation_model(operation).input_shape
        assert request is not None, operation
        members = request.members
        nameable = set().union(*(MEMBER_NAMES.get(member, set()) for member in members))
        assert resource_types <= nameable, operation


def test_no_arn_in_the_template_hard_codes_a_partition(default: Synthesized) -> None:
    assert "arn:aws:" not in str(default.template)


def test_function_is_created_after_its_permissions(default: Synthesized) -> None:
    [policy_id] = [k for k, r in default.resources("AWS::IAM::Policy").items() if "Condition" not in r]
    function = default.only_resource("AWS::Lambda::Function")
    assert policy_id in function["DependsOn"]


def test_service_token_is_exported_under_the_frozen_name(default: Synthesized) -> None:
    function_id = next(iter(default.resources("AWS::Lambda::Function")))
    assert default.template["Outputs"]["ServiceToken"]["Value"] == {"Fn::GetAtt": [function_id, "Arn"]}
    assert default.template["Outputs"]["ServiceToken"]["Export"] == {
        "Name": "SmsVoicePoolProvider-ServiceToken"
    }


def test_provider_construct_path_is_frozen(default: Synthesized) -> None:
    # Renaming the singleton would replace the function, and a ServiceToken can never change.
    function_id = next(iter(default.resources("AWS::Lambda::Function")))
    assert function_id.startswith(PROVIDER_PATH_PREFIX + "Function")


def test_stack_is_environment_agnostic(default: Synthesized) -> None:
    assert cdk.Token.is_unresolved(default.stack.account)
    assert cdk.Token.is_unresolved(default.stack.region)
    default.assertions.has_resource_properties(
        "AWS::Lambda::Function",
        {"Code": {"S3Bucket": {"Fn::Sub": Match.string_like_regexp("AWS::AccountId")}}},
    )


def sms_voice_operations_the_handler_calls() -> set[str]:
    """Every ``client.<method>`` in the handler's modules, and every quoted method name (a paginator's,
    as in ``client.get_paginator("<method>")`` or a table of them), as API operation names."""
    client = boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1")
    operations = client.meta.method_to_api_mapping
    used = re.compile(r"\bclient\.([a-z_]+)\b|\"([a-z_]+)\"")
    called: set[str] = set()
    for module in sorted(contract.LAMBDA_ASSET_DIR.glob("*.py")):
        names = {method or quoted for method, quoted in used.findall(module.read_text())}
        called |= {operations[name] for name in names if name in operations}
    return called


def test_role_allows_exactly_the_sms_voice_operations_the_handler_calls(default: Synthesized) -> None:
    statements = handler_policy(default)["Properties"]["PolicyDocument"]["Statement"]
    granted = {
        action.removeprefix("sms-voice:")
        for statement in statements
        for action in ([statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"])
        if action.startswith("sms-voice:")
    }
    assert granted == sms_voice_operations_the_handler_calls()


def test_pass_role_iam_path_parameter_grants_pass_role_under_that_path_only_when_set(
    default: Synthesized,
) -> None:
    parameter = default.template["Parameters"]["PassRoleIamPath"]
    assert (parameter["Type"], parameter["Default"]) == ("String", "")
    pattern = re.compile(parameter["AllowedPattern"])
    for allowed in ("", "/sms-two-way/", "/team/sms/"):
        assert pattern.fullmatch(allowed), allowed
    for refused in ("/", "sms", "/sms", "sms/", "/a b/"):
        assert not pattern.fullmatch(refused), refused
    [(condition_id, condition)] = default.template["Conditions"].items()
    assert condition == {"Fn::Not": [{"Fn::Equals": [{"Ref": "PassRoleIamPath"}, ""]}]}
    [policy] = [r for r in default.resources("AWS::IAM::Policy").values() if "Condition" in r]
    assert policy["Condition"] == condition_id
    role_id = next(iter(default.resources("AWS::IAM::Role")))
    assert policy["Properties"]["Roles"] == [{"Ref": role_id}]
    assert policy["Properties"]["PolicyDocument"]["Statement"] == [
        {
            "Sid": "PassTwoWayChannelRoles",
            "Action": "iam:PassRole",
            "Condition": {"StringEquals": {"iam:PassedToService": "sms-voice.amazonaws.com"}},
            "Effect": "Allow",
            "Resource": {
                "Fn::Join": [
                    "",
                    [
                        "arn:",
                        {"Ref": "AWS::Partition"},
                        ":iam::",
                        {"Ref": "AWS::AccountId"},
                        ":role",
                        {"Ref": "PassRoleIamPath"},
                        "*",
                    ],
                ]
            },
        }
    ]
