"""Every call that can answer a page is followed to its last page, lists of ids included.

The emulator's page-size setting (1 here) pages every answer, so an identity or a keyword on the
second page must be found, not reported missing.
"""

from __future__ import annotations

from typing import Any

from tests.provider.conftest import Provider


def test_identities_and_keywords_on_later_pages_are_found(provider: Provider, sms: Any) -> None:
    phones = [
        provider.control.seed_phone_number(keywords={"HELP": ("Own help", "AUTOMATIC_RESPONSE")})
        for _ in range(3)
    ]
    senders = [provider.control.seed_sender_id(name, "US") for name in ("ACME", "BRAND")]
    provider.control.set_page_size(1)
    identities = [p["PhoneNumberId"] for p in phones] + [s["SenderIdArn"] for s in senders]
    old = {
        "OriginationIdentities": identities,
        "MandatoryKeywords": {"HELP": {"Message": "Call us"}, "STOP": {"Message": "Bye"}},
    }
    provider.control.clear_calls()

    created = provider.create(old)

    assert created["Status"] == "SUCCESS", created["Reason"]
    pool_id = created["PhysicalResourceId"]
    # One look-up of the three numbers and one of the two sender IDs, each read page by page.
    operations = provider.operations()
    assert operations.count("DescribePhoneNumbers") == 3
    assert operations.count("DescribeSenderIds") == 2
    provider.control.set_page_size(None)
    members = sms.list_pool_origination_identities(PoolId=pool_id)["OriginationIdentities"]
    assert {m["OriginationIdentityArn"] for m in members} == {p["PhoneNumberArn"] for p in phones} | {
        s["SenderIdArn"] for s in senders
    }

    # Removing both messages restores the first number's: its two keywords come on two pages.
    provider.control.set_page_size(1)
    new = {"OriginationIdentities": identities}
    updated = provider.update(pool_id, new, old)

    assert updated["Status"] == "SUCCESS", updated["Reason"]
    provider.control.set_page_size(None)
    keywords = sms.describe_keywords(OriginationIdentity=pool_id)["Keywords"]
    messages = {k["Keyword"]: k["KeywordMessage"] for k in keywords}
    assert messages["HELP"] == "Own help"
    assert messages["STOP"] == "You have been unsubscribed and will receive no further messages."
