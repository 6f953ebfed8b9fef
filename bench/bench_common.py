"""Shared by the benchmark parts: paths, the emulator, and running a handler the way CloudFormation does.

Both handlers run for real (crhelper included) against the SMS Voice emulator over HTTP. Two waits
that happen outside the handler's own work are accounted for on a virtual clock instead of being
slept through, and each is reported:

* crhelper's ``sleep_on_delete`` (ours: 5 s, the baseline's default: 120 s, both only when the
  Lambda has more than that + 15 s left, which a 300 s Lambda has): added to the Delete's
  response time, computed exactly as crhelper computes it.
* the baseline's EventBridge schedule (crhelper polling, ``rate(1 minute)``): the rule, permission
  and target calls are recorded instead of made, and each poll runs when the schedule would fire,
  i.e. 60 s after the previous invocation; the minute in between is added, not slept.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import os
import platform
import statistics
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HANDLER_DIR = ROOT / "lambda" / "pool_provider"
BASELINE_FILE = Path(__file__).resolve().parent / "baseline" / "naive_pool_handler.py"
for entry in (str(ROOT), str(HANDLER_DIR)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

os.environ.setdefault("AWS_REGION", "us-east-1")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
os.environ.pop("AWS_PROFILE", None)

# The tests' harness (events, context, crhelper's answer recorder): imported once the region is set,
# because crhelper builds clients at import.
import contract  # noqa: E402  # lambda/pool_provider/contract.py, on sys.path above

from tests.support.harness import (  # noqa: E402
    FakeContext,
    ResponseRecorder,
    check_answer,
    is_mutating,
    make_event,
    sms_client,
)

# The provider's Lambda timeout (src/cdk_sms_voice_pool/provider.py FUNCTION_TIMEOUT = 5 minutes).
LAMBDA_TIMEOUT_SECONDS = 300.0
# crhelper polling at its minimum: EventBridge rate(1 minute).
POLL_INTERVAL_SECONDS = 60.0
ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2"


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# --- the emulator ------------------------------------------------------------------------------
@contextlib.contextmanager
def emulator(activation_delay: float = 0.0) -> Iterator[Any]:
    """An in-process SMS Voice emulator; boto3 clients made inside reach it."""
    from localcloud.sms_voice import Emulator  # noqa: PLC0415  # after sys.path is set up

    with Emulator(activation_delay=activation_delay) as emu:
        previous = os.environ.get(ENDPOINT_VARIABLE)
        os.environ[ENDPOINT_VARIABLE] = emu.endpoint_url
        try:
            yield emu
        finally:
            if previous is None:
                os.environ.pop(ENDPOINT_VARIABLE, None)
            else:
                os.environ[ENDPOINT_VARIABLE] = previous


def sms_calls(control: Any) -> list[str]:
    return [call["operation"] for call in control.calls()]


# --- events and contexts -----------------------------------------------------------------------
event = make_event  # the tests' event builder: properties as given (strings, as CloudFormation sends)
__all__ = ["event", "is_mutating", "sms_client"]


# --- running a handler -------------------------------------------------------------------------
@dataclass
class Outcome:
    """One CloudFormation request: its answer, when it came, and what it cost."""

    answer: dict[str, Any]
    seconds: float  # real handler time (all invocations) + the virtual waits below
    virtual_sleep_on_delete: float = 0.0
    virtual_schedule_wait: float = 0.0
    invocations: int = 1
    polling_calls: list[str] = field(default_factory=list)  # EventBridge/Lambda calls crhelper makes


class _Recorder:
    def __init__(self) -> None:
        self.answers = ResponseRecorder()
        self.sleeps: list[float] = []
        self.polling_calls: list[str] = []
        self.scheduled: list[dict[str, Any]] = []


_RECORDER = _Recorder()


def _virtual_wait_for_cwlogs(self: Any, sleep: Any = None) -> None:
    """crhelper's sleep before a Delete answer (resource_helper._wait_for_cwlogs), recorded, not slept."""
    time_left = int(self._context.get_remaining_time_in_millis() / 1000) - 15
    sleep_time = self._sleep_on_delete if time_left > self._sleep_on_delete else 0
    if sleep_time > 1:
        _RECORDER.sleeps.append(float(sleep_time))


def _install_recorders(helper: Any) -> None:
    """Record crhelper's answers, sleeps and EventBridge calls on ``helper`` instead of making them."""
    import crhelper.utils  # noqa: PLC0415  # after sys.path is set up

    crhelper.utils.HTTPSConnection = _RECORDER.answers.connection_class()
    type(helper)._wait_for_cwlogs = _virtual_wait_for_cwlogs

    def put_rule() -> str:
        _RECORDER.polling_calls.append("events:PutRule")
        return "arn:aws:events:us-east-1:000000000000:rule/PoolPoll"

    def add_permission(rule_arn: str) -> str:
        _RECORDER.polling_calls.append("lambda:AddPermission")
        return "PoolPollPermission"

    def put_targets(func_name: str) -> None:
        _RECORDER.polling_calls.append("events:PutTargets")
        _RECORDER.scheduled.append(json.loads(json.dumps(helper._event)))

    def recorder(name: str) -> Any:
        return lambda *args: _RECORDER.polling_calls.append(name)

    helper._put_rule = put_rule
    helper._add_permission = add_permission
    helper._put_targets = put_targets
    helper._remove_targets = recorder("events:RemoveTargets")
    helper._remove_permission = recorder("lambda:RemovePermission")
    helper._delete_rule = recorder("events:DeleteRule")


_HANDLERS: dict[str, Any] = {}


def load_handler(which: str) -> Any:
    """``ours`` (lambda/pool_provider/index.py) or ``baseline`` (bench/baseline/naive_pool_handler.py)."""
    if which not in _HANDLERS:
        if which == "ours":
            import index  # noqa: PLC0415  # the Lambda module, found through sys.path

            module = index
        else:
            spec = importlib.util.spec_from_file_location("naive_pool_handler", BASELINE_FILE)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
        _install_recorders(module.helper)
        # Both handlers log through the root logger (the baseline at DEBUG); keep the numbers readable.
        logging.disable(logging.CRITICAL)
        _HANDLERS[which] = module
    return _HANDLERS[which]


@dataclass
class Invocation:
    """One Lambda invocation: the answer it sent (None while crhelper polling goes on)."""

    answer: dict[str, Any] | None
    scheduled: dict[str, Any] | None  # the poll event crhelper put on its EventBridge rule
    seconds: float  # real time
    sleep_on_delete: float  # virtual
    polling_calls: list[str]


def invoke_once(which: str, request: dict[str, Any]) -> Invocation:
    module = load_handler(which)
    answers_before, sleeps_before = len(_RECORDER.answers.bodies), len(_RECORDER.sleeps)
    polling_before = len(_RECORDER.polling_calls)
    _RECORDER.scheduled.clear()
    started = time.perf_counter()
    module.handler(request, FakeContext(LAMBDA_TIMEOUT_SECONDS))
    seconds = time.perf_counter() - started
    answers = _RECORDER.answers.answers_since(answers_before)
    if which == "ours":  # the tests' strict rules (ours never polls: one answer per invocation);
        # the naive baseline breaks some, and answers only on its last poll
        check_answer(request, answers, attributes=frozenset(contract.ATTRIBUTES))
    if len(answers) > 1:  # the measurement needs the one answer CloudFormation would act on
        raise RuntimeError(f"{which} gave {len(answers)} answers to {request['RequestType']}: {answers}")
    return Invocation(
        answer=answers[0] if answers else None,
        scheduled=_RECORDER.scheduled[-1] if _RECORDER.scheduled and not answers else None,
        seconds=seconds,
        sleep_on_delete=sum(_RECORDER.sleeps[sleeps_before:]),
        polling_calls=_RECORDER.polling_calls[polling_before:],
    )


def invoke(which: str, request: dict[str, Any], *, max_polls: int = 30) -> Outcome:
    """Send one request; for the baseline, run its scheduled polls until crhelper answers."""
    first = invoke_once(which, request)
    real, sleep, polling = first.seconds, first.sleep_on_delete, list(first.polling_calls)
    invocations, schedule_wait, current = 1, 0.0, first
    while current.answer is None and current.scheduled is not None and invocations <= max_polls:
        # The rule fires a minute after the previous invocation; the service runs on meanwhile, so
        # let it reach the state it would have by then (a few seconds at most here), then poll.
        schedule_wait += POLL_INTERVAL_SECONDS
        _wait_for_service(current.scheduled)
        current = invoke_once(which, current.scheduled)
        real += current.seconds
        sleep += current.sleep_on_delete
        polling += current.polling_calls
        invocations += 1
    if current.answer is None:
        raise RuntimeError(f"{which} never answered {request['RequestType']}")
    return Outcome(
        answer=current.answer,
        seconds=real + sleep + schedule_wait,
        virtual_sleep_on_delete=sleep,
        virtual_schedule_wait=schedule_wait,
        invocations=invocations,
        polling_calls=polling,
    )


_ACTIVATION_DELAY = {"seconds": 0.0}


def set_activation_delay(emu: Any, seconds: float) -> None:
    """Set the emulator's activation delay, and remember it for the baseline's virtual minute."""
    emu.control.set_activation_delay(seconds)
    _ACTIVATION_DELAY["seconds"] = seconds


def _wait_for_service(_poll: Mapping[str, Any]) -> None:
    # A minute passes before the poll; every pool transition here takes at most the activation delay.
    time.sleep(min(_ACTIVATION_DELAY["seconds"], POLL_INTERVAL_SECONDS))


# --- the machine -------------------------------------------------------------------------------
def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def machine() -> dict[str, str]:
    from importlib.metadata import version  # noqa: PLC0415  # only needed here

    return {
        "Date (UTC)": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "CPU": f"{os.cpu_count()} x {_cpu_model()}",
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "boto3 / botocore": f"{version('boto3')} / {version('botocore')}",
        "crhelper": version("crhelper"),
    }


def table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
