"""Bundling of the pool provider's Lambda asset on the synth machine, without Docker.

The asset is the handler folder plus its pinned third-party packages (only crhelper: boto3 comes
with the Lambda runtime), installed by the pip of the interpreter that runs ``cdk synth``. Only
pure-Python packages may be bundled this way: the function runs on arm64 with a newer Python than
the synth machine, so a compiled extension built here would fail to import there, and bundling
refuses it.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import aws_cdk as cdk
import jsii
from aws_cdk import aws_lambda as lambda_

REQUIREMENTS_FILE: Final = "requirements.txt"

# Never shipped, and never part of the asset hash: hidden files and folders (tool caches such as
# .mypy_cache, which `make typecheck` writes there), bytecode, and anything only tests use.
EXCLUDED_PATTERNS: Final = (".*", "__pycache__", "*.pyc", "tests")

# Bump when the bundling steps change, so that the asset hash (and so the deployed code) changes too.
_BUNDLING_RECIPE_VERSION: Final = "pip-target-no-deps-1"

_COMPILED_SUFFIXES: Final = (".so", ".pyd", ".dylib")


def _is_excluded(relative: Path) -> bool:
    return any(
        part == pattern or Path(part).match(pattern)
        for part in relative.parts
        for pattern in EXCLUDED_PATTERNS
    )


def _source_files(source_dir: Path) -> Iterator[Path]:
    for path in sorted(source_dir.rglob("*")):
        if path.is_file() and not _is_excluded(path.relative_to(source_dir)):
            yield path


def source_hash(source_dir: Path) -> str:
    """A content hash of the handler folder and the bundling recipe.

    The hash names the asset, so an unchanged folder gives an unchanged template and no Lambda
    code update. It is computed here (not by CDK from the bundling options) because those options
    hold this object, whose serialised form is not stable from one synth to the next.
    """
    digest = hashlib.sha256(_BUNDLING_RECIPE_VERSION.encode())
    for path in _source_files(source_dir):
        digest.update(path.relative_to(source_dir).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def bundle_into(source_dir: Path, output_dir: Path) -> None:
    """Copy the handler folder to ``output_dir`` and pip-install its requirements next to it."""
    for path in _source_files(source_dir):
        target = output_dir / path.relative_to(source_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    requirements = source_dir / REQUIREMENTS_FILE
    if requirements.is_file():
        command = [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--requirement",
            str(requirements),
            "--target",
            str(output_dir),
            "--no-deps",
            "--no-compile",
            "--quiet",
            "--disable-pip-version-check",
            "--no-input",
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(
                f"bundling the pool provider failed: `{' '.join(command)}` exited with {result.returncode}:\n"
                f"{result.stderr.strip()}\n"
                f"Fix: make sure `{sys.executable} -m pip` can reach your package index."
            )
    # pip's console scripts and caches are of no use inside a Lambda.
    shutil.rmtree(output_dir / "bin", ignore_errors=True)
    for cache in list(output_dir.rglob("__pycache__")):
        shutil.rmtree(cache, ignore_errors=True)
    compiled = sorted(
        str(p.relative_to(output_dir)) for p in output_dir.rglob("*") if p.suffix in _COMPILED_SUFFIXES
    )
    if compiled:
        raise RuntimeError(
            f"bundling the pool provider found compiled extensions {compiled}; they would not import on "
            "the arm64 Lambda runtime. Fix: list only pure-Python packages in "
            f"{source_dir / REQUIREMENTS_FILE} (boto3 is already in the runtime)."
        )


@jsii.implements(cdk.ILocalBundling)
class LocalPipBundling:
    """``ILocalBundling`` that runs :func:`bundle_into`; CDK then never looks for Docker."""

    def __init__(self, source_dir: Path) -> None:
        self._source_dir = source_dir

    # jsii calls back with the options struct as a second positional argument, although the typed
    # interface declares keyword arguments; accept either.
    def try_bundle(self, output_dir: str, *_options: Any, **_keywords: Any) -> bool:
        bundle_into(self._source_dir, Path(output_dir))
        return True


def lambda_code(source_dir: Path, runtime: lambda_.Runtime) -> lambda_.Code:
    """The Lambda code asset for ``source_dir``, bundled locally (Docker is never used)."""
    return lambda_.Code.from_asset(
        str(source_dir),
        asset_hash=source_hash(source_dir),
        exclude=list(EXCLUDED_PATTERNS),
        bundling=cdk.BundlingOptions(
            # Required by the API but never pulled: local bundling always succeeds or raises.
            image=runtime.bundling_image,
            local=LocalPipBundling(source_dir),
        ),
    )
