"""Create: ids and ARNs, inheritance, keywords, settings, tags, and the answer CloudFormation gets."""

from __future__ import annotations

from typing import Any

import contract
import pytest

from tests.provider.conftest import Provider
from tests.support.harness import RESPONSE_URL


def test_create_from_a_phone_number_id_answers_success_with_every_attribute(
    provider: Provider, sms: Any
) -> None:
    phone = provider.control.seed_phone_number()

    answer = provider.create({"OriginationIdentities": [phone["PhoneNumberId"]]})

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    pool_id = answer["PhysicalResourceId"]
    assert pool_id.startswith("pool-")
    pool = sms.describe_pools(PoolIds=[pool_id])["Pools"][0]
    assert answer["Data"] == {
        "PoolId": pool_id,
        "Arn": pool["PoolArn"],
        "MessageType": "TRANSACTIONAL",
        "IsoCountryCode": "US",
        "Status": "ACTIVE",
        "TwoWayEnabled": "false",
        "SelfManagedOptOutsEnabled": "false",
        "SharedRoutesEnabled": "false",
        "DeletionProtectionEnabled": "false",
        "OptOutListName": "Default",
    }
    assert set(answer["Data"]) == set(contract.ATTRIBUTES)
    assert len(provider.responses.raw[-1]) < 4096
    members = sms.list_pool_origination_identities(PoolId=pool_id)["OriginationIdentities"]
    assert [m["OriginationIdentityArn"] for m in members] == [phone["PhoneNumberArn"]]


def test_create_makes_the_minimum_calls(provider: Provider) -> None:
    phone = provider.control.seed_phone_number()
    provider.control.clear_calls()

    answer = provider.create({"OriginationIdentities": [phone["PhoneNumberArn"]]})

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    # Look the identity up, create the pool, read the keywords it inherited: nothing else to do.
    assert provider.operations() == ["DescribePhoneNumbers", "CreatePool", "DescribeKeywords"]


def test_delete_makes_one_call_and_answers_with_the_same_id(provider: Provider, sms: Any) -> None:
    phone = provider.control.seed_phone_number()
    props = {"OriginationIdentities": [phone["PhoneNumberArn"]]}
    pool_id = provider.existing_pool(props)

    answer = provider.delete(pool_id, props)

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] == pool_id
    assert provider.operations() == ["DeletePool"]
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.describe_pools(PoolIds=[pool_id])


def test_the_response_url_is_never_logged(provider: Provider, caplog: pytest.LogCaptureFixture) -> None:
    phone = provider.control.seed_phone_number()
    caplog.set_level("DEBUG")

    provider.create({"OriginationIdentities": [phone["PhoneNumberArn"]]})

    assert "Created pool" in caplog.text  # the log is captured, and it is JSON with the request ids
    assert '"RequestType": "Create"' in caplog.text
    assert "X-Amz-Signature" not in caplog.text
    assert "ResponseURL" not in caplog.text
    assert RESPONSE_URL.split("?")[0] not in caplog.text  # not even the unsigned part


def _keywords(sms: Any, pool_id: str) -> dict[str, tuple[str, str]]:
    found = sms.describe_keywords(OriginationIdentity=pool_id, MaxResults=100)["Keywords"]
    return {k["Keyword"]: (k["KeywordMessage"], k["KeywordAction"]) for k in found}


def _tags(sms: Any, pool_arn: str) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in sms.list_tags_for_resource(ResourceArn=pool_arn)["Tags"]}


def _member_arns(sms: Any, pool_id: str) -> set[str]:
    found = sms.list_pool_origination_identities(PoolId=pool_id, MaxResults=100)["OriginationIdentities"]
    return {m["OriginationIdentityArn"] for m in found}


def test_create_from_a_sender_id_arn_derives_message_type_and_country(provider: Provider, sms: Any) -> None:
    sender = provider.control.seed_sender_id("MYBRAND", "GB", message_types=("PROMOTIONAL",))

    answer = provider.create({"OriginationIdentities": [sender["SenderIdArn"]]})

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["Data"]["MessageType"] == "PROMOTIONAL"
    assert answer["Data"]["IsoCountryCode"] == "GB"
    assert _member_arns(sms, answer["PhysicalResourceId"]) == {sender["SenderIdArn"]}


def test_create_fails_when_a_sender_id_supports_both_message_types_and_none_is_given(
    provider: Provider,
) -> None:
    sender = provider.control.seed_sender_id("MYBRAND", "GB", message_types=("TRANSACTIONAL", "PROMOTIONAL"))

    answer = provider.create({"OriginationIdentities": [sender["SenderIdArn"]]})

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith("MessageType is not set")
    assert provider.mutating_calls() == []


def test_create_accepts_ids_and_arns_mixed_and_looks_them_up_five_at_a_time(
    provider: Provider, sms: Any
) -> None:
    phones = [provider.control.seed_phone_number() for _ in range(7)]
    sender = provider.control.seed_sender_id("MYBRAND", "GB", message_types=("TRANSACTIONAL",))
    written = [p["PhoneNumberId"] if i % 2 else p["PhoneNumberArn"] for i, p in enumerate(phones)]
    provider.control.clear_calls()

    answer = provider.create({"OriginationIdentities": [*written, sender["SenderIdArn"]]})

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["Data"]["IsoCountryCode"] == "US"
    pool_id = answer["PhysicalResourceId"]
    assert provider.operations().count("DescribePhoneNumbers") == 2
    assert provider.operations().count("DescribeSenderIds") == 1
    assert _member_arns(sms, pool_id) == {p["PhoneNumberArn"] for p in phones} | {sender["SenderIdArn"]}


def test_a_sender_id_without_country_is_the_pools_country(provider: Provider, sms: Any) -> None:
    provider.control.seed_sender_id("MYBRAND", "GB")
    us_sender = provider.control.seed_sender_id("MYBRAND", "US")
    phone = provider.control.seed_phone_number(iso_country_code="US")

    answer = provider.create({"OriginationIdentities": [phone["PhoneNumberId"], "MYBRAND"]})

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert _member_arns(sms, answer["PhysicalResourceId"]) == {
        phone["PhoneNumberArn"],
        us_sender["SenderIdArn"],
    }


def test_create_applies_settings_that_differ_from_what_the_pool_inherited(
    provider: Provider, sms: Any
) -> None:
    provider.control.seed_opt_out_list("Marketing")
    phone = provider.control.seed_phone_number()
    topic = "arn:aws:sns:us-east-1:000000000000:inbound-sms"

    answer = provider.create(
        {
            "OriginationIdentities": [phone["PhoneNumberId"]],
            "DeletionProtectionEnabled": "TRUE",
            "SharedRoutesEnabled": "true",
            "SelfManagedOptOutsEnabled": "True",
            "OptOutListName": "arn:aws:sms-voice:us-east-1:000000000000:opt-out-list/Marketing",
            "TwoWay": {"Enabled": "true", "ChannelArn": topic},
        }
    )

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    pool = sms.describe_pools(PoolIds=[answer["PhysicalResourceId"]])["Pools"][0]
    assert pool["DeletionProtectionEnabled"] is True
    assert pool["SharedRoutesEnabled"] is True
    assert pool["SelfManagedOptOutsEnabled"] is True
    assert pool["OptOutListName"] == "Marketing"
    assert (pool["TwoWayEnabled"], pool["TwoWayChannelArn"]) == (True, topic)
    assert {
        k: answer["Data"][k] for k in ("DeletionProtectionEnabled", "TwoWayEnabled", "OptOutListName")
    } == {
        "DeletionProtectionEnabled": "true",
        "TwoWayEnabled": "true",
        "OptOutListName": "Marketing",
    }


def test_create_inherits_omitted_settings_and_drops_unwanted_inherited_keywords(
    provider: Provider, sms: Any
) -> None:
    provider.control.seed_opt_out_list("Custom")
    phone = provider.control.seed_phone_number(
        opt_out_list_name="Custom",
        self_managed_opt_outs_enabled=True,
        keywords={"JOIN": ("Welcome", "OPT_IN"), "INFO": ("Info", "AUTOMATIC_RESPONSE")},
    )
    provider.control.clear_calls()

    answer = provider.create(
        {
            "OriginationIdentities": [phone["PhoneNumberArn"]],
            "OptionalKeywords": [{"Keyword": "JOIN", "Message": "Welcome", "Action": "OPT_IN"}],
        }
    )

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    pool_id = answer["PhysicalResourceId"]
    assert answer["Data"]["OptOutListName"] == "Custom"
    assert answer["Data"]["SelfManagedOptOutsEnabled"] == "true"
    keywords = _keywords(sms, pool_id)
    assert set(keywords) == {"HELP", "STOP", "JOIN"}
    # JOIN was inherited exactly as wanted; only INFO had to go.
    assert provider.mutating_calls() == ["CreatePool", "DeleteKeyword"]


def test_create_sets_keywords_and_tags(provider: Provider, sms: Any) -> None:
    phone = provider.control.seed_phone_number()

    answer = provider.create(
        {
            "OriginationIdentities": [phone["PhoneNumberArn"]],
            "MandatoryKeywords": {
                "HELP": {"Message": "Acme: help at acme.example"},
                "STOP": {"Message": "Bye"},
            },
            "OptionalKeywords": [
                {"Keyword": "JOIN", "Message": "Welcome to Acme", "Action": "OPT_IN"},
                {"Keyword": "HOURS", "Message": "9-5", "Action": "AUTOMATIC_RESPONSE"},
            ],
            "Tags": [{"Key": "team", "Value": "messaging"}, {"Key": "cost-centre", "Value": ""}],
        }
    )

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    pool_id = answer["PhysicalResourceId"]
    assert _keywords(sms, pool_id) == {
        "HELP": ("Acme: help at acme.example", "AUTOMATIC_RESPONSE"),
        "STOP": ("Bye", "OPT_OUT"),
        "JOIN": ("Welcome to Acme", "OPT_IN"),
        "HOURS": ("9-5", "AUTOMATIC_RESPONSE"),
    }
    tags = _tags(sms, answer["Data"]["Arn"])
    assert {k: v for k, v in tags.items() if not k.startswith("smsvoicepool:")} == {
        "team": "messaging",
        "cost-centre": "",
    }
    assert tags["smsvoicepool:iso-country-code"] == "US"
    assert "Tags" not in answer["Data"]


@pytest.mark.parametrize(
    ("given", "expected"), [(True, "true"), (False, "false"), ("FALSE", "false"), ("tRuE", "true")]
)
def test_booleans_are_strings_in_any_case_or_real_booleans(
    provider: Provider, given: object, expected: str
) -> None:
    phone = provider.control.seed_phone_number()

    answer = provider.create(
        {
            "OriginationIdentities": [phone["PhoneNumberId"]],
            "SharedRoutesEnabled": given,
            "ServiceTimeout": "600",
        }
    )

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["Data"]["SharedRoutesEnabled"] == expected


def test_a_creating_pool_is_polled_once_a_second_so_the_answer_follows_activation_closely(
    provider: Provider, sms: Any
) -> None:
    phone = provider.control.seed_phone_number()
    provider.control.set_activation_delay(6)

    answer = provider.create({"OriginationIdentities": [phone["PhoneNumberId"]]})

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["Data"]["Status"] == "ACTIVE"
    # At the quota's pace (1 s) six seconds of CREATING take at least six polls; a growing pause
    # (1, 1.5, 2.25, 3.4 s...) would take five and answer up to seconds after the pool was ACTIVE.
    assert provider.operations().count("DescribePools") >= 6
