"""API calls per operation, from the emulator's call log, against the minimum possible.

Activation delay 0 (a pool is ACTIVE at once): with a real delay, each wait adds one DescribePools
per poll, for ours and the baseline alike. Run alone: ``.venv/bin/python bench/bench_api_calls.py``.
"""

from __future__ import annotations

import contextlib
from typing import Any

import bench_common as common

KEYWORDS = [
    {"Keyword": "JOIN", "Message": "Welcome", "Action": "OPT_IN"},
    {"Keyword": "INFO", "Message": "Info", "Action": "AUTOMATIC_RESPONSE"},
    {"Keyword": "QUIT", "Message": "Bye", "Action": "OPT_OUT"},
]

# (operation, minimum SMS Voice calls, why nothing less can be right)
MINIMUMS = {
    "create, 1 identity": (
        3,
        "DescribePhoneNumbers (pre-flight: the number exists, is ACTIVE, is in no pool, has the message "
        "type), CreatePool (tags and deletion protection ride along), DescribeKeywords (the pool "
        "inherits the number's keywords; extra ones must be found to be deleted)",
    ),
    "create, 5 identities + 3 keywords": (
        10,
        "the 3 above (one DescribePhoneNumbers covers 5 ids) + 4 AssociateOriginationIdentity (one per "
        "extra identity; no batch call) + 3 PutKeyword (one per keyword)",
    ),
    "no-op update": (
        4,
        "the pool's actual state must be read, not trusted from OldResourceProperties: DescribePools "
        "(settings), ListPoolOriginationIdentities, DescribeKeywords, ListTagsForResource; no change",
    ),
    "update, one setting changed": (5, "the 4 reads + 1 UpdatePool"),
    "delete": (1, "DeletePool (ResourceNotFound and DELETING both count as deleted)"),
}


def _operations(emu: Any, which: str) -> dict[str, dict[str, Any]]:
    emu.control.reset()
    phones = [emu.control.seed_phone_number() for _ in range(6)]
    single = {"OriginationIdentities": [phones[0]["PhoneNumberId"]]}
    five = {
        "OriginationIdentities": [phone["PhoneNumberId"] for phone in phones[1:]],
        "OptionalKeywords": KEYWORDS,
    }
    changed = {**five, "SharedRoutesEnabled": "true"}
    results: dict[str, dict[str, Any]] = {}

    def run(name: str, request: dict[str, Any]) -> str:
        emu.control.clear_calls()
        outcome = common.invoke(which, request)
        calls = common.sms_calls(emu.control)
        results[name] = {
            "status": outcome.answer["Status"],
            "calls": calls,
            "mutating": [c for c in calls if common.is_mutating(c)],
            "polling": outcome.polling_calls,
        }
        return str(outcome.answer["PhysicalResourceId"])

    run("create, 1 identity", common.event("Create", single))
    pool_id = run("create, 5 identities + 3 keywords", common.event("Create", five))
    run("no-op update", common.event("Update", five, physical_id=pool_id, old_properties=five))
    run(
        "update, one setting changed",
        common.event("Update", changed, physical_id=pool_id, old_properties=five),
    )
    run("delete", common.event("Delete", changed, physical_id=pool_id))
    return results


def measure(emu: Any | None = None) -> dict[str, Any]:
    with contextlib.ExitStack() as stack:
        if emu is None:
            emu = stack.enter_context(common.emulator())
        common.set_activation_delay(emu, 0.0)
        result = {which: _operations(emu, which) for which in ("ours", "baseline")}
    for name in MINIMUMS:
        ours, base = result["ours"][name], result["baseline"][name]
        print(
            f"{name:36}: ours {len(ours['calls']):2d} (minimum {MINIMUMS[name][0]}), "
            f"baseline {len(base['calls'])} + {len(base['polling'])} polling set-up"
        )
    return result


def _summary(calls: list[str]) -> str:
    counts: dict[str, int] = {}
    for call in calls:
        counts[call] = counts.get(call, 0) + 1
    return ", ".join(f"{name} x{n}" if n > 1 else name for name, n in counts.items()) or "none"


def markdown(result: dict[str, Any]) -> str:
    rows = []
    for name, (minimum, why) in MINIMUMS.items():
        ours, base = result["ours"][name], result["baseline"][name]
        base_missing = ""
        if name == "update, one setting changed":
            base_missing = " - the setting is NOT changed"
        rows.append(
            [
                name,
                f"**{len(ours['calls'])}** ({len(ours['mutating'])} mutating)",
                str(minimum),
                f"{len(base['calls'])} + {len(base['polling'])} EventBridge/Lambda{base_missing}",
                why,
            ]
        )
    detail = [f"- ours, {name}: {_summary(result['ours'][name]['calls'])}" for name in MINIMUMS] + [
        f"- BASELINE, {name}: {_summary(base['calls'] + base['polling'])}"
        for name, base in result["baseline"].items()
    ]
    return "\n".join(
        [
            "## API calls per operation",
            "",
            "SMS Voice calls from the emulator's call log (activation delay 0; a CREATING pool adds one",
            "DescribePools per poll). The baseline also makes crhelper's polling set-up and tear-down",
            "calls (EventBridge PutRule/PutTargets/RemoveTargets/DeleteRule, Lambda AddPermission and",
            "RemovePermission).",
            "",
            common.table(
                ["operation", "ours", "minimum", "BASELINE", "why the minimum is the minimum"], rows
            ),
            "",
            "<details><summary>The calls</summary>",
            "",
            *detail,
            "",
            "</details>",
        ]
    )


if __name__ == "__main__":
    print(markdown(measure()))
