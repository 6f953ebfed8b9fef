"""`cdk deploy`, an in-place update and `cdk destroy` of a pool on the local cloud: the `make demo` cycle."""

from __future__ import annotations

import pytest

from localcloud.sms_voice.control import ControlClient
from tests.e2e.e2e_helpers import AppStack, phone_arns, pool_context, wait_until_no_pools

pytestmark = pytest.mark.e2e


def test_deploy_update_and_destroy_manage_one_pool(app_stack: AppStack, control: ControlClient) -> None:
    phones = phone_arns(control, 2)
    sender = str(control.seed_sender_id(sender_id="E2EBRAND", iso_country_code="GB")["SenderIdArn"])

    app_stack.deploy(pool_context(phones, helpMessage="E2E help", tags="team=sms,stage=one"))

    assert app_stack.status() == "CREATE_COMPLETE"
    outputs = app_stack.outputs()
    pool_id = outputs["PoolId"]
    [pool] = app_stack.pools()
    assert (pool["PoolId"], pool["PoolArn"], pool["Status"]) == (pool_id, outputs["PoolArn"], "ACTIVE")
    assert pool["MessageType"] == "TRANSACTIONAL"
    assert pool["SharedRoutesEnabled"] is False
    assert app_stack.pool_identities(pool_id) == set(phones)
    keywords = app_stack.sms_voice.describe_keywords(OriginationIdentity=pool_id)["Keywords"]
    assert {k["Keyword"]: k["KeywordMessage"] for k in keywords}["HELP"] == "E2E help"
    assert {"team": "sms", "stage": "one"}.items() <= app_stack.pool_tags(pool["PoolArn"]).items()
    assert outputs["ServiceToken"].startswith("arn:aws:lambda:us-east-1:000000000000:function:")

    app_stack.deploy(
        pool_context([*phones, sender], helpMessage="E2E help", sharedRoutesEnabled="true", tags="team=sms")
    )

    assert app_stack.status() == "UPDATE_COMPLETE"
    assert app_stack.outputs()["PoolId"] == pool_id, "an in-place update must keep the pool"
    [pool] = app_stack.pools()
    assert pool["SharedRoutesEnabled"] is True
    assert app_stack.pool_identities(pool_id) == {*phones, sender}
    tags = app_stack.pool_tags(pool["PoolArn"])
    assert tags.get("team") == "sms"
    assert "stage" not in tags, "a tag removed from the template is removed from the pool"

    app_stack.destroy()

    assert app_stack.status() is None
    assert wait_until_no_pools(app_stack) == []
    numbers = app_stack.sms_voice.describe_phone_numbers(PhoneNumberIds=phones)["PhoneNumbers"]
    assert all(not number.get("PoolId") for number in numbers), "the phone numbers are free again"
