"""Where the provider's Lambda code comes from, and how its folder is assembled (standard library only).

The code is the handler folder ``lambda/pool_provider/`` of the source repository plus its pinned
third-party packages (only crhelper: boto3 comes with the Lambda runtime). Two layouts exist:

* **An installed wheel**: the wheel's build hook (``hatch_build.py``) assembled the complete folder
  into the package as ``_provider_code/``. ``cdk synth`` uses it as it is: no pip, no network.
* **A source checkout** (this repository, the package installed in editable mode): there is no
  ``_provider_code/``; the construct copies the handler folder and the packages pinned in its
  ``requirements.txt`` from the synth interpreter's own site-packages (``make setup`` installs them
  there), again with no pip and no network.

Only pure-Python packages may be bundled: the function runs on arm64 with a newer Python than the
synth or build machine, so a compiled extension would fail to import there; assembling refuses one.
This module imports nothing outside the standard library, so the build hook can load it by path.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Final

PACKAGE_DIR: Final = Path(__file__).resolve().parent
# The folder name inside the installed package (the wheel's build hook writes it).
BUNDLED_DIR_NAME: Final = "_provider_code"
BUNDLED_DIR: Final = PACKAGE_DIR / BUNDLED_DIR_NAME
# The handler folder of a source checkout: <repository>/src/cdk_sms_voice_pool/ -> <repository>/lambda/.
SOURCE_HANDLER_DIR: Final = PACKAGE_DIR.parents[1] / "lambda" / "pool_provider"
REQUIREMENTS_FILE: Final = "requirements.txt"
HANDLER_FILE: Final = "index.py"

# Never shipped, and never part of the asset hash: hidden files and folders (tool caches such as
# .mypy_cache, which `make typecheck` writes there), bytecode, and anything only tests use.
EXCLUDED_PATTERNS: Final = (".*", "__pycache__", "*.pyc", "tests")

# Bump when the assembling steps change, so that the asset hash (and so the deployed code) changes too.
_RECIPE_VERSION: Final = "handler-plus-pinned-packages-2"

_COMPILED_SUFFIXES: Final = (".so", ".pyd", ".dylib")


def handler_dir() -> Path:
    """The folder holding ``contract.py`` and the handler modules: the wheel's copy, else the checkout's.

    Raises ``FileNotFoundError`` naming both places when neither exists (a broken installation).
    """
    for candidate in (BUNDLED_DIR, SOURCE_HANDLER_DIR):
        if (candidate / HANDLER_FILE).is_file():
            return candidate
    raise FileNotFoundError(
        f"the pool provider's Lambda code is neither in {BUNDLED_DIR} (an installed wheel) nor in "
        f"{SOURCE_HANDLER_DIR} (a source checkout). Fix: reinstall the cdk-sms-voice-pool wheel "
        "(`make dist` builds it), or install a checkout with `pip install -e .`."
    )


def is_prebundled(directory: Path) -> bool:
    """Whether ``directory`` is a complete pre-bundled folder (the wheel's), not a source folder."""
    return directory == BUNDLED_DIR


def _is_excluded(relative: Path) -> bool:
    return any(
        part == pattern or Path(part).match(pattern)
        for part in relative.parts
        for pattern in EXCLUDED_PATTERNS
    )


def source_files(directory: Path) -> Iterator[Path]:
    """The files of ``directory`` that are shipped, sorted, without caches and hidden files."""
    for path in sorted(directory.rglob("*")):
        if path.is_file() and not _is_excluded(path.relative_to(directory)):
            yield path


def source_hash(directory: Path) -> str:
    """A content hash of ``directory`` (shipped files only) and the assembling recipe.

    The hash names the asset, so an unchanged folder gives an unchanged template and no Lambda
    code update. In a checkout the handler's ``requirements.txt`` pins every bundled package, so
    the hash of the handler folder also covers them.
    """
    digest = hashlib.sha256(_RECIPE_VERSION.encode())
    for path in source_files(directory):
        digest.update(path.relative_to(directory).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def pinned_requirements(directory: Path) -> list[tuple[str, str]]:
    """``(name, version)`` of each ``name==version`` line of the handler's requirements.txt.

    Raises ``ValueError`` for any other kind of requirement: the bundle must be reproducible.
    """
    requirements = directory / REQUIREMENTS_FILE
    if not requirements.is_file():
        return []
    pins: list[tuple[str, str]] = []
    for line in requirements.read_text().splitlines():
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        name, sep, version = text.partition("==")
        if not sep or not name.strip() or not version.strip():
            raise ValueError(
                f"{requirements}: requirement {text!r} is not pinned. Fix: write it as name==version."
            )
        pins.append((name.strip(), version.strip()))
    return pins


def copy_handler(directory: Path, output_dir: Path) -> None:
    """Copy the shipped files of the handler folder ``directory`` into ``output_dir``."""
    for path in source_files(directory):
        target = output_dir / path.relative_to(directory)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)


def copy_installed_requirements(directory: Path, output_dir: Path) -> None:
    """Copy each package pinned by ``directory``'s requirements.txt from this interpreter's
    site-packages into ``output_dir`` (its modules and its ``.dist-info``; never scripts or caches).

    Raises ``RuntimeError`` naming the package, the versions and the fix when a package is missing
    or is not the pinned version.
    """
    for name, version in pinned_requirements(directory):
        try:
            distribution = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            distribution = None
        installed = distribution.version if distribution is not None else None
        if distribution is None or installed != version:
            raise RuntimeError(
                f"bundling the pool provider needs {name}=={version} in this Python environment, "
                f"found {installed or 'none'}. Fix: run `make setup` (or `pip install {name}=={version}`)."
            )
        for file in distribution.files or []:
            relative = Path(str(file))
            if relative.parts[0] == ".." or _is_excluded(relative):
                continue
            source = Path(str(distribution.locate_file(file)))
            target = output_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def refuse_compiled(output_dir: Path, requirements: Path) -> None:
    """Raise ``RuntimeError`` if ``output_dir`` holds a compiled extension (it would not import)."""
    compiled = sorted(
        str(p.relative_to(output_dir)) for p in output_dir.rglob("*") if p.suffix in _COMPILED_SUFFIXES
    )
    if compiled:
        raise RuntimeError(
            f"bundling the pool provider found compiled extensions {compiled}; they would not import on "
            f"the arm64 Lambda runtime. Fix: list only pure-Python packages in {requirements} "
            "(boto3 is already in the runtime)."
        )


def bundle_into(source_dir: Path, output_dir: Path) -> None:
    """Copy the handler folder ``source_dir`` and its pinned packages (from this interpreter) to
    ``output_dir``; raises ``RuntimeError`` if a package is missing, not the pinned version, or compiled.

    The one assembling recipe: the construct's local bundling and the wheel's build hook both run it.
    """
    copy_handler(source_dir, output_dir)
    copy_installed_requirements(source_dir, output_dir)
    refuse_compiled(output_dir, source_dir / REQUIREMENTS_FILE)
