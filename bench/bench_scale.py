"""Scale: a stack of 100 pools created, then destroyed, with the service's 1 request/s quotas on.

CloudFormation invokes the custom resource for independent resources in parallel; here a pool of 10
worker processes plays the Lambda service (each a warm execution environment that imports the
handler once; crhelper's module state is per process, as in Lambda). The emulator runs with its
``realistic`` rate profile: every operation 1 request/s, excess calls ThrottlingException.

The bound: with 1 request/s per operation, a phase cannot finish faster than (n - 1) s, where n is
the number of successful calls of its busiest operation (every Create needs one CreatePool, every
Delete one DeletePool). crhelper's ``sleep_on_delete`` is counted (not slept) at the end of each
Delete, as if each Lambda slept on its own. The BASELINE's 1-minute EventBridge polls run when the
schedule would fire (each resource's rule fires 60 s after its first invocation ended; the idle
minute is added, not slept). Run alone: ``.venv/bin/python bench/bench_scale.py``.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

import bench_common as common

# BENCH_POOLS=20 for a quick look; the published figure uses 100.
POOLS = int(os.environ.get("BENCH_POOLS", "100"))
WORKERS = 10
ACTIVATION_DELAY = 0.0
MAX_POLL_ROUNDS = 5


# --- in the worker processes -------------------------------------------------------------------
def _worker_init(endpoint: str) -> None:
    os.environ[common.ENDPOINT_VARIABLE] = endpoint
    common.load_handler("ours")
    common.load_handler("baseline")


def _run(which: str, request: dict[str, Any]) -> dict[str, Any]:
    started = time.monotonic()  # system-wide on Linux: comparable across processes
    invocation = common.invoke_once(which, request)
    return {
        "answer": invocation.answer,
        "scheduled": invocation.scheduled,
        "start": started,
        "end": time.monotonic(),
        "sleep": invocation.sleep_on_delete,
    }


# --- in the main process -----------------------------------------------------------------------
def _call_stats(control: Any) -> dict[str, Any]:
    calls = control.calls()
    ok: dict[str, int] = {}
    throttled = 0
    for call in calls:
        if call["outcome"] == "ok":
            ok[call["operation"]] = ok.get(call["operation"], 0) + 1
        elif call["outcome"] == "ThrottlingException":
            throttled += 1
    busiest = max(ok.items(), key=lambda item: item[1]) if ok else ("none", 0)
    return {"ok": ok, "throttled": throttled, "busiest": busiest, "bound": max(0, busiest[1] - 1)}


def _ours_phase(pool: ProcessPoolExecutor, requests: list[dict[str, Any]]) -> dict[str, Any]:
    started = time.monotonic()
    results = [f.result() for f in [pool.submit(_run, "ours", request) for request in requests]]
    answers = [r["answer"] for r in results]
    return {
        "seconds": max(r["end"] - started + r["sleep"] for r in results),
        "sleep_on_delete": max(r["sleep"] for r in results),
        "succeeded": sum(1 for a in answers if a and a["Status"] == "SUCCESS"),
        "answers": answers,
        "reasons": sorted({a["Reason"][:160] for a in answers if a and a["Status"] == "FAILED"})[:3],
    }


def _baseline_phase(pool: ProcessPoolExecutor, requests: list[dict[str, Any]]) -> dict[str, Any]:
    started = time.monotonic()
    firsts = [f.result() for f in [pool.submit(_run, "baseline", request) for request in requests]]
    answers: dict[int, dict[str, Any]] = {}
    completion: dict[int, float] = {}
    pending: dict[int, tuple[dict[str, Any], float]] = {}
    for index, first in enumerate(firsts):
        if first["answer"] is not None:
            answers[index] = first["answer"]
            completion[index] = first["end"] - started + first["sleep"]
        elif first["scheduled"] is not None:
            pending[index] = (first["scheduled"], first["end"] - started)
    rounds = 0
    while pending and rounds < MAX_POLL_ROUNDS:
        rounds += 1
        time.sleep(ACTIVATION_DELAY)  # what the idle minute gives the service
        round_start = time.monotonic()
        submitted: list[tuple[int, float, Future[dict[str, Any]]]] = []
        for index, (poll, offset) in sorted(pending.items(), key=lambda item: item[1][1]):
            # Each rule fires at its own offset: replay the spread of the first invocations.
            time.sleep(max(0.0, offset - (time.monotonic() - round_start)))
            submitted.append((index, offset, pool.submit(_run, "baseline", poll)))
        pending = {}
        for index, offset, future in submitted:
            result = future.result()
            ended = common.POLL_INTERVAL_SECONDS * rounds + (result["end"] - round_start)
            if result["answer"] is not None:
                answers[index] = result["answer"]
                completion[index] = ended + result["sleep"]
            elif result["scheduled"] is not None:
                pending[index] = (result["scheduled"], offset)
    return {
        "seconds": max(completion.values(), default=0.0),
        "succeeded": sum(1 for a in answers.values() if a["Status"] == "SUCCESS"),
        "unanswered": len(requests) - len(answers),
        "poll_rounds": rounds,
        "answers": [answers.get(index) for index in range(len(requests))],
        "reasons": sorted({a["Reason"][:120] for a in answers.values() if a["Status"] == "FAILED"})[:3],
    }


def _stack(
    emu: Any, pool: ProcessPoolExecutor, which: str, phase: Callable[..., dict[str, Any]]
) -> dict[str, Any]:
    control = emu.control
    control.reset()
    control.set_activation_delay(ACTIVATION_DELAY)
    phones = [control.seed_phone_number() for _ in range(POOLS)]
    control.set_rate_profile("realistic")
    creates = [
        common.event("Create", {"OriginationIdentities": [p["PhoneNumberId"]]}, logical_id=f"Pool{i:03d}")
        for i, p in enumerate(phones)
    ]
    created = phase(pool, creates)
    created["calls"] = _call_stats(control)
    print(
        f"{which:8} create: {created['succeeded']}/{POOLS} in {created['seconds']:.1f} s {created['reasons']}"
    )
    control.clear_calls()
    # CloudFormation deletes every resource it holds an id for (a FAILED Create's id included).
    deletes = [
        common.event(
            "Delete",
            create["ResourceProperties"],
            logical_id=create["LogicalResourceId"],
            physical_id=answer["PhysicalResourceId"],
        )
        for create, answer in zip(creates, created["answers"], strict=True)
        if answer is not None
    ]
    deleted = phase(pool, deletes)
    deleted["calls"] = _call_stats(control)
    control.set_rate_profile("off")
    time.sleep(ACTIVATION_DELAY)
    # The account after the stack is gone: any pool still there is an orphan.
    pages = common.sms_client(emu.endpoint_url).get_paginator("describe_pools").paginate()
    orphans = sum(len(page["Pools"]) for page in pages)
    print(f"{which:8} delete: {deleted['succeeded']}/{len(deletes)} in {deleted['seconds']:.1f} s")
    print(f"{which:8} pools left after the stack is deleted: {orphans}; failures: {deleted['reasons']}")
    for phase_result in (created, deleted):
        phase_result.pop("answers")
    return {"create": created, "delete": deleted, "deletes_sent": len(deletes), "pools_left": orphans}


def measure(emu: Any | None = None) -> dict[str, Any]:
    with contextlib.ExitStack() as stack:
        if emu is None:
            emu = stack.enter_context(common.emulator())
        context = multiprocessing.get_context("spawn")
        pool = stack.enter_context(
            ProcessPoolExecutor(
                WORKERS, mp_context=context, initializer=_worker_init, initargs=(emu.endpoint_url,)
            )
        )
        # Start every worker (imports, crhelper's clients) before the clock runs.
        list(pool.map(time.sleep, [0.2] * WORKERS))
        return {
            "pools": POOLS,
            "workers": WORKERS,
            "ours": _stack(emu, pool, "ours", _ours_phase),
            "baseline": _stack(emu, pool, "baseline", _baseline_phase),
        }


def markdown(result: dict[str, Any]) -> str:
    rows = []
    for which, label in (("ours", "ours"), ("baseline", "BASELINE")):
        entry = result[which]
        for phase in ("create", "delete"):
            data = entry[phase]
            calls = data["calls"]
            sent = result["pools"] if phase == "create" else entry["deletes_sent"]
            bound = calls["bound"]
            note = []
            if data.get("sleep_on_delete"):
                note.append(f"incl. {data['sleep_on_delete']:.0f} s sleep_on_delete")
            if data.get("poll_rounds"):
                note.append(f"{data['poll_rounds']} poll round(s) of the 1-minute schedule")
            if data.get("unanswered"):
                note.append(f"{data['unanswered']} never answered")
            if data.get("reasons"):
                note.append("FAILED e.g. " + "; ".join(f"`{r}`" for r in data["reasons"][:1]))
            rows.append(
                [
                    label,
                    phase,
                    f"**{data['succeeded']}/{sent}**",
                    f"**{data['seconds']:.0f} s**",
                    f"{bound} s ({calls['busiest'][0]} x{calls['busiest'][1]})",
                    f"{data['seconds'] / bound:.2f}x" if bound and data["succeeded"] == sent else "n/a",
                    str(calls["throttled"]),
                    "; ".join(note),
                ]
            )
    left = ", ".join(
        f"{label}: {result[w]['pools_left']}" for w, label in (("ours", "ours"), ("baseline", "BASELINE"))
    )
    return "\n".join(
        [
            "## Scale: 100 pools created, then destroyed, with 1 request/s quotas",
            "",
            f"{result['pools']} resources, each with one phone number, invoked {result['workers']} at a time "
            "(warm worker processes), emulator rate profile `realistic` (1 request/s per operation),",
            "activation delay 0. Bound = the fastest the quotas allow: (successful calls of the busiest",
            "operation - 1) seconds.",
            "",
            common.table(
                [
                    "handler",
                    "phase",
                    "succeeded",
                    "total time",
                    "quota bound",
                    "vs bound",
                    "throttled calls",
                    "notes",
                ],
                rows,
            ),
            "",
            f"Pools left in the account after the stack is deleted (orphans): {left}.",
        ]
    )


if __name__ == "__main__":
    print(markdown(measure()))
