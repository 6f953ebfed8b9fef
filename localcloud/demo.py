"""`make demo`: a real `cdk deploy`, update and `cdk destroy` of an SMS pool, with no AWS account.

Starts the local cloud (ministack + the SMS Voice emulator), seeds two phone numbers and a sender
ID, bootstraps, deploys the app with a pool, shows the pool as `aws pinpoint-sms-voice-v2` would,
deploys again with a changed setting and one more identity, shows it again, destroys the stack and
checks that no pool is left. Each step is printed with its time; the exit code is 0 only if every
step passed. Every process it started is stopped on every path (also Ctrl-C and SIGTERM).
"""

from __future__ import annotations

import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, TypeVar

from localcloud.cdk_cli import BOOTSTRAP_ENVIRONMENT, STACK_NAME, CdkCli
from localcloud.cloud import LOCALCLOUD_DIR, LocalCloud
from localcloud.processes import port_is_listening
from localcloud.sms_voice.control import ControlClient

if TYPE_CHECKING:
    from mypy_boto3_pinpoint_sms_voice_v2 import PinpointSMSVoiceV2Client

T = TypeVar("T")

# The emulator keeps a new pool CREATING (and a deleted one DELETING) this long, so the provider
# really waits, as it does on AWS, without making the demo slow.
DEMO_ACTIVATION_DELAY_SECONDS = 2.0
DEMO_SENDER_ID = "DEMOBRAND"
DEMO_SENDER_COUNTRY = "GB"


class DemoFailure(Exception):
    """A demo check failed; the message says what was expected and what was found."""


@dataclass
class StepTimer:
    steps: list[tuple[str, float, bool]] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    @contextmanager
    def step(self, title: str) -> Iterator[None]:
        number = len(self.steps) + 1
        print(f"\n==> [{number}] {title}", flush=True)
        began = time.monotonic()
        ok = False
        try:
            yield
            ok = True
        finally:
            seconds = time.monotonic() - began
            self.steps.append((title, seconds, ok))
            print(f"<== [{number}] {'done' if ok else 'FAILED'} in {seconds:.1f} s", flush=True)

    def summary(self) -> str:
        width = max(len(title) for title, _, _ in self.steps) if self.steps else 10
        lines = [
            f"  {title:<{width}}  {sec:6.1f} s  {'ok' if ok else 'FAILED'}" for title, sec, ok in self.steps
        ]
        lines.append(f"  {'total':<{width}}  {time.monotonic() - self.started:6.1f} s")
        return "\n".join(lines)


# --- what a user would see of the pool ---------------------------------------------------------------
def describe_pool(sms: PinpointSMSVoiceV2Client, pool_id: str) -> dict[str, Any]:
    """The pool through the public API: settings, identities, keywords and tags."""
    pool = sms.describe_pools(PoolIds=[pool_id])["Pools"][0]
    identities = sms.list_pool_origination_identities(PoolId=pool_id)["OriginationIdentities"]
    keywords = sms.describe_keywords(OriginationIdentity=pool_id)["Keywords"]
    tags = sms.list_tags_for_resource(ResourceArn=pool["PoolArn"])["Tags"]
    return {"pool": pool, "identities": identities, "keywords": keywords, "tags": tags}


def pool_table(view: dict[str, Any]) -> str:
    pool = view["pool"]
    settings = ", ".join(
        f"{name}={pool[name]}"
        for name in (
            "TwoWayEnabled",
            "SelfManagedOptOutsEnabled",
            "SharedRoutesEnabled",
            "DeletionProtectionEnabled",
        )
    )
    rows = [
        ("PoolId", pool["PoolId"]),
        ("Status", pool["Status"]),
        ("MessageType", pool["MessageType"]),
        ("OptOutListName", pool["OptOutListName"]),
        ("Settings", settings),
    ]
    for index, identity in enumerate(view["identities"]):
        label = "Identities" if index == 0 else ""
        rows.append((label, f"{identity['OriginationIdentity']} ({identity['IsoCountryCode']})"))
    for index, keyword in enumerate(view["keywords"]):
        label = "Keywords" if index == 0 else ""
        action, message = keyword["KeywordAction"], keyword["KeywordMessage"]
        rows.append((label, f"{keyword['Keyword']:<5} {action:<18} {message!r}"))
    tags = ", ".join(f"{tag['Key']}={_short(tag['Value'])}" for tag in view["tags"]) or "(none)"
    rows.append(("Tags", tags))
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"    {label:<{width}}  {value}" for label, value in rows)


def _short(text: str, limit: int = 16) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def identity_ids(view: dict[str, Any]) -> set[str]:
    return {identity["OriginationIdentityArn"] for identity in view["identities"]}


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise DemoFailure(message)


def wait_for(read: Callable[[], T], done: Callable[[T], bool], what: str, timeout: float = 60.0) -> T:
    """Poll `read` until `done` holds (CloudFormation reports before a DELETING pool is gone)."""
    deadline = time.monotonic() + timeout
    value = read()
    while not done(value):
        if time.monotonic() > deadline:
            raise DemoFailure(f"timed out after {timeout:.0f} s waiting for {what}; last seen: {value!r}")
        time.sleep(0.5)
        value = read()
    return value


# --- the demo ------------------------------------------------------------------------------------------
def _raise_keyboard_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@dataclass
class Identities:
    phones: list[dict[str, Any]]
    sender: dict[str, Any]

    @property
    def phone_arns(self) -> list[str]:
        return [phone["PhoneNumberArn"] for phone in self.phones]


def first_deploy_context(identities: Identities) -> dict[str, str]:
    return {
        "originationIdentities": ",".join(identities.phone_arns),
        "messageType": "TRANSACTIONAL",
        "helpMessage": "Demo Co: reply STOP to opt out.",
        "tags": "project=sms-demo,stage=first",
    }


def second_deploy_context(identities: Identities) -> dict[str, str]:
    """One changed setting, changed tags and one more identity (the sender ID)."""
    return {
        **first_deploy_context(identities),
        "originationIdentities": ",".join([*identities.phone_arns, identities.sender["SenderIdArn"]]),
        "sharedRoutesEnabled": "true",
        "tags": "project=sms-demo,stage=second",
    }


def seed_identities(control: ControlClient) -> Identities:
    identities = Identities(
        phones=[control.seed_phone_number() for _ in range(2)],
        sender=control.seed_sender_id(sender_id=DEMO_SENDER_ID, iso_country_code=DEMO_SENDER_COUNTRY),
    )
    for phone in identities.phones:
        print(f"    phone number {phone['PhoneNumber']}  {phone['PhoneNumberArn']}")
    print(f"    sender ID    {identities.sender['SenderId']}  {identities.sender['SenderIdArn']}")
    return identities


def show_pool(sms: PinpointSMSVoiceV2Client, pool_id: str, expected: set[str]) -> dict[str, Any]:
    view = describe_pool(sms, pool_id)
    print(pool_table(view))
    status = view["pool"]["Status"]
    expect(status == "ACTIVE", f"pool status {status}, expected ACTIVE")
    found = identity_ids(view)
    expect(found == expected, f"identities {sorted(found)}, expected {sorted(expected)}")
    return view


def check_nothing_left(cloud: LocalCloud, sms: PinpointSMSVoiceV2Client, identities: Identities) -> None:
    pools = wait_for(lambda: sms.describe_pools()["Pools"], lambda pools: not pools, "the pool to be deleted")
    print(f"    describe-pools: {len(pools)} pools")
    summaries = cloud.cloudformation_client().list_stacks()["StackSummaries"]
    left = [s for s in summaries if s["StackName"] == STACK_NAME and s["StackStatus"] != "DELETE_COMPLETE"]
    expect(not left, f"stack {STACK_NAME} still exists: {left}")
    print(f"    stack {STACK_NAME}: deleted")
    numbers = sms.describe_phone_numbers(PhoneNumberIds=identities.phone_arns)["PhoneNumbers"]
    in_pool = [number["PhoneNumberId"] for number in numbers if number.get("PoolId")]
    expect(not in_pool, f"phone numbers still in a pool: {in_pool}")
    print("    the phone numbers belong to no pool again")


def run_demo(run_dir: Path, timer: StepTimer) -> None:
    cloud = LocalCloud(run_dir, activation_delay=DEMO_ACTIVATION_DELAY_SECONDS)
    ports: list[int] = []
    try:
        with timer.step("Start the local cloud (ministack + SMS Voice emulator)"):
            endpoints = cloud.start()
            ports = [record.port for record in cloud.records]
            print(f"    ministack (CloudFormation, Lambda, IAM, S3, ...)  {endpoints.aws_endpoint_url}")
            print(f"    SMS Voice v2 emulator                             {endpoints.sms_voice_endpoint_url}")
        sms = cloud.sms_voice_client()
        cdk = CdkCli(cloud.subprocess_env(), run_dir, echo=lambda line: print(f"    | {line}", flush=True))

        with timer.step("Seed the account: two phone numbers and a sender ID"):
            identities = seed_identities(ControlClient(endpoints.sms_voice_endpoint_url))

        with timer.step(f"npx cdk bootstrap {BOOTSTRAP_ENVIRONMENT}"):
            cdk.bootstrap()

        with timer.step("npx cdk deploy -c originationIdentities=<two phone numbers> ..."):
            cdk.deploy(first_deploy_context(identities))
            outputs = cdk.stack_outputs()
            print("    Stack outputs:")
            for key, value in sorted(outputs.items()):
                print(f"      {key} = {value}")
            expect("PoolId" in outputs, f"the stack has no PoolId output: {outputs}")
            pool_id = outputs["PoolId"]

        with timer.step("The pool, as `aws pinpoint-sms-voice-v2 describe-pools` shows it"):
            show_pool(sms, pool_id, set(identities.phone_arns))

        with timer.step("npx cdk deploy again: shared routes on, new tags, + the sender ID"):
            cdk.deploy(second_deploy_context(identities))
            new_id = cdk.stack_outputs().get("PoolId")
            expect(new_id == pool_id, f"the pool was replaced: {pool_id} -> {new_id}")
            print(f"    PoolId = {new_id} (updated in place)")

        with timer.step("The pool after the update"):
            view = show_pool(sms, pool_id, {*identities.phone_arns, identities.sender["SenderIdArn"]})
            expect(view["pool"]["SharedRoutesEnabled"] is True, "SharedRoutesEnabled was not turned on")
            tags = {t["Key"]: t["Value"] for t in view["tags"]}
            expect(tags.get("stage") == "second", f"tags {tags}, expected stage=second")
            memory = cloud.memory_rss_bytes()

        with timer.step(f"npx cdk destroy --force {STACK_NAME}"):
            cdk.destroy(second_deploy_context(identities))

        with timer.step("Check that no pool and no stack are left"):
            check_nothing_left(cloud, sms, identities)

        print("\nMemory (resident) while the stack existed:")
        for name, size in memory.items():
            note = "  (gateway + warm Lambda worker)" if name == "ministack" else ""
            print(f"  {name:<10} {size / 2**20:6.0f} MiB{note}")
    finally:
        cloud.stop()
    left = [port for port in ports if port_is_listening(port)]
    if left:
        raise DemoFailure(f"something still listens on port(s) {left} after the local cloud stopped")


def main(argv: Sequence[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    run_dir = LOCALCLOUD_DIR / f"demo-{time.strftime('%Y%m%d-%H%M%S')}"
    print("make demo: cdk deploy / update / destroy of an SMS pool on a local cloud (no AWS account)")
    print(f"Working folder: {run_dir}")
    timer = StepTimer()
    try:
        run_demo(run_dir, timer)
    except KeyboardInterrupt:
        print("\nInterrupted: every process the demo started has been stopped.", file=sys.stderr)
        print(f"Logs: {run_dir}", file=sys.stderr)
        return 130
    except Exception as error:
        print(f"\nFAILED: {error}", file=sys.stderr)
        print("\nSteps:")
        print(timer.summary())
        print(f"\nLogs (ministack, emulator, each cdk command): {run_dir}", file=sys.stderr)
        print("Verdict: FAIL", file=sys.stderr)
        return 1
    print("\nSteps:")
    print(timer.summary())
    print(
        "\nVerdict: PASS. cdk deploy created the pool, a second deploy updated it in place, cdk destroy "
        "deleted it;\nnothing is left running."
    )
    shutil.rmtree(run_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
