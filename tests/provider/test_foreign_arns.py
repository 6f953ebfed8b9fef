"""An ARN that names another account, Region or partition is never a local id: refused before any call.

The provider manages pools of the stack's own account and Region. A resource shared from another
account (AWS RAM) is written as its full ARN; the provider refuses it rather than quietly using the
local resource of the same name, as it refuses an ARN of another Region written by mistake.
"""

from __future__ import annotations

from typing import Any

from tests.provider.conftest import Provider

OTHER_ACCOUNT = "999999999999"


def test_a_sender_id_shared_from_another_account_is_refused_not_taken_for_the_local_one(
    provider: Provider, sms: Any
) -> None:
    phone = provider.control.seed_phone_number()
    provider.control.seed_sender_id("ACME", "US")  # a local sender ID of the same name
    shared = f"arn:aws:sms-voice:us-east-1:{OTHER_ACCOUNT}:sender-id/ACME/US"
    provider.control.clear_calls()

    answer = provider.create({"OriginationIdentities": [phone["PhoneNumberId"], shared]})

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith("OriginationIdentities[1]"), answer["Reason"]
    assert f"account {OTHER_ACCOUNT} (this stack's: 000000000000)" in answer["Reason"]
    assert "shared resources are not supported" in answer["Reason"]
    assert provider.operations() == []
    assert sms.describe_pools()["Pools"] == []


def test_a_phone_number_arn_of_another_account_is_refused_even_if_the_pool_holds_that_id(
    provider: Provider, sms: Any
) -> None:
    phone = provider.control.seed_phone_number()
    old = {"OriginationIdentities": [phone["PhoneNumberId"]], "Tags": [{"Key": "v", "Value": "1"}]}
    pool_id = provider.create(old)["PhysicalResourceId"]
    foreign = phone["PhoneNumberArn"].replace(":000000000000:", f":{OTHER_ACCOUNT}:")
    provider.control.clear_calls()

    answer = provider.update(
        pool_id, {"OriginationIdentities": [foreign], "Tags": [{"Key": "v", "Value": "2"}]}, old
    )

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith("OriginationIdentities[0]"), answer["Reason"]
    assert OTHER_ACCOUNT in answer["Reason"]
    assert provider.operations() == []


def test_an_opt_out_list_arn_of_another_region_is_refused(provider: Provider, sms: Any) -> None:
    provider.control.seed_opt_out_list("Marketing")
    phone = provider.control.seed_phone_number()
    mistaken = "arn:aws:sms-voice:eu-west-1:000000000000:opt-out-list/Marketing"
    provider.control.clear_calls()

    answer = provider.create({"OriginationIdentities": [phone["PhoneNumberId"]], "OptOutListName": mistaken})

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith("OptOutListName"), answer["Reason"]
    assert "Region eu-west-1 (this stack's: us-east-1)" in answer["Reason"]
    assert provider.operations() == []
    assert sms.describe_pools()["Pools"] == []


def test_arns_of_the_stacks_own_account_and_region_work(provider: Provider, sms: Any) -> None:
    marketing = provider.control.seed_opt_out_list("Marketing")
    phone = provider.control.seed_phone_number()
    sender = provider.control.seed_sender_id("ACME", "US")

    answer = provider.create(
        {
            "OriginationIdentities": [phone["PhoneNumberArn"], sender["SenderIdArn"]],
            "OptOutListName": marketing["OptOutListArn"],
        }
    )

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["Data"]["OptOutListName"] == "Marketing"
