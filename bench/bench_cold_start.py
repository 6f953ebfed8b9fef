"""Cold start: importing the handler module in a fresh interpreter, and the zipped Lambda asset's size.

The import is timed inside a new Python process (median of RUNS), the way Lambda's init phase runs
it; crhelper builds its boto3 clients at import, so they are included. The asset has the content
the construct ships (src/cdk_sms_voice_pool/provider_code.py): the handler folder without hidden
files and bytecode, plus the packages of its requirements.txt (crhelper, installed here with
``pip install --no-deps --target``; boto3 is in the Lambda runtime), zipped with deflate. Run alone:
``.venv/bin/python bench/bench_cold_start.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import bench_common as common

RUNS = 7
_IMPORT_TIMER = """
import sys, time
sys.path.insert(0, {folder!r})
started = time.perf_counter()
import {module}
print(time.perf_counter() - started)
"""


def _import_seconds(folder: Path, module: str) -> list[float]:
    env = {**os.environ, "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1"}
    env.pop("PYTHONPATH", None)
    times = []
    for _ in range(RUNS):
        code = _IMPORT_TIMER.format(folder=str(folder), module=module)
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=folder
        )
        times.append(float(done.stdout.strip().splitlines()[-1]))
    return times


def _zipped_size(sources: list[Path], requirements: list[str]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="pool-asset-") as scratch:
        root = Path(scratch) / "asset"
        root.mkdir()
        for source in sources:
            shutil.copy2(source, root / source.name)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-deps",
                "--target",
                str(root),
                *requirements,
            ],
            check=True,
            capture_output=True,
        )
        archive = Path(scratch) / "asset.zip"
        files = 0
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
            for path in sorted(root.rglob("*")):
                relative = path.relative_to(root)
                if path.is_dir() or any(p.startswith(".") or p == "__pycache__" for p in relative.parts):
                    continue
                bundle.write(path, relative.as_posix())
                files += 1
        return {"bytes": archive.stat().st_size, "files": files}


def _requirements() -> list[str]:
    lines = (common.HANDLER_DIR / "requirements.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def measure() -> dict[str, Any]:
    ours_sources = sorted(
        p for p in common.HANDLER_DIR.iterdir() if p.is_file() and not p.name.startswith(".")
    )
    result = {
        "runs": RUNS,
        "ours": {
            "import": _import_seconds(common.HANDLER_DIR, "index"),
            "asset": _zipped_size(ours_sources, _requirements()),
        },
        "baseline": {
            "import": _import_seconds(common.BASELINE_FILE.parent, common.BASELINE_FILE.stem),
            "asset": _zipped_size([common.BASELINE_FILE], _requirements()),
        },
    }
    for which in ("ours", "baseline"):
        entry = result[which]
        print(
            f"{which:8}: import {common.median(entry['import']) * 1000:6.0f} ms (median of {RUNS}), "
            f"asset {entry['asset']['bytes'] / 1024:6.1f} KiB zipped"
        )
    return result


def markdown(result: dict[str, Any]) -> str:
    rows = []
    for which, label in (("ours", "ours"), ("baseline", "BASELINE")):
        entry = result[which]
        times = entry["import"]
        rows.append(
            [
                label,
                f"**{common.median(times) * 1000:.0f} ms**",
                f"{min(times) * 1000:.0f} - {max(times) * 1000:.0f} ms",
                f"**{entry['asset']['bytes'] / 1024:.1f} KiB** ({entry['asset']['files']} files)",
            ]
        )
    return "\n".join(
        [
            "## Cold start",
            "",
            "Time to import the handler module in a fresh interpreter (median of "
            f"{result['runs']} processes; includes",
            "boto3 and the three boto3 clients crhelper builds at import), and the size of the",
            "zipped Lambda asset with the content the construct ships",
            "(handler files + crhelper, src/cdk_sms_voice_pool/provider_code.py).",
            "",
            common.table(["handler", "import (median)", "range", "zipped asset"], rows),
        ]
    )


if __name__ == "__main__":
    print(markdown(measure()))
