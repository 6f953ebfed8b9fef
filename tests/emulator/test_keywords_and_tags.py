"""Keywords on pools and phone numbers; tags on every taggable resource."""

from __future__ import annotations

from typing import Any

from localcloud.sms_voice import Emulator
from tests.emulator.emulator_helpers import api_error


def _keywords(sms: Any, identity: str) -> dict[str, tuple[str, str]]:
    listed = sms.describe_keywords(OriginationIdentity=identity, MaxResults=100)["Keywords"]
    return {k["Keyword"]: (k["KeywordMessage"], k["KeywordAction"]) for k in listed}


def test_put_keyword_adds_and_overwrites_on_a_pool(make_pool: Any, sms: Any) -> None:
    pool = make_pool()

    added = sms.put_keyword(
        OriginationIdentity=pool["PoolArn"], Keyword="JOIN", KeywordMessage="Welcome", KeywordAction="OPT_IN"
    )
    sms.put_keyword(OriginationIdentity=pool["PoolId"], Keyword="JOIN", KeywordMessage="Welcome back")

    assert added["OriginationIdentityArn"] == pool["PoolArn"]
    assert added["OriginationIdentity"] == pool["PoolId"]
    assert _keywords(sms, pool["PoolId"])["JOIN"] == ("Welcome back", "OPT_IN"), "the action is kept"


def test_help_and_stop_messages_can_change_but_not_their_actions(make_pool: Any, client: Any) -> None:
    pool = make_pool()

    client.put_keyword(OriginationIdentity=pool["PoolId"], Keyword="HELP", KeywordMessage="Call us")
    changed_action = api_error(
        client.put_keyword,
        OriginationIdentity=pool["PoolId"],
        Keyword="STOP",
        KeywordMessage="Bye",
        KeywordAction="AUTOMATIC_RESPONSE",
    )

    assert _keywords(client, pool["PoolId"])["HELP"] == ("Call us", "AUTOMATIC_RESPONSE")
    assert (changed_action["Code"], changed_action["Reason"]) == (
        "ConflictException",
        "RESOURCE_MODIFICATION_NOT_ALLOWED",
    )


def test_help_and_stop_cannot_be_deleted(make_pool: Any, client: Any) -> None:
    pool = make_pool()

    for keyword in ("HELP", "stop"):
        error = api_error(client.delete_keyword, OriginationIdentity=pool["PoolId"], Keyword=keyword)
        assert (error["Code"], error["Reason"]) == ("ConflictException", "RESOURCE_DELETION_NOT_ALLOWED")
    assert set(_keywords(client, pool["PoolId"])) == {"HELP", "STOP"}


def test_delete_keyword_removes_an_optional_keyword(make_pool: Any, client: Any) -> None:
    pool = make_pool(keywords={"JOIN": ("Welcome", "OPT_IN")})

    deleted = client.delete_keyword(OriginationIdentity=pool["PoolId"], Keyword="JOIN")
    missing = api_error(client.delete_keyword, OriginationIdentity=pool["PoolId"], Keyword="JOIN")

    assert (deleted["Keyword"], deleted["KeywordAction"]) == ("JOIN", "OPT_IN")
    assert set(_keywords(client, pool["PoolId"])) == {"HELP", "STOP"}
    assert (missing["Code"], missing["ResourceType"]) == ("ResourceNotFoundException", "keyword")


def test_keywords_per_pool_quota(make_pool: Any, client: Any) -> None:
    pool = make_pool()
    for number in range(28):  # HELP + STOP + 28 = the quota of 30
        client.put_keyword(OriginationIdentity=pool["PoolId"], Keyword=f"KW{number}", KeywordMessage="m")

    error = api_error(
        client.put_keyword, OriginationIdentity=pool["PoolId"], Keyword="ONEMORE", KeywordMessage="m"
    )
    overwrite = client.put_keyword(OriginationIdentity=pool["PoolId"], Keyword="KW0", KeywordMessage="new")

    assert (error["Code"], error["Reason"]) == ("ServiceQuotaExceededException", "KEYWORDS_PER_POOL")
    assert overwrite["KeywordMessage"] == "new"


def test_keywords_on_a_phone_number(emulator: Emulator, sms: Any) -> None:
    phone = emulator.control.seed_phone_number()

    sms.put_keyword(OriginationIdentity=phone["PhoneNumberArn"], Keyword="INFO", KeywordMessage="Info")

    assert _keywords(sms, phone["PhoneNumberId"])["INFO"] == ("Info", "AUTOMATIC_RESPONSE")


def test_describe_keywords_by_name_and_action(make_pool: Any, client: Any) -> None:
    pool = make_pool(keywords={"JOIN": ("Welcome", "OPT_IN")})

    named = client.describe_keywords(OriginationIdentity=pool["PoolId"], Keywords=["JOIN", "HELP"])[
        "Keywords"
    ]
    opt_outs = client.describe_keywords(
        OriginationIdentity=pool["PoolId"], Filters=[{"Name": "keyword-action", "Values": ["OPT_OUT"]}]
    )["Keywords"]
    unknown = api_error(client.describe_keywords, OriginationIdentity=pool["PoolId"], Keywords=["NOPE"])

    assert [k["Keyword"] for k in named] == ["JOIN", "HELP"]
    assert [k["Keyword"] for k in opt_outs] == ["STOP"]
    assert unknown["ResourceType"] == "keyword"


def test_keyword_calls_reject_sender_ids_and_unknown_owners(emulator: Emulator, client: Any) -> None:
    sender = emulator.control.seed_sender_id()

    on_sender = api_error(client.describe_keywords, OriginationIdentity=sender["SenderIdArn"])
    unknown_pool = api_error(client.describe_keywords, OriginationIdentity="pool-missing")

    assert (on_sender["Code"], on_sender["Reason"]) == ("ValidationException", "INVALID_PARAMETER")
    assert unknown_pool["ResourceType"] == "pool"


def test_tags_are_added_overwritten_listed_and_removed(make_pool: Any, sms: Any) -> None:
    pool = make_pool()

    sms.tag_resource(
        ResourceArn=pool["PoolArn"], Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]
    )
    sms.tag_resource(ResourceArn=pool["PoolArn"], Tags=[{"Key": "a", "Value": "changed"}])
    sms.untag_resource(ResourceArn=pool["PoolArn"], TagKeys=["b", "not-there"])

    listed = sms.list_tags_for_resource(ResourceArn=pool["PoolArn"])
    assert listed["ResourceArn"] == pool["PoolArn"]
    assert listed["Tags"] == [{"Key": "a", "Value": "changed"}]


def test_every_resource_type_is_taggable_by_arn(emulator: Emulator, sms: Any) -> None:
    arns = [
        emulator.control.seed_phone_number()["PhoneNumberArn"],
        emulator.control.seed_sender_id()["SenderIdArn"],
        emulator.control.seed_opt_out_list("Lists")["OptOutListArn"],
    ]
    for arn in arns:
        sms.tag_resource(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])
        assert sms.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "k", "Value": "v"}]


def test_tag_calls_need_an_arn_of_an_existing_resource(make_pool: Any, raw: Any) -> None:
    pool = make_pool()
    gone = pool["PoolArn"].replace(pool["PoolId"], "pool-00000000000000000000000000000000")

    by_id = api_error(raw.list_tags_for_resource, ResourceArn=pool["PoolId"])
    unknown = api_error(raw.tag_resource, ResourceArn=gone, Tags=[{"Key": "k", "Value": "v"}])
    other_account = api_error(
        raw.list_tags_for_resource, ResourceArn=pool["PoolArn"].replace("000000000000", "111111111111")
    )

    assert (by_id["Code"], by_id["Reason"]) == ("ValidationException", "FIELD_VALIDATION_FAILED")
    assert by_id["Fields"][0]["Name"] == "ResourceArn"
    assert (unknown["Code"], unknown["ResourceType"]) == ("ResourceNotFoundException", "pool")
    assert other_account["Code"] == "ResourceNotFoundException"


def test_tag_keys_with_the_aws_prefix_are_rejected(make_pool: Any, client: Any) -> None:
    pool = make_pool()

    error = api_error(
        client.tag_resource, ResourceArn=pool["PoolArn"], Tags=[{"Key": "aws:owner", "Value": "x"}]
    )
    on_create = api_error(
        client.create_pool,
        OriginationIdentity=pool["SeedPhone"]["PhoneNumberId"],
        MessageType="TRANSACTIONAL",
        Tags=[{"Key": "AWS:x", "Value": "y"}],
    )

    assert (error["Code"], error["Reason"]) == ("ValidationException", "FIELD_VALIDATION_FAILED")
    assert error["Fields"] == [{"Name": "Tags[0].Key", "Message": "Keys starting with 'aws:' are reserved"}]
    assert on_create["Code"] == "ValidationException"
    assert client.list_tags_for_resource(ResourceArn=pool["PoolArn"])["Tags"] == []


def test_at_most_fifty_tags_per_resource(make_pool: Any, client: Any) -> None:
    pool = make_pool()
    client.tag_resource(ResourceArn=pool["PoolArn"], Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])

    error = api_error(client.tag_resource, ResourceArn=pool["PoolArn"], Tags=[{"Key": "k50", "Value": "v"}])
    client.tag_resource(ResourceArn=pool["PoolArn"], Tags=[{"Key": "k0", "Value": "overwrite"}])

    assert (error["Code"], error["Reason"]) == ("ServiceQuotaExceededException", "TAGS_PER_RESOURCE")
    assert len(client.list_tags_for_resource(ResourceArn=pool["PoolArn"])["Tags"]) == 50
