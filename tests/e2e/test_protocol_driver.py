"""The CloudFormation paths ministack does not reproduce, played by the protocol driver against the
synthesized Lambda bundle: each invocation a fresh process, answers PUT to a real HTTPS ResponseURL.

* a failed Create is followed by a Delete with the PhysicalResourceId of the FAILED answer;
* Lambda's asynchronous retry delivers the same Create twice;
* a Create that runs out of time must answer FAILED itself, with the pool's id, so the rollback
  Delete leaves no pool behind.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aws_cdk as cdk
import pytest

from cdk_sms_voice_pool import contract
from localcloud.cloud import LOCALCLOUD_DIR
from stacks import AppStack
from tests.support.cfn_driver import CustomResourceDriver, HandlerBundle, ResponseServer

if TYPE_CHECKING:
    from localcloud.sms_voice import Emulator

pytestmark = pytest.mark.e2e

STACK_NAME = "SmsVoicePoolProvider"
POOL_ID_PREFIX = "pool-"


@pytest.fixture(scope="module")
def synthesized_bundle() -> Iterator[HandlerBundle]:
    """The provider function exactly as `cdk deploy` would upload it (asset folder, handler, timeout,
    retry attempts), synthesized in-process into the git-ignored .localcloud/ (pytest's temporary
    folders may be pruned by another pytest run while this one still runs the bundle)."""
    out = LOCALCLOUD_DIR / f"driver-{os.getpid()}" / "cdk.out"
    app = cdk.App(
        outdir=str(out),
        context={"originationIdentities": "phone-" + "1" * 32, "aws:cdk:enable-asset-metadata": True},
    )
    AppStack(app)
    app.synth()
    yield HandlerBundle.from_cloud_assembly(out, STACK_NAME, contract.RESOURCE_TYPE)
    shutil.rmtree(out.parent, ignore_errors=True)


@pytest.fixture
def handler_bundle(synthesized_bundle: HandlerBundle) -> HandlerBundle:
    """The ``driver`` fixture's (tests/conftest.py) handler: the synthesized asset, 30 s per invocation."""
    return synthesized_bundle.with_settings(timeout_seconds=30.0)


def _phones(emulator: Emulator, count: int) -> list[str]:
    return [str(emulator.control.seed_phone_number()["PhoneNumberId"]) for _ in range(count)]


def _pools_left(sms: Any, timeout: float = 30.0) -> list[Mapping[str, Any]]:
    """Pools still there once any DELETING ones have had time to go."""
    deadline = time.monotonic() + timeout
    pools = sms.describe_pools()["Pools"]
    while pools and all(p["Status"] == "DELETING" for p in pools) and time.monotonic() < deadline:
        time.sleep(0.5)
        pools = sms.describe_pools()["Pools"]
    return list(pools)


def test_the_bundle_is_the_synthesized_asset(synthesized_bundle: HandlerBundle) -> None:
    assert (synthesized_bundle.code_dir / "index.py").is_file()
    assert (synthesized_bundle.code_dir / "crhelper").is_dir(), "crhelper is bundled next to the handler"
    assert synthesized_bundle.handler == "index.handler"


def test_a_create_with_bad_input_rolls_back_with_the_id_from_the_failed_answer(
    driver: CustomResourceDriver, emulator: Emulator, sms: Any
) -> None:
    phones = _phones(emulator, 1)

    operation = driver.create({contract.ORIGINATION_IDENTITIES: [*phones, "phone-" + "0" * 32]})

    assert operation.status == "ROLLBACK_COMPLETE"
    assert operation.request_types == ["Create", "Delete"]
    create, delete = operation.invocations
    assert create.response is not None and create.response["Status"] == "FAILED"
    assert delete.event["PhysicalResourceId"] == create.response["PhysicalResourceId"]
    assert delete.response is not None and delete.response["Status"] == "SUCCESS"
    assert _pools_left(sms) == []


def test_the_rollback_delete_removes_a_pool_the_failed_create_could_not_clean_up(
    driver: CustomResourceDriver, emulator: Emulator, sms: Any
) -> None:
    # The pool is created, adding the second number fails, and the provider's own clean-up fails
    # too: only CloudFormation's rollback Delete, with the id from the FAILED answer, can remove it.
    phones = _phones(emulator, 2)
    emulator.control.add_fault("AssociateOriginationIdentity", "internal_error", count=1000)
    emulator.control.add_fault("DeletePool", "internal_error", count=1000)

    def heal_before_the_rollback(event: Mapping[str, Any]) -> None:
        if event["RequestType"] == "Delete":
            emulator.control.clear_faults()

    driver.before_delivery = heal_before_the_rollback

    operation = driver.create({contract.ORIGINATION_IDENTITIES: phones})

    create, delete = operation.invocations
    assert create.response is not None and create.response["Status"] == "FAILED"
    pool_id = create.response["PhysicalResourceId"]
    assert pool_id.startswith(POOL_ID_PREFIX), "the FAILED answer names the pool it left"
    assert delete.event["PhysicalResourceId"] == pool_id
    assert operation.status == "ROLLBACK_COMPLETE"
    assert _pools_left(sms) == []


def test_a_create_delivered_twice_makes_one_pool(
    driver: CustomResourceDriver, emulator: Emulator, sms: Any
) -> None:
    phones = _phones(emulator, 2)
    token, event = driver.event("Create", {contract.ORIGINATION_IDENTITIES: phones})

    first = driver.deliver(token, event)
    second = driver.deliver(token, event)  # Lambda's retry: the very same event, a fresh process

    answers = [first.response, second.response]
    assert [a["Status"] if a else None for a in answers] == ["SUCCESS", "SUCCESS"]
    assert first.response is not None and second.response is not None
    assert first.response["PhysicalResourceId"] == second.response["PhysicalResourceId"]
    pools = sms.describe_pools()["Pools"]
    assert [p["PoolId"] for p in pools] == [first.response["PhysicalResourceId"]]


def test_a_create_that_runs_out_of_time_answers_failed_in_time_and_leaves_no_pool(
    driver: CustomResourceDriver, emulator: Emulator, sms: Any
) -> None:
    # The pool stays CREATING longer than the function may run: the Create must give up and answer
    # FAILED itself, naming the pool, before Lambda ends it. The rollback Delete is a new invocation
    # with a full timeout: it waits out the rest of the activation (23 s after CreatePool, while the
    # Create gave up after about 16 s and the Delete may wait until about 34 s), then deletes it.
    function_timeout = 20.0
    driver.bundle = driver.bundle.with_settings(timeout_seconds=function_timeout)
    emulator.control.set_activation_delay(23.0)
    phones = _phones(emulator, 1)

    def no_delay_for_the_deletion(event: Mapping[str, Any]) -> None:
        if event["RequestType"] == "Delete":
            emulator.control.set_activation_delay(0.0)

    driver.before_delivery = no_delay_for_the_deletion

    operation = driver.create({contract.ORIGINATION_IDENTITIES: phones})

    create = operation.invocations[0]
    assert not create.timed_out, f"the Create ran into the Lambda timeout:\n{create.output[-2000:]}"
    assert create.response is not None and create.response["Status"] == "FAILED"
    assert create.response["PhysicalResourceId"].startswith(POOL_ID_PREFIX)
    assert len(create.responses) == 1, "exactly one answer (crhelper's timer must not answer as well)"
    assert operation.request_types == ["Create", "Delete"], "no Lambda retry of a handled failure"
    assert operation.status == "ROLLBACK_COMPLETE"
    assert _pools_left(sms) == []


def test_the_driver_rejects_an_answer_cloudformation_would_reject(
    response_server: ResponseServer, tmp_path: Path
) -> None:
    # A handler whose Create raises before it returns an id gets crhelper's generated id; one whose
    # timer fires first answers with an empty id, which CloudFormation rejects: the driver must too.
    (tmp_path / "index.py").write_text(
        "import time\n"
        "from crhelper import CfnResource\n"
        "helper = CfnResource(log_level='ERROR', sleep_on_delete=0)\n"
        "@helper.create\n"
        "def create(event, context):\n"
        "    time.sleep(60)\n"
        "def handler(event, context):\n"
        "    helper(event, context)\n"
    )
    bundle = HandlerBundle(code_dir=tmp_path, timeout_seconds=2.0, retry_attempts=0)
    resource = CustomResourceDriver(bundle, response_server, resource_type="Custom::Slow")

    with pytest.raises(AssertionError, match="Invalid PhysicalResourceId"):
        resource.create({"Anything": "x"})
