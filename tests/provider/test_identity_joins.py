"""How an identity joins a pool (pool_planner.how_identity_joins): the one decision pre-flight and
the planner share, checked directly on the pure function and the plan it drives."""

from __future__ import annotations

import dataclasses

from contract import PHONE_NUMBER, SENDER_ID
from pool_identities import Identity
from pool_planner import ActualPool, Join, PoolSettings, how_identity_joins, plan_pool
from pool_properties import parse_pool_properties

PHONE = "phone-0123456789abcdef0123456789abcdef"
PLAIN = PoolSettings(
    two_way_enabled=False,
    two_way_channel_arn=None,
    two_way_channel_role=None,
    self_managed_opt_outs_enabled=False,
    opt_out_list_name="Default",
    shared_routes_enabled=False,
    deletion_protection_enabled=False,
)
OTHER_LIST = dataclasses.replace(PLAIN, opt_out_list_name="Other")
SELF_MANAGED = dataclasses.replace(PLAIN, self_managed_opt_outs_enabled=True)


def _phone(settings: PoolSettings) -> Identity:
    return Identity(
        kind=PHONE_NUMBER,
        identity_id=PHONE,
        arn=f"arn:aws:sms-voice:us-east-1:111111111111:phone-number/{PHONE}",
        iso_country_code="US",
        number_capabilities=frozenset({"SMS"}),
        two_way_enabled=settings.two_way_enabled,
        two_way_channel_arn=settings.two_way_channel_arn,
        self_managed_opt_outs_enabled=settings.self_managed_opt_outs_enabled,
        opt_out_list_name=settings.opt_out_list_name,
    )


def test_an_identity_matching_the_current_settings_joins_directly_before_the_update() -> None:
    assert how_identity_joins(_phone(PLAIN), PLAIN, OTHER_LIST, None) is Join.DIRECT_NOW


def test_an_identity_matching_only_the_wanted_settings_joins_directly_after_the_update() -> None:
    assert how_identity_joins(_phone(OTHER_LIST), PLAIN, OTHER_LIST, None) is Join.DIRECT_AFTER_UPDATE


def test_an_identity_matching_only_the_first_identitys_settings_joins_bridged() -> None:
    member = _phone(SELF_MANAGED)
    assert how_identity_joins(member, PLAIN, OTHER_LIST, SELF_MANAGED) is Join.BRIDGED
    assert how_identity_joins(member, PLAIN, OTHER_LIST, None) is Join.REFUSED
    assert how_identity_joins(member, PLAIN, OTHER_LIST, PLAIN) is Join.REFUSED


def test_a_sender_id_never_joins_a_two_way_pool() -> None:
    sender = dataclasses.replace(
        _phone(PLAIN),
        kind=SENDER_ID,
        identity_id="MYBRAND",
        arn="arn:aws:sms-voice:us-east-1:111111111111:sender-id/MYBRAND/US",
    )
    assert sender.key == "sender-id/MYBRAND/US"
    two_way = dataclasses.replace(PLAIN, two_way_enabled=True, two_way_channel_arn="arn:aws:sns:x")
    assert how_identity_joins(sender, two_way, two_way, two_way) is Join.REFUSED
    assert how_identity_joins(sender, two_way, PLAIN, None) is Join.DIRECT_AFTER_UPDATE


def test_the_plan_associates_each_identity_where_its_join_says() -> None:
    desired = parse_pool_properties({"OriginationIdentities": [PHONE], "OptOutListName": "Other"})
    actual = ActualPool("pool-1", "arn:pool", PLAIN, {}, {}, {})
    now, after, bridged = _phone(PLAIN), _phone(OTHER_LIST), _phone(SELF_MANAGED)
    for member, field in (
        (now, "associate_first"),
        (after, "associate_after_settings"),
        (bridged, "associate_bridged"),
    ):
        plan = plan_pool(desired, {member.key: member}, actual, SELF_MANAGED)
        assert getattr(plan, field) == (member,), field
    plan = plan_pool(desired, {bridged.key: bridged}, actual, SELF_MANAGED)
    assert plan.bridge_update == {"SelfManagedOptOutsEnabled": True}
    assert plan.settings_update == {"SelfManagedOptOutsEnabled": False, "OptOutListName": "Other"}
