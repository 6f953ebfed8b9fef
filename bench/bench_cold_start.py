"""Cold start: importing the handler module in a fresh interpreter, and the zipped Lambda asset's size.

The import is timed inside a new Python process (median of RUNS), the way Lambda's init phase runs
it, and reported as a ratio to a bare ``import boto3`` timed the same way in the same run (boto3 is
the floor: crhelper imports it), so the number means the same on a fast or a loaded machine (the
three imports are taken in turn, run after run); the process's peak memory (VmHWM) after the
import is reported too. The asset is assembled by the construct's own code
(src/cdk_sms_voice_pool/provider_code.py ``bundle_into``: the handler folder without hidden files,
bytecode and tests, plus the packages pinned in its requirements.txt, i.e. crhelper, copied from
this interpreter; boto3 is in the Lambda runtime) and zipped with deflate, as CDK zips an asset. The
BASELINE's asset is its one file plus the same packages. Run alone:
``.venv/bin/python bench/bench_cold_start.py``.
"""

from __future__ import annotations

import os
import runpy
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bench_common as common

PROVIDER_CODE_FILE = common.ROOT / "src" / "cdk_sms_voice_pool" / "provider_code.py"

RUNS = 9
# The import of our handler may take at most this many times a bare `import boto3` (issue 11).
IMPORT_RATIO_TARGET = 1.25
_IMPORT_TIMER = """
import resource, sys, time
sys.path.insert(0, {folder!r})
started = time.perf_counter()
import {module}
seconds = time.perf_counter() - started
try:  # this process's own peak (ru_maxrss would include the parent's, from before exec)
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(seconds, peak)
"""


def _import_once(folder: Path, module: str) -> tuple[float, int]:
    """Seconds to import ``module`` in a fresh interpreter, and its peak RSS (KiB) after it."""
    env = {**os.environ, "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1"}
    env.pop("PYTHONPATH", None)
    code = _IMPORT_TIMER.format(folder=str(folder), module=module)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=folder
    )
    seconds, peak = done.stdout.strip().splitlines()[-1].split()
    return float(seconds), int(peak)


def _import_entries(targets: dict[str, tuple[Path, str]]) -> dict[str, dict[str, Any]]:
    """RUNS imports of each target, taken in turn (boto3, ours, baseline, boto3, ...), so a machine
    that gets busier or quieter during the run affects each of them alike."""
    entries: dict[str, dict[str, Any]] = {name: {"import": [], "max_rss_kib": []} for name in targets}
    for _ in range(RUNS):
        for name, (folder, module) in targets.items():
            seconds, peak = _import_once(folder, module)
            entries[name]["import"].append(seconds)
            entries[name]["max_rss_kib"].append(peak)
    return entries


def _zipped_size(assemble: Callable[[Path], None]) -> dict[str, Any]:
    """The deflate-zipped size and file count of the folder ``assemble`` fills."""
    with tempfile.TemporaryDirectory(prefix="pool-asset-") as scratch:
        root = Path(scratch) / "asset"
        root.mkdir()
        assemble(root)
        archive = Path(scratch) / "asset.zip"
        files = 0
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    bundle.write(path, path.relative_to(root).as_posix())
                    files += 1
        return {"bytes": archive.stat().st_size, "files": files}


def measure() -> dict[str, Any]:
    # Run by path (standard library only), as the wheel's build hook loads it: importing the package
    # would import aws_cdk, seconds this bench need not wait.
    code = runpy.run_path(str(PROVIDER_CODE_FILE))

    def ours(root: Path) -> None:
        code["bundle_into"](common.HANDLER_DIR, root)

    def baseline(root: Path) -> None:
        shutil.copy2(common.BASELINE_FILE, root / common.BASELINE_FILE.name)
        code["copy_installed_requirements"](common.HANDLER_DIR, root)

    imports = _import_entries(
        {
            "boto3": (common.HANDLER_DIR, "boto3"),
            "ours": (common.HANDLER_DIR, "index"),
            "baseline": (common.BASELINE_FILE.parent, common.BASELINE_FILE.stem),
        }
    )
    result = {
        "runs": RUNS,
        "boto3": imports["boto3"],
        "ours": {**imports["ours"], "asset": _zipped_size(ours)},
        "baseline": {**imports["baseline"], "asset": _zipped_size(baseline)},
    }
    boto3_median = common.median(result["boto3"]["import"])
    print(f"{'boto3':8}: import {boto3_median * 1000:6.0f} ms (median of {RUNS}), bare `import boto3`")
    for which in ("ours", "baseline"):
        entry = result[which]
        print(
            f"{which:8}: import {common.median(entry['import']) * 1000:6.0f} ms (median of {RUNS}), "
            f"{import_ratio(result, which):.2f}x boto3, max RSS {_median_mib(entry):.1f} MiB, "
            f"asset {entry['asset']['bytes'] / 1024:6.1f} KiB zipped"
        )
    return result


def import_ratio(result: dict[str, Any], which: str) -> float:
    """The median import time of ``which`` over the median of a bare ``import boto3`` (same run)."""
    return common.median(result[which]["import"]) / common.median(result["boto3"]["import"])


def _median_mib(entry: dict[str, Any]) -> float:
    return common.median([float(kib) for kib in entry.get("max_rss_kib", [])]) / 1024


def markdown(result: dict[str, Any]) -> str:
    rows = []
    has_boto3 = "boto3" in result  # results.json from before the ratio was measured has no boto3 row
    for which, label in (("boto3", "bare `import boto3`"), ("ours", "ours"), ("baseline", "BASELINE")):
        if which not in result:
            continue
        entry = result[which]
        times = entry["import"]
        asset = entry.get("asset")
        rows.append(
            [
                label,
                f"**{common.median(times) * 1000:.0f} ms**",
                f"**{import_ratio(result, which):.2f}x**" if has_boto3 else "-",
                f"{min(times) * 1000:.0f} - {max(times) * 1000:.0f} ms",
                f"{_median_mib(entry):.1f} MiB" if entry.get("max_rss_kib") else "-",
                f"**{asset['bytes'] / 1024:.1f} KiB** ({asset['files']} files)" if asset else "-",
            ]
        )
    return "\n".join(
        [
            "## Cold start",
            "",
            "Time to import the handler module in a fresh interpreter (median of "
            f"{result['runs']} processes), as a ratio to a",
            "bare `import boto3` timed the same way in the same run (target for ours: at most "
            f"{IMPORT_RATIO_TARGET}x; crhelper's",
            "three boto3 clients are built only if its polling is used, which ours never is), the",
            "process's peak memory after the import, and the size of the zipped Lambda asset built",
            "by the construct's own bundle_into (handler files + crhelper, provider_code.py).",
            "",
            common.table(
                ["handler", "import (median)", "vs import boto3", "range", "max RSS", "zipped asset"], rows
            ),
        ]
    )


if __name__ == "__main__":
    print(markdown(measure()))
