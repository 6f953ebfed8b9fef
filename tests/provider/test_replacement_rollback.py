"""A rolled-back replacement gives the phone numbers it took over back to the old pool.

CloudFormation rolls a replacement back (another resource failed) by going back to the old pool's
id and deleting the new pool: that Delete must leave the old pool as it was, numbers included. A
pool that never took part in a replacement is still deleted with one call.
"""

from __future__ import annotations

from typing import Any

from tests.provider.conftest import Provider


def _members(sms: Any, pool_id: str) -> set[str]:
    found = sms.list_pool_origination_identities(PoolId=pool_id, MaxResults=100)["OriginationIdentities"]
    return {m["OriginationIdentityArn"] for m in found}


def _replaced(provider: Provider) -> tuple[dict[str, Any], dict[str, Any], str, str, dict[str, Any]]:
    """A US pool of us_1..us_3 and ca_1 replaced by a CA pool that takes ca_1, us_1 and us_2 over."""
    us_1, us_2, us_3 = (provider.control.seed_phone_number(iso_country_code="US") for _ in range(3))
    ca_1 = provider.control.seed_phone_number(iso_country_code="CA")
    old = {"OriginationIdentities": [p["PhoneNumberId"] for p in (us_1, us_2, us_3, ca_1)]}
    new = {
        "OriginationIdentities": [ca_1["PhoneNumberId"], us_1["PhoneNumberId"], us_2["PhoneNumberId"]],
        "IsoCountryCode": "CA",
    }
    old_id = provider.create(old)["PhysicalResourceId"]
    answer = provider.update(old_id, new, old)
    assert answer["Status"] == "SUCCESS", answer["Reason"]
    return (
        old,
        new,
        old_id,
        answer["PhysicalResourceId"],
        {"us_1": us_1, "us_2": us_2, "us_3": us_3, "ca_1": ca_1},
    )


def test_a_rolled_back_replacement_gives_the_numbers_back_to_the_old_pool(
    provider: Provider, sms: Any
) -> None:
    old, new, old_id, new_id, phones = _replaced(provider)
    before = {p["PhoneNumberArn"] for p in phones.values()}
    assert _members(sms, old_id) == {phones["us_3"]["PhoneNumberArn"]}
    provider.control.clear_calls()

    # UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS: CloudFormation deletes the new pool.
    gone = provider.delete(new_id, new)

    assert gone["Status"] == "SUCCESS", gone["Reason"]
    assert new_id not in {p["PoolId"] for p in sms.describe_pools()["Pools"]}
    # Every number the new pool took over (ca_1, its seed, included) is back in the old pool.
    assert _members(sms, old_id) == before
    operations = provider.operations()
    assert provider.mutating_calls() == [
        "DeletePool",  # refused: the new pool carries the hand-over mark's protection
        "UpdatePool",
        "DeletePool",
        "AssociateOriginationIdentity",
        "AssociateOriginationIdentity",
        "AssociateOriginationIdentity",
    ]
    assert operations[:3] == ["DeletePool", "ListTagsForResource", "DescribePools"]
    # The old template now finds nothing to change: the old pool is as it was.
    provider.control.clear_calls()
    again = provider.update(old_id, old, new)
    assert again["Status"] == "SUCCESS", again["Reason"]
    assert provider.mutating_calls() == []


def test_a_completed_replacement_deletes_the_old_pool_with_one_call_and_its_first_update_lifts_the_mark(
    provider: Provider, sms: Any
) -> None:
    old, new, old_id, new_id, _ = _replaced(provider)
    assert sms.describe_pools(PoolIds=[new_id])["Pools"][0]["DeletionProtectionEnabled"] is True
    provider.control.clear_calls()

    # UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: CloudFormation deletes the old pool.
    cleanup = provider.delete(old_id, old)

    assert cleanup["Status"] == "SUCCESS", cleanup["Reason"]
    assert provider.operations() == ["DeletePool"]
    # The next Update of the resource ends the replacement: protection as the template says, no mark.
    provider.control.clear_calls()
    updated = provider.update(new_id, new, new)
    assert updated["Status"] == "SUCCESS", updated["Reason"]
    assert provider.mutating_calls() == ["UpdatePool", "UntagResource"]
    assert updated["Data"]["DeletionProtectionEnabled"] == "false"
    provider.control.clear_calls()
    gone = provider.delete(new_id, new)
    assert gone["Status"] == "SUCCESS", gone["Reason"]
    assert provider.operations() == ["DeletePool"]


def test_a_replaced_pool_deleted_before_any_update_is_deleted_all_the_same(
    provider: Provider, sms: Any
) -> None:
    old, new, old_id, new_id, _ = _replaced(provider)
    assert provider.delete(old_id, old)["Status"] == "SUCCESS"
    provider.control.clear_calls()

    gone = provider.delete(new_id, new)

    assert gone["Status"] == "SUCCESS", gone["Reason"]
    assert provider.operations() == [
        "DeletePool",
        "ListTagsForResource",
        "DescribePools",
        "UpdatePool",
        "DeletePool",
    ]
    assert sms.describe_pools()["Pools"] == []


def test_a_pool_protected_by_its_template_is_still_refused_after_a_replacement(
    provider: Provider, sms: Any
) -> None:
    _, new, _, new_id, _ = _replaced(provider)
    protected = {**new, "DeletionProtectionEnabled": "true"}

    refused = provider.delete(new_id, protected)

    assert refused["Status"] == "FAILED"
    assert "DeletionProtectionEnabled" in refused["Reason"]
    assert new_id in {p["PoolId"] for p in sms.describe_pools()["Pools"]}


def test_a_marked_pool_can_be_replaced_again_and_its_cleanup_lifts_the_mark(
    provider: Provider, sms: Any
) -> None:
    _, new, old_id, new_id, phones = _replaced(provider)
    assert provider.delete(old_id, {"OriginationIdentities": []})["Status"] == "SUCCESS"
    back_to_us = {
        "OriginationIdentities": [phones["us_1"]["PhoneNumberId"], phones["ca_1"]["PhoneNumberId"]],
        "IsoCountryCode": "US",
    }

    again = provider.update(new_id, back_to_us, new)

    assert again["Status"] == "SUCCESS", again["Reason"]
    newest_id = again["PhysicalResourceId"]
    assert newest_id != new_id
    # UPDATE_COMPLETE_CLEANUP: the marked pool goes (its mark names a pool long gone).
    cleanup = provider.delete(new_id, new)
    assert cleanup["Status"] == "SUCCESS", cleanup["Reason"]
    assert {p["PoolId"] for p in sms.describe_pools()["Pools"]} == {newest_id}
