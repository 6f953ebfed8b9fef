"""Run every benchmark part and write bench/RESULTS.md (``make bench``).

    .venv/bin/python bench/run.py                     # all parts, writes bench/RESULTS.md
    .venv/bin/python bench/run.py latency api_calls   # some parts, printed only
    .venv/bin/python bench/run.py --render            # RESULTS.md again from bench/results.json

Parts: api_calls, cold_start, latency, scale (each also runs alone: bench/bench_<part>.py). These
are measurements, not tests: nothing here asserts a speed. The numbers come from this machine and
the local emulator, so compare ours with the BASELINE, not with AWS.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import bench_api_calls
import bench_cold_start
import bench_common as common
import bench_latency
import bench_scale

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
RAW_RESULTS = Path(__file__).resolve().parent / "results.json"
PARTS = {
    "api_calls": bench_api_calls,
    "cold_start": bench_cold_start,
    "latency": bench_latency,
    "scale": bench_scale,
}
NEEDS_EMULATOR = ("api_calls", "latency", "scale")


def _headline(results: dict[str, Any]) -> list[str]:
    lines = ["## Headline: ours vs the BASELINE", ""]
    latency = results.get("latency")
    if latency:
        for row in latency["rows"]:
            if row["operation"] == "Create" and row["delay"] in (2.0, 10.0):
                ours, base = row["ours"], row["baseline"]
                lines.append(
                    f"- Create, pool ACTIVE after {row['delay']:.0f} s: ours answers after "
                    f"{ours['response']:.1f} s (adds {ours['added']:.2f} s); the BASELINE after "
                    f"{base['response']:.0f} s."
                )
            if row["operation"] == "Delete" and row["delay"] == 0.0:
                lines.append(
                    f"- Delete: ours {row['ours']['response']:.1f} s (of which "
                    f"{row['ours']['sleep_on_delete']:.0f} s crhelper sleep_on_delete); the BASELINE "
                    f"{row['baseline']['response']:.0f} s."
                )
        missed = [
            f"{row['operation']} at {row['delay']:.0f} s ({row['ours']['added']:.2f} s"
            + (
                f", of which {row['ours']['sleep_on_delete']:.0f} s is crhelper's sleep_on_delete, set in "
                f"index.py; the work itself {row['ours']['added'] - row['ours']['sleep_on_delete']:.2f} s)"
                if row["ours"]["sleep_on_delete"]
                else ")"
            )
            for row in latency["rows"]
            if row["ours"]["added"] >= 1.0
        ]
        if missed:
            lines.append(
                "- Target (ours adds under 1 s) missed for: " + ", ".join(missed) + ". See the latency "
                "section for where the time goes."
            )
    calls = results.get("api_calls")
    if calls:
        for name in ("create, 5 identities + 3 keywords", "no-op update"):
            ours, base = calls["ours"][name], calls["baseline"][name]
            ignored = " (it ignores every Update)" if "update" in name else ""
            lines.append(
                f"- API calls, {name}: ours {len(ours['calls'])} (the minimum: "
                f"{bench_api_calls.MINIMUMS[name][0]}); the BASELINE {len(base['calls'])} SMS + "
                f"{len(base['polling'])} EventBridge/Lambda{ignored}."
            )
    scale = results.get("scale")
    if scale:
        for which, label in (("ours", "ours"), ("baseline", "the BASELINE")):
            entry = scale[which]
            create, delete = entry["create"], entry["delete"]
            lines.append(
                f"- {scale['pools']} pools at 1 request/s, {label}: created {create['succeeded']}/"
                f"{scale['pools']} in {create['seconds']:.0f} s (bound {create['calls']['bound']} s), "
                f"deleted {delete['succeeded']}/{entry['deletes_sent']} in {delete['seconds']:.0f} s "
                f"(bound {delete['calls']['bound']} s); {entry['pools_left']} pool(s) left behind."
            )
    cold = results.get("cold_start")
    if cold:
        ratio = (
            f" = {bench_cold_start.import_ratio(cold, 'ours'):.2f}x a bare `import boto3` "
            f"(target {bench_cold_start.IMPORT_RATIO_TARGET}x)"
            if "boto3" in cold
            else ""
        )
        lines.append(
            f"- Cold start: import {common.median(cold['ours']['import']) * 1000:.0f} ms{ratio}, asset "
            f"{cold['ours']['asset']['bytes'] / 1024:.0f} KiB zipped (BASELINE "
            f"{common.median(cold['baseline']['import']) * 1000:.0f} ms, "
            f"{cold['baseline']['asset']['bytes'] / 1024:.0f} KiB)."
        )
    return lines


def _document(results: dict[str, Any], info: dict[str, str]) -> str:
    sections = [PARTS[name].markdown(results[name]) for name in PARTS if name in results]
    return "\n".join(
        [
            "# Benchmark results",
            "",
            "Written by `make bench` (bench/run.py; raw numbers in bench/results.json); do not edit by hand.",
            "Everything runs offline against the local SMS Voice emulator (localcloud/sms_voice), so",
            "absolute times are this machine's; the comparison that matters is ours against the BASELINE:",
            "a crhelper handler written the way blog posts do it (bench/baseline/naive_pool_handler.py:",
            "CreatePool on Create, DeletePool on Delete, crhelper polling at its 1-minute minimum, crhelper",
            "and boto3 defaults otherwise). How each figure is measured: docs/bench.md and below.",
            "",
            common.table(["", ""], [[key, value] for key, value in info.items()]),
            "",
            *_headline(results),
            "",
            "\n\n".join(sections),
            "",
        ]
    )


def main(argv: list[str]) -> int:
    if argv == ["--render"]:
        raw = json.loads(RAW_RESULTS.read_text())
        RESULTS.write_text(_document(raw["results"], raw["machine"]))
        print(f"wrote {RESULTS} from {RAW_RESULTS}")
        return 0
    chosen = argv or list(PARTS)
    unknown = [name for name in chosen if name not in PARTS]
    if unknown:
        print(f"unknown part(s) {unknown}; choose from {list(PARTS)}")
        return 2
    started = time.monotonic()
    results: dict[str, Any] = {}
    with common.emulator() as emu:
        for name in chosen:
            print(f"== {name}")
            part = PARTS[name]
            results[name] = part.measure(emu) if name in NEEDS_EMULATOR else part.measure()
    elapsed = time.monotonic() - started
    if argv:
        print("\n\n".join(PARTS[name].markdown(results[name]) for name in chosen))
        return 0
    info = {**common.machine(), "Run time": f"{elapsed:.0f} s"}
    RAW_RESULTS.write_text(json.dumps({"machine": info, "results": results}, indent=1, default=str) + "\n")
    RESULTS.write_text(_document(results, info))
    print(f"wrote {RESULTS} in {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
