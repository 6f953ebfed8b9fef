"""Randomized lifecycles: hypothesis plays CloudFormation against the provider and checks the account.

One logical resource goes through random sequences of Create, in-place Update (any property),
replacement (a new MessageType or country), a failed Update followed by CloudFormation's rollback
Update (old and new properties swapped), Delete, a failed Create followed by the rollback Delete,
repeated deliveries of the same event and a deployment retried with the same RequestId. After every
step the account must hold exactly what a model says: which pools exist, their message type,
settings, identities, keywords and tags, and nothing else (no orphans).

The model follows the documented behaviour: a property the template leaves out has the value the
first identity gives the pool (every seeded phone number has the service defaults), so it is
predictable from the template alone; an identity may join a pool when its settings match the
pool's current or wanted settings or those its first identity gives a pool; a protected pool is
neither deleted nor replaced.

Profiles (tests/reliability/conftest.py): ``ci`` (default, derandomized, no database) and ``explore``
(``POOL_HYPOTHESIS_PROFILE=explore``).
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from localcloud.sms_voice.state import default_keywords
from tests.reliability.reliability_helpers import (
    CREATE_TOKEN_TAG,
    HANDOVER_TAG,
    RETRY_BUDGET,
    CloudFormation,
    snapshot_account,
)
from tests.support.harness import MUTATING_OPERATIONS, make_event

COUNTRY_TAG = "smsvoicepool:iso-country-code"
SNS_TOPIC = "arn:aws:sns:us-east-1:000000000000:inbound-sms"
DEFAULT_HELP, DEFAULT_STOP = (default_keywords()[name][0] for name in ("HELP", "STOP"))


@dataclass(frozen=True)
class Group:
    """Identities that can share a pool: one message type, one country."""

    message_type: str
    country: str
    phones: tuple[str, ...]
    senders: tuple[str, ...]


GROUPS = (
    Group("TRANSACTIONAL", "US", ("t1", "t2", "t3"), ("brand",)),
    Group("PROMOTIONAL", "US", ("p1", "p2"), ("brand",)),
    Group("TRANSACTIONAL", "GB", ("g1", "g2"), ("gbbrand",)),
)
OPTIONAL_KEYWORDS = {"JOIN": "OPT_IN", "INFO": "AUTOMATIC_RESPONSE", "QUIT": "OPT_OUT"}
# The faults land on the provider's writes other than DeletePool (no step deletes a pool under faults).
FAULTED_OPERATIONS = tuple(sorted(MUTATING_OPERATIONS - {"DeletePool"}))

booleans = st.sampled_from(["true", "false", "True", "FALSE"])


@st.composite
def templates(draw: st.DrawFn, group: Group) -> dict[str, Any]:
    """A template in the abstract: identities as (seed name, written as ARN?), other properties raw."""
    first = draw(st.sampled_from(group.phones))
    rest = [name for name in group.phones + group.senders if name != first]
    others = draw(st.lists(st.sampled_from(rest), unique=True, max_size=len(rest)))
    spec: dict[str, Any] = {"identities": [(name, draw(st.booleans())) for name in [first, *others]]}
    props: dict[str, Any] = {}
    if draw(st.booleans()):
        props["MessageType"] = group.message_type
    if draw(st.booleans()):
        props["IsoCountryCode"] = group.country
    if draw(st.booleans()):
        names = draw(st.lists(st.sampled_from(["HELP", "STOP"]), unique=True, min_size=1))
        props["MandatoryKeywords"] = {
            name: {"Message": draw(st.sampled_from([f"{name} one", f"{name} two"]))} for name in names
        }
    if draw(st.booleans()):
        words = draw(st.lists(st.sampled_from(sorted(OPTIONAL_KEYWORDS)), unique=True))
        props["OptionalKeywords"] = [
            {"Keyword": word, "Message": draw(st.sampled_from(["Hello", "Hi there"])), "Action": action}
            for word, action in ((w, OPTIONAL_KEYWORDS[w]) for w in words)
        ]
    if draw(st.booleans()):
        keys = draw(st.lists(st.sampled_from(["env", "team"]), unique=True))
        props["Tags"] = [{"Key": key, "Value": draw(st.sampled_from(["a", "b"]))} for key in keys]
    for flag in ("DeletionProtectionEnabled", "SharedRoutesEnabled", "SelfManagedOptOutsEnabled"):
        if draw(st.booleans()):
            props[flag] = draw(booleans)
    if draw(st.booleans()):
        props["OptOutListName"] = draw(st.sampled_from(["Default", "Other"]))
    if draw(st.booleans()):
        props["TwoWay"] = draw(
            st.sampled_from([{"Enabled": "true", "ChannelArn": SNS_TOPIC}, {"Enabled": "false"}])
        )
    spec["props"] = props
    return spec


def _flag(props: dict[str, Any], name: str) -> bool:
    return str(props.get(name, "false")).lower() == "true"


@dataclass(frozen=True)
class PoolSettingsModel:
    two_way: bool
    self_managed: bool
    opt_out_list: str

    def admits(self, is_phone: bool) -> bool:
        """Whether an identity with the service defaults may join a pool with these settings."""
        if not is_phone:
            return not self.two_way
        return not self.two_way and not self.self_managed and self.opt_out_list == "Default"


@dataclass
class Resource:
    """What CloudFormation holds for the logical resource, and what its pool was made as."""

    physical_id: str
    spec: dict[str, Any]
    message_type: str
    country: str  # the pool's country: its first identity's at create; kept by in-place updates


ALL_PHONES = frozenset(phone for group in GROUPS for phone in group.phones)
# What a seeded identity (service defaults) gives a pool made from it.
SEED_SETTINGS = PoolSettingsModel(two_way=False, self_managed=False, opt_out_list="Default")


class PoolLifecycle(RuleBasedStateMachine):
    cfn: CloudFormation
    sms: Any

    def __init__(self) -> None:
        super().__init__()
        control = self.cfn.control
        control.reset()
        control.seed_opt_out_list("Other")
        self.ids: dict[str, dict[str, Any]] = {}
        for group in GROUPS:
            for phone in group.phones:
                self.ids[phone] = control.seed_phone_number(
                    iso_country_code=group.country, message_type=group.message_type
                )
        self.ids["brand"] = control.seed_sender_id(
            "BRAND", iso_country_code="US", message_types=("TRANSACTIONAL", "PROMOTIONAL")
        )
        self.ids["gbbrand"] = control.seed_sender_id("GBBRAND", iso_country_code="GB")
        self.arn_names = {
            info.get("PhoneNumberArn") or info["SenderIdArn"]: name for name, info in self.ids.items()
        }
        self.resource: Resource | None = None
        self.pools: dict[str, dict[str, Any]] = {}  # the model: pool id -> expected snapshot entry

    # --- rendering and the model -------------------------------------------------------------------
    def render(self, spec: dict[str, Any], pool_country: str | None = None) -> dict[str, Any]:
        """Properties as CloudFormation sends them. A sender ID written without its country is
        looked up in the pool's country, so one from elsewhere is always written as its ARN."""
        identities = []
        for name, as_arn in spec["identities"]:
            info = self.ids[name]
            if "PhoneNumberId" in info:
                identities.append(info["PhoneNumberArn"] if as_arn else info["PhoneNumberId"])
            else:
                foreign = pool_country is not None and info["IsoCountryCode"] != pool_country
                identities.append(info["SenderIdArn"] if as_arn or foreign else info["SenderId"])
        return {"OriginationIdentities": identities, **spec["props"]}

    def current(self) -> dict[str, Any]:
        assert self.resource is not None
        return self.render(self.resource.spec, self.resource.country)

    @staticmethod
    def settings_of(spec: dict[str, Any]) -> PoolSettingsModel:
        props = spec["props"]
        return PoolSettingsModel(
            two_way=_flag(props.get("TwoWay", {}), "Enabled"),
            self_managed=_flag(props, "SelfManagedOptOutsEnabled"),
            opt_out_list=props.get("OptOutListName", "Default"),
        )

    def expected_pool(self, spec: dict[str, Any], message_type: str, country: str) -> dict[str, Any]:
        props = spec["props"]
        mandatory = props.get("MandatoryKeywords", {})
        keywords = {
            "HELP": (mandatory.get("HELP", {}).get("Message", DEFAULT_HELP), "AUTOMATIC_RESPONSE"),
            "STOP": (mandatory.get("STOP", {}).get("Message", DEFAULT_STOP), "OPT_OUT"),
        }
        for entry in props.get("OptionalKeywords", []):
            keywords[entry["Keyword"]] = (entry["Message"], entry["Action"])
        tags = {tag["Key"]: tag["Value"] for tag in props.get("Tags", [])}
        tags.update({CREATE_TOKEN_TAG: "<token>", COUNTRY_TAG: country})
        settings_model = self.settings_of(spec)
        return {
            "Status": "ACTIVE",
            "MessageType": message_type,
            "TwoWayEnabled": settings_model.two_way,
            "TwoWayChannelArn": SNS_TOPIC if settings_model.two_way else None,
            "SelfManagedOptOutsEnabled": settings_model.self_managed,
            "OptOutListName": settings_model.opt_out_list,
            "SharedRoutesEnabled": _flag(props, "SharedRoutesEnabled"),
            "DeletionProtectionEnabled": _flag(props, "DeletionProtectionEnabled"),
            "Members": sorted(name for name, _ in spec["identities"]),
            "Keywords": keywords,
            "Tags": tags,
        }

    @staticmethod
    def replaces(resource: Resource, spec: dict[str, Any], group: Group) -> bool:
        """A new MessageType, or an explicit new IsoCountryCode (omitted, the pool keeps its own)."""
        country = spec["props"].get("IsoCountryCode", resource.country)
        return group.message_type != resource.message_type or country != resource.country

    def moving(self, resource: Resource, spec: dict[str, Any]) -> list[str]:
        """Phone numbers a replacement hands over from the old pool to the new one."""
        members = set(self.pools[resource.physical_id]["Members"])
        return [name for name, _ in spec["identities"] if name in ALL_PHONES and name in members]

    def update_should_succeed(self, resource: Resource, spec: dict[str, Any], group: Group) -> bool:
        if self.replaces(resource, spec, group):
            old_pool = self.pools[resource.physical_id]
            if _flag(resource.spec["props"], "DeletionProtectionEnabled"):
                return False  # its cleanup Delete would fail: refused before anything changes
            moving = self.moving(resource, spec)
            old_phones = [name for name in old_pool["Members"] if name in ALL_PHONES]
            # A pool keeps at least one phone number: all of them cannot move.
            return not (moving and set(old_phones) <= set(moving))
        # An identity joins when it matches the pool's current settings, the wanted ones, or those
        # its first identity gives a pool (UpdatePool there and back); every seeded identity has
        # the service defaults, so every in-place join succeeds.
        members = {name for name, _ in resource.spec["identities"]}
        joining = [name for name, _ in spec["identities"] if name not in members]
        return all(SEED_SETTINGS.admits(name in ALL_PHONES) for name in joining)

    def draw_update(self, data: st.DataObject, other_group: bool) -> tuple[Group, dict[str, Any]]:
        assert self.resource is not None
        kind = (self.resource.message_type, self.resource.country)
        same = [g for g in GROUPS if (g.message_type, g.country) == kind]
        group = data.draw(st.sampled_from(GROUPS if other_group or not same else same))
        return group, data.draw(templates(group))

    # --- rules -------------------------------------------------------------------------------------
    @precondition(lambda self: self.resource is None)
    @rule(data=st.data(), group=st.sampled_from(GROUPS), delivered_twice=st.booleans())
    def create(self, data: st.DataObject, group: Group, delivered_twice: bool) -> None:
        spec = data.draw(templates(group))
        event = make_event("Create", self.render(spec, group.country))
        answer = self.cfn.send(event)
        assert answer["Status"] == "SUCCESS", answer["Reason"]
        pool_id = answer["PhysicalResourceId"]
        if delivered_twice:  # Lambda's retry, or a redelivery: the same pool, not a second one
            again = self.cfn.send(event)
            assert (again["Status"], again["PhysicalResourceId"]) == ("SUCCESS", pool_id), again
        self.resource = Resource(pool_id, spec, group.message_type, group.country)
        self.pools[pool_id] = self.expected_pool(spec, group.message_type, group.country)

    @precondition(lambda self: self.resource is None)
    @rule(
        data=st.data(),
        group=st.sampled_from(GROUPS),
        operation=st.sampled_from(FAULTED_OPERATIONS),
        retry_same_request=st.booleans(),
    )
    def failed_create_then_rollback_delete(
        self, data: st.DataObject, group: Group, operation: str, retry_same_request: bool
    ) -> None:
        spec = data.draw(templates(group))
        event = make_event("Create", self.render(spec, group.country))
        self.cfn.control.add_fault(operation, "internal_error", count=RETRY_BUDGET)
        answer = self.cfn.send(event)
        self.cfn.control.clear_faults()
        if answer["Status"] == "FAILED":
            assert operation in answer["Reason"], answer["Reason"]
            gone = self.cfn.delete(answer["PhysicalResourceId"], event["ResourceProperties"])
            assert gone["Status"] == "SUCCESS", gone["Reason"]
            if not retry_same_request:
                return
            # A retried deployment reuses the RequestId: the ClientToken's pool is gone, a new one comes.
            answer = self.cfn.send(event)
            assert answer["Status"] == "SUCCESS", answer["Reason"]
        pool_id = answer["PhysicalResourceId"]
        self.resource = Resource(pool_id, spec, group.message_type, group.country)
        self.pools[pool_id] = self.expected_pool(spec, group.message_type, group.country)

    @precondition(lambda self: self.resource is not None)
    @rule(data=st.data(), other_group=st.booleans(), delivered_twice=st.booleans())
    def update(self, data: st.DataObject, other_group: bool, delivered_twice: bool) -> None:
        resource = self.resource
        assert resource is not None
        group, spec = self.draw_update(data, other_group)
        replacing = self.replaces(resource, spec, group)
        moving = self.moving(resource, spec) if replacing else []
        old = self.current()
        new = self.render(spec, group.country if replacing else resource.country)
        event = make_event("Update", new, physical_id=resource.physical_id, old_properties=old)
        answer = self.cfn.send(event)
        if not self.update_should_succeed(resource, spec, group):
            assert answer["Status"] == "FAILED", f"expected a refusal, got {answer}"
            assert answer["PhysicalResourceId"] == resource.physical_id
            self.rollback_update(resource, new)
            return
        assert answer["Status"] == "SUCCESS", answer["Reason"]
        new_id = answer["PhysicalResourceId"]
        assert (new_id != resource.physical_id) == replacing, answer
        if delivered_twice:
            again = self.cfn.send(event)
            assert (again["Status"], again["PhysicalResourceId"]) == ("SUCCESS", new_id), again
        if replacing:
            self.pools[new_id] = self.expected_pool(spec, group.message_type, group.country)
            if moving:
                # Marked until its first Update: protected, and tagged with what it took over.
                self.pools[new_id]["DeletionProtectionEnabled"] = True
                self.pools[new_id]["Tags"][HANDOVER_TAG] = f"<handover of {len(moving)} numbers>"
            self.resource = Resource(new_id, spec, group.message_type, group.country)
            # UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: CloudFormation deletes the old pool.
            cleanup = self.cfn.delete(resource.physical_id, old)
            assert cleanup["Status"] == "SUCCESS", cleanup["Reason"]
            del self.pools[resource.physical_id]
        else:
            self.pools[new_id] = self.expected_pool(spec, resource.message_type, resource.country)
            self.resource = Resource(new_id, spec, resource.message_type, resource.country)

    @precondition(lambda self: self.resource is not None)
    @rule(data=st.data(), other_group=st.booleans(), operation=st.sampled_from(FAULTED_OPERATIONS))
    def failed_update_then_rollback(self, data: st.DataObject, other_group: bool, operation: str) -> None:
        """An update that fails (or succeeds while another resource fails), then the stack rolls back."""
        resource = self.resource
        assert resource is not None
        group, spec = self.draw_update(data, other_group)
        replacing = self.replaces(resource, spec, group)
        if replacing and self.moving(resource, spec) and _flag(spec["props"], "DeletionProtectionEnabled"):
            return  # the template protects the new pool: its rollback Delete is refused, numbers and all
        old = self.current()
        new = self.render(spec, group.country if replacing else resource.country)
        self.cfn.control.add_fault(operation, "internal_error", count=RETRY_BUDGET)
        answer = self.cfn.update(resource.physical_id, new, old)
        self.cfn.control.clear_faults()
        if answer["Status"] == "SUCCESS" and answer["PhysicalResourceId"] != resource.physical_id:
            # A replacement that succeeded, rolled back: UPDATE_ROLLBACK_COMPLETE_CLEANUP deletes it.
            new_id = answer["PhysicalResourceId"]
            gone = self.cfn.delete(new_id, new)
            if _flag(spec["props"], "DeletionProtectionEnabled"):
                # As asked: a protected pool is not deleted. CloudFormation abandons it after a
                # failed cleanup Delete; here the operator removes it by hand.
                assert gone["Status"] == "FAILED", gone
                assert "DeletionProtectionEnabled" in gone["Reason"], gone["Reason"]
                self.sms.update_pool(PoolId=new_id, DeletionProtectionEnabled=False)
                self.sms.delete_pool(PoolId=new_id)
            else:
                assert gone["Status"] == "SUCCESS", gone["Reason"]
            return
        assert answer["PhysicalResourceId"] == resource.physical_id, answer
        self.rollback_update(resource, new)

    def rollback_update(self, resource: Resource, failed: dict[str, Any]) -> None:
        back = self.cfn.update(resource.physical_id, self.current(), failed)
        assert back["Status"] == "SUCCESS", back["Reason"]
        assert back["PhysicalResourceId"] == resource.physical_id, back
        # Any Update that succeeds leaves the pool as its template says (a replacement's mark goes).
        self.pools[resource.physical_id] = self.expected_pool(
            resource.spec, resource.message_type, resource.country
        )

    @precondition(lambda self: self.resource is not None)
    @rule(delivered_twice=st.booleans())
    def delete(self, delivered_twice: bool) -> None:
        resource = self.resource
        assert resource is not None
        event = make_event("Delete", self.current(), physical_id=resource.physical_id)
        answer = self.cfn.send(event)
        assert answer["PhysicalResourceId"] == resource.physical_id
        if _flag(resource.spec["props"], "DeletionProtectionEnabled"):  # a replacement's mark is not
            assert answer["Status"] == "FAILED", answer
            assert "DeletionProtectionEnabled" in answer["Reason"], answer["Reason"]
            return  # DELETE_FAILED: the pool stays, and so does the resource
        assert answer["Status"] == "SUCCESS", answer["Reason"]
        if delivered_twice:
            again = self.cfn.send(event)
            assert again["Status"] == "SUCCESS", again["Reason"]
        del self.pools[resource.physical_id]
        self.resource = None

    @precondition(lambda self: self.resource is None)
    @rule()
    def delete_of_an_id_that_names_no_pool(self) -> None:
        invented = f"PoolStack_Pool_{uuid.uuid4().hex[:8].upper()}"
        answer = self.cfn.delete(invented, {"OriginationIdentities": []})
        assert answer["Status"] == "SUCCESS", answer["Reason"]

    # --- the check after every step ---------------------------------------------------------------
    @invariant()
    def account_matches_the_model(self) -> None:
        actual = snapshot_account(self.sms)
        named = {
            pool_id: {**pool, "Members": sorted(self.arn_names[arn] for arn in pool["Members"])}
            for pool_id, pool in actual.items()
        }
        assert named == self.pools


def test_random_lifecycles_keep_the_account_as_the_model_says(
    cloudformation: CloudFormation, account: Any
) -> None:
    profile = settings.get_profile(os.environ.get("POOL_HYPOTHESIS_PROFILE", "ci"))

    class Machine(PoolLifecycle):
        cfn = cloudformation
        sms = account

    run_state_machine_as_test(Machine, settings=profile)


def test_rollback_re_adds_an_identity_the_pool_settings_no_longer_admit(
    cloudformation: CloudFormation, account: Any
) -> None:
    control = cloudformation.control
    first, second = control.seed_phone_number(), control.seed_phone_number()
    two_way = {"Enabled": "true", "ChannelArn": SNS_TOPIC}
    both = {"OriginationIdentities": [first["PhoneNumberId"], second["PhoneNumberId"]], "TwoWay": two_way}
    one = {"OriginationIdentities": [first["PhoneNumberId"]], "TwoWay": two_way}
    created = cloudformation.create(both)  # the second number joins before two-way is switched on
    assert created["Status"] == "SUCCESS", created["Reason"]
    pool_id = created["PhysicalResourceId"]
    forward = cloudformation.update(pool_id, one, both)
    assert forward["Status"] == "SUCCESS", forward["Reason"]

    # Another resource in the stack fails: CloudFormation rolls this one back, old and new swapped.
    back = cloudformation.update(pool_id, both, one)

    assert back["Status"] == "SUCCESS", back["Reason"]
    # The second number is a member again, in the same pool (the rollback keeps the id).
    assert back["PhysicalResourceId"] == pool_id
    assert snapshot_account(account)[pool_id]["Members"] == sorted(
        [first["PhoneNumberArn"], second["PhoneNumberArn"]]
    )


@pytest.fixture(autouse=True)
def _no_faults_left(cloudformation: CloudFormation) -> Any:
    yield
    cloudformation.control.clear_faults()
