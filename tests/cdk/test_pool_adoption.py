"""``adopt_pool_id`` (checked at synth in the handler's words, rendered as AdoptPoolId) and references
to pools a stack does not own (``SmsVoicePool.from_pool_arn`` / ``from_pool_id``: no resource, no
provider)."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from cdk_sms_voice_pool import SmsVoicePool, contract

SERVICE_TOKEN = "arn:aws:lambda:us-east-1:111122223333:function:provider"
PHONE = "phone-11111111111111111111111111111111"
POOL_ID = "pool-0123456789abcdef0123456789abcdef"
POOL_ARN = f"arn:aws:sms-voice:us-east-1:111122223333:pool/{POOL_ID}"


def _stack(env: cdk.Environment | None = None) -> cdk.Stack:
    return cdk.Stack(cdk.App(), "Adoption", env=env)


def _adopting(stack: cdk.Stack, adopt_pool_id: Any) -> dict[str, Any]:
    SmsVoicePool(
        stack,
        "Pool",
        origination_identities=[PHONE],
        service_token=SERVICE_TOKEN,
        adopt_pool_id=adopt_pool_id,
    )
    resources = Template.from_stack(stack).find_resources(contract.RESOURCE_TYPE)
    ((_, resource),) = resources.items()
    properties: dict[str, Any] = resource["Properties"]
    return properties


@pytest.mark.parametrize("value", [POOL_ID, POOL_ARN], ids=["id", "arn"])
def test_adopt_pool_id_is_rendered_as_adopt_pool_id(value: str) -> None:
    env = cdk.Environment(account="111122223333", region="us-east-1")
    assert _adopting(_stack(env), value)["AdoptPoolId"] == value


def test_adopt_pool_id_is_left_out_when_not_given() -> None:
    stack = _stack()
    SmsVoicePool(stack, "Pool", origination_identities=[PHONE], service_token=SERVICE_TOKEN)
    ((_, resource),) = Template.from_stack(stack).find_resources(contract.RESOURCE_TYPE).items()
    assert contract.ADOPT_POOL_ID not in resource["Properties"]


def test_a_token_adopt_pool_id_passes_through() -> None:
    stack = _stack()
    parameter = cdk.CfnParameter(stack, "ExistingPool")
    assert _adopting(stack, parameter.value_as_string)["AdoptPoolId"] == {"Ref": "ExistingPool"}


@pytest.mark.parametrize(
    ("value", "env", "message"),
    [
        ("my-pool", None, r'adopt_pool_id "my-pool" is not a pool id or ARN; use the PoolId'),
        ("pool-", None, r'adopt_pool_id "pool-" is not a pool id or ARN'),
        (
            f"arn:aws:sms-voice:us-east-1:111122223333:phone-number/{PHONE}",
            None,
            r'adopt_pool_id "arn:aws:sms-voice:\S+" is not a pool id or ARN',
        ),
        (
            POOL_ARN,
            cdk.Environment(account="444455556666", region="us-east-1"),
            rf"adopt_pool_id names pool {POOL_ID} elsewhere: account 111122223333 \(this stack's: 4444\d+\)",
        ),
        (
            POOL_ARN,
            cdk.Environment(account="111122223333", region="eu-west-1"),
            r"elsewhere: Region us-east-1 \(this stack's: eu-west-1\); adopt a pool of the stack's own",
        ),
        (42, None, r"adopt_pool_id 42 is not a pool id or ARN"),
    ],
    ids=["not-a-pool", "empty-id", "phone-arn", "other-account", "other-region", "not-a-string"],
)
def test_a_bad_literal_adopt_pool_id_fails_at_synth(
    value: Any, env: cdk.Environment | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        _adopting(_stack(env), value)


def test_an_arn_is_accepted_for_an_environment_agnostic_stack() -> None:
    assert _adopting(_stack(), POOL_ARN)["AdoptPoolId"] == POOL_ARN


# --- references ------------------------------------------------------------------------------------
def _grant_statement(stack: cdk.Stack) -> dict[str, Any]:
    policies = Template.from_stack(stack).find_resources("AWS::IAM::Policy")
    ((_, policy),) = policies.items()
    ((statement),) = policy["Properties"]["PolicyDocument"]["Statement"]
    return dict(statement)


def test_from_pool_arn_creates_nothing_and_grants_sending_on_that_pool() -> None:
    stack = _stack()
    role = iam.Role(stack, "Sender", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))

    pool = SmsVoicePool.from_pool_arn(stack, "Existing", POOL_ARN)
    pool.grant_send_messages(role)

    assert (pool.pool_id, pool.pool_arn) == (POOL_ID, POOL_ARN)
    resources = Template.from_stack(stack).to_json()["Resources"]
    assert {r["Type"] for r in resources.values()} == {"AWS::IAM::Role", "AWS::IAM::Policy"}
    statement = _grant_statement(stack)
    assert statement["Resource"] == POOL_ARN
    assert sorted(statement["Action"]) == [
        "sms-voice:SendMediaMessage",
        "sms-voice:SendTextMessage",
        "sms-voice:SendVoiceMessage",
    ]


def test_from_pool_id_builds_the_arn_of_the_stack_account_and_region() -> None:
    stack = _stack(cdk.Environment(account="111122223333", region="us-east-1"))

    pool = SmsVoicePool.from_pool_id(stack, "Existing", POOL_ID)

    assert pool.pool_id == POOL_ID
    assert stack.resolve(pool.pool_arn) == {
        "Fn::Join": [
            "",
            ["arn:", {"Ref": "AWS::Partition"}, f":sms-voice:us-east-1:111122223333:pool/{POOL_ID}"],
        ]
    }
    assert Template.from_stack(stack).to_json().get("Resources", {}) == {}


def test_from_pool_arn_takes_a_token() -> None:
    stack = _stack()
    arn = cdk.CfnParameter(stack, "PoolArn").value_as_string

    pool = SmsVoicePool.from_pool_arn(stack, "Existing", arn)

    assert stack.resolve(pool.pool_arn) == {"Ref": "PoolArn"}
    assert "Fn::Select" in str(stack.resolve(pool.pool_id))


@pytest.mark.parametrize(
    ("factory", "value", "message"),
    [
        ("from_pool_arn", POOL_ID, r"pool_arn='pool-0123.*pool ARN"),
        ("from_pool_arn", "arn:aws:sms-voice:us-east-1:111122223333:pool/x", r"pool_arn=.*pool ARN"),
        ("from_pool_id", POOL_ARN, r"pool_id='arn:.*pool id"),
    ],
)
def test_a_bad_literal_reference_fails_at_synth(factory: str, value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        getattr(SmsVoicePool, factory)(_stack(), "Existing", value)
