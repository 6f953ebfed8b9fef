"""Provider-added latency: response time per operation minus the time the service itself needs.

For activation delays of 0, 2 and 10 s (a new pool is CREATING that long), each operation on one pool
is timed from the invocation to the answer crhelper PUTs to the ResponseURL:

* Create (one phone number): the service needs the activation delay before the pool is ACTIVE.
* Update (one setting changed: SharedRoutesEnabled): the service needs nothing (no state change).
* Delete: the service needs nothing before DeletePool's answer (DELETING counts as deleted).

Provider-added = response time - that service time. The target for ours is under 1 s.
Run alone: ``.venv/bin/python bench/bench_latency.py``.
"""

from __future__ import annotations

import contextlib
from typing import Any

import bench_common as common
import pool_waiter  # the handler's waiting rules (lambda/pool_provider, on sys.path)

DELAYS = (0.0, 2.0, 10.0)
REPEATS = {0.0: 3, 2.0: 3, 10.0: 1}
OPERATIONS = ("Create", "Update", "Delete")


def _one_lifecycle(emu: Any, which: str) -> dict[str, common.Outcome]:
    phone = emu.control.seed_phone_number()
    props = {"OriginationIdentities": [phone["PhoneNumberId"]]}
    changed = {**props, "SharedRoutesEnabled": "true"}
    created = common.invoke(which, common.event("Create", props))
    assert created.answer["Status"] == "SUCCESS", created.answer
    pool_id = created.answer["PhysicalResourceId"]
    updated = common.invoke(which, common.event("Update", changed, physical_id=pool_id, old_properties=props))
    assert updated.answer["Status"] == "SUCCESS", updated.answer
    deleted = common.invoke(which, common.event("Delete", changed, physical_id=pool_id))
    assert deleted.answer["Status"] == "SUCCESS", deleted.answer
    return {"Create": created, "Update": updated, "Delete": deleted}


def measure(emu: Any | None = None) -> dict[str, Any]:
    with contextlib.ExitStack() as stack:
        if emu is None:
            emu = stack.enter_context(common.emulator())
        emu.control.reset()
        rows = []
        for delay in DELAYS:
            common.set_activation_delay(emu, delay)
            runs: dict[str, list[dict[str, common.Outcome]]] = {"ours": [], "baseline": []}
            for _ in range(REPEATS[delay]):
                for which, lifecycles in runs.items():
                    lifecycles.append(_one_lifecycle(emu, which))
            for operation in OPERATIONS:
                service = delay if operation == "Create" else 0.0
                row: dict[str, Any] = {"delay": delay, "operation": operation, "service": service}
                for which, lifecycles in runs.items():
                    outcomes = [lifecycle[operation] for lifecycle in lifecycles]
                    row[which] = {
                        "response": common.median([o.seconds for o in outcomes]),
                        "added": common.median([o.seconds - service for o in outcomes]),
                        "sleep_on_delete": common.median([o.virtual_sleep_on_delete for o in outcomes]),
                        "schedule_wait": common.median([o.virtual_schedule_wait for o in outcomes]),
                        "invocations": common.median([float(o.invocations) for o in outcomes]),
                    }
                rows.append(row)
                print(
                    f"delay {delay:4.1f} s {operation:6}: ours {row['ours']['response']:6.2f} s "
                    f"(added {row['ours']['added']:5.2f} s), baseline {row['baseline']['response']:6.1f} s"
                )
        common.set_activation_delay(emu, 0.0)
    return {"rows": rows, "repeats": {str(k): v for k, v in REPEATS.items()}}


def markdown(result: dict[str, Any]) -> str:
    rows = []
    for row in result["rows"]:
        ours, base = row["ours"], row["baseline"]
        ours_note = ""
        if ours["sleep_on_delete"]:
            ours_note = f" (incl. {ours['sleep_on_delete']:.0f} s sleep_on_delete)"
        base_note = []
        if base["schedule_wait"]:
            base_note.append(f"{base['schedule_wait']:.0f} s waiting for the 1-minute poll")
        if base["sleep_on_delete"]:
            base_note.append(f"{base['sleep_on_delete']:.0f} s sleep_on_delete")
        if row["operation"] == "Update":
            base_note.append("does nothing: the setting is NOT changed")
        rows.append(
            [
                f"{row['delay']:.0f} s",
                row["operation"],
                f"{row['service']:.0f} s",
                f"{ours['response']:.2f} s",
                f"**{ours['added']:.2f} s**{ours_note}",
                f"{base['response']:.1f} s",
                f"{base['added']:.1f} s" + (f" ({'; '.join(base_note)})" if base_note else ""),
            ]
        )
    header = [
        "activation delay",
        "operation",
        "service needs",
        "ours: response",
        "ours: provider-added",
        "BASELINE: response",
        "BASELINE: provider-added",
    ]
    repeats = ", ".join(f"{v} at {float(k):.0f} s" for k, v in result["repeats"].items())
    return "\n".join(
        [
            "## Provider-added latency per operation",
            "",
            "Response time (invocation to the answer PUT to the ResponseURL) minus what the service itself",
            "needs (Create: the activation delay before ACTIVE; Update, Delete: nothing). Median of the runs",
            f"({repeats}). Target for ours: under 1 s.",
            "",
            common.table(header, rows),
            "",
            "Where ours adds time: a new pool is polled with DescribePools every "
            f"{pool_waiter.FIRST_PAUSE_SECONDS:.0f} s for the first",
            f"{pool_waiter.STEADY_POLLING_SECONDS:.0f} s (the 1 request/s quota), then at pauses growing "
            f"to {pool_waiter.MAX_PAUSE_SECONDS:.0f} s, so",
            "the answer comes at the first poll after ACTIVE; and crhelper sleeps `sleep_on_delete` (5 s)",
            "before answering a Delete when the Lambda has more than 20 s left (counted exactly as crhelper",
            "decides, not slept). The baseline answers only from a poll of its 1-minute EventBridge",
            "schedule (crhelper polling always sets the schedule up, even for a pool that is ACTIVE at",
            "once) and sleeps crhelper's default 120 s before a Delete answer; both waits are counted on a",
            "virtual clock, not slept.",
        ]
    )


if __name__ == "__main__":
    print(markdown(measure()))
