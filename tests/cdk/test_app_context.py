"""The default app's ``-c key=value`` settings, as ``make demo`` and ``cdk deploy -c ...`` pass them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Annotations, Match

from stacks import AppStack
from stacks.app_context import pool_arguments_from_context
from tests.cdk.cdk_apps import FULL_CONTEXT
from tests.cdk.cdk_synth import Synthesized


@pytest.fixture(scope="module")
def with_pool(synth: Callable[..., Synthesized]) -> Synthesized:
    return synth(AppStack, context=FULL_CONTEXT)


def test_context_deploys_one_pool_named_pool_with_every_setting(with_pool: Synthesized) -> None:
    (logical_id, resource), *others = with_pool.resources("Custom::SmsVoicePool").items()
    assert others == []
    assert resource["Metadata"]["aws:cdk:path"] == "SmsVoicePoolProvider/Pool/Resource/Default"
    properties = {
        k: v for k, v in resource["Properties"].items() if k not in ("ServiceToken", "ServiceTimeout")
    }
    assert properties == {
        "OriginationIdentities": ["phone-11111111111111111111111111111111", "MYBRAND"],
        "MessageType": "PROMOTIONAL",
        "IsoCountryCode": "GB",
        "DeletionProtectionEnabled": False,
        "SelfManagedOptOutsEnabled": True,
        "SharedRoutesEnabled": False,
        "OptOutListName": "MyOptOuts",
        "MandatoryKeywords": {
            "HELP": {"Message": "Help: example.com"},
            "STOP": {"Message": "You are unsubscribed."},
        },
        # Sorted by key, as CDK's TagManager renders every resource's tags.
        "Tags": [{"Key": "env", "Value": "demo"}, {"Key": "team", "Value": "sms"}],
    }
    outputs = with_pool.template["Outputs"]
    assert outputs["PoolId"]["Value"] == {"Ref": logical_id}
    assert outputs["PoolArn"]["Value"] == {"Fn::GetAtt": [logical_id, "Arn"]}
    assert outputs["ServiceToken"]["Export"] == {"Name": "SmsVoicePoolProvider-ServiceToken"}


def arguments(context: dict[str, Any]) -> dict[str, Any] | None:
    return pool_arguments_from_context(cdk.App(context=context).node)


def test_no_identities_means_no_pool() -> None:
    assert arguments({}) is None


def test_context_values_from_cdk_json_keep_their_json_types() -> None:
    parsed = arguments(
        {"originationIdentities": ["phone-1"], "deletionProtectionEnabled": True, "tags": {"team": "sms"}}
    )
    assert parsed == {
        "origination_identities": ["phone-1"],
        "deletion_protection_enabled": True,
        "tags": {"team": "sms"},
    }


@pytest.mark.parametrize(
    ("context", "message"),
    [
        (
            {"originationIdentities": "phone-1,,phone-2"},
            r"originationIdentities='phone-1,,phone-2'.*comma-sep",
        ),
        ({"originationIdentities": ""}, r"originationIdentities=''.*comma-separated"),
        ({"originationIdentities": "p", "messageType": "BULK"}, r"messageType='BULK'.*TRANSACTIONAL"),
        (
            {"originationIdentities": "p", "deletionProtectionEnabled": "yes"},
            r"deletionProtectionEnabled='yes'.*-c deletionProtectionEnabled=true",
        ),
        ({"originationIdentities": "p", "tags": "team"}, r"tags='team'.*key=value pairs"),
        ({"originationIdentities": "p", "tags": "a=1,a=2"}, r"tags='a=1,a=2'.*key 'a' once"),
        ({"originationIdentities": "p", "helpMessage": ["a"]}, r"helpMessage=\['a'\].*single string"),
        (
            {"originationIdentities": "p", "adoptPoolId": ["pool-a"]},
            r"adoptPoolId=\['pool-a'\].*single string",
        ),
    ],
)
def test_fails_on_invalid_context(context: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        arguments(context)


def test_adopt_pool_id_from_context_adopts_that_pool() -> None:
    parsed = arguments({"originationIdentities": "phone-1", "adoptPoolId": " pool-abc "})
    assert parsed == {"origination_identities": ["phone-1"], "adopt_pool_id": "pool-abc"}


def test_fails_when_a_context_value_is_invalid_for_the_pool() -> None:
    app = cdk.App(context={"originationIdentities": "phone-1", "isoCountryCode": "USA"})
    with pytest.raises(ValueError, match=r'iso_country_code "USA" is not valid; .*two-letter'):
        AppStack(app)


def test_pool_settings_without_identities_warn_that_they_are_ignored() -> None:
    app = cdk.App(context={"messageType": "PROMOTIONAL"})
    stack = AppStack(app)
    assert stack.pool is None
    warnings = Annotations.from_stack(stack).find_warning(
        "*", Match.string_like_regexp("messageType ignored")
    )
    assert len(warnings) == 1
