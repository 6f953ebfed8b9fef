"""The wheel `make dist` builds: the package, py.typed and the complete pre-bundled Lambda code; and the
checks that keep the bundled third-party code pinned. (tests/e2e/test_wheel_app.py installs the wheel
into a fresh venv and deploys an app with it.)"""

from __future__ import annotations

import email
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from cdk_sms_voice_pool.provider_code import (
    BUNDLED_DIR_NAME,
    SOURCE_HANDLER_DIR,
    copy_installed_requirements,
    pinned_requirements,
    source_files,
)
from tests.cdk.cdk_synth import REPO_ROOT

PACKAGE = "cdk_sms_voice_pool"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    outdir = tmp_path_factory.mktemp("wheel")
    # --no-isolation: the .venv's hatchling and crhelper, so this test is fast and offline; the e2e
    # test builds in an isolated environment, as `make dist` does.
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(outdir), str(REPO_ROOT)],
        check=True,
        capture_output=True,
    )
    [path] = outdir.glob("*.whl")
    return zipfile.ZipFile(path)


def test_wheel_carries_every_handler_file_and_crhelper_prebundled(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    bundled = f"{PACKAGE}/{BUNDLED_DIR_NAME}/"
    handler_files = {
        bundled + p.relative_to(SOURCE_HANDLER_DIR).as_posix() for p in source_files(SOURCE_HANDLER_DIR)
    }
    assert handler_files <= names
    assert f"{bundled}crhelper/resource_helper.py" in names
    assert f"{PACKAGE}/py.typed" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc") or "/tests/" in n]


def test_wheel_metadata_has_the_one_version_and_the_cdk_dependencies(wheel: zipfile.ZipFile) -> None:
    [metadata_name] = [n for n in wheel.namelist() if n.startswith(f"{PACKAGE}-") and n.endswith("/METADATA")]
    metadata = email.message_from_bytes(wheel.read(metadata_name))
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert metadata["Name"] == "cdk-sms-voice-pool"
    assert metadata["Version"] == project["version"]
    requires = [Requirement(text) for text in metadata.get_all("Requires-Dist") or []]
    declared = [Requirement(text) for text in project["dependencies"]]
    assert {r.name: r.specifier for r in requires} == {r.name: r.specifier for r in declared}
    assert {r.name for r in requires} == {"aws-cdk-lib", "constructs"}


def test_an_unpinned_handler_requirement_is_refused(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("# comment\ncrhelper>=2\n")
    with pytest.raises(ValueError, match=r"'crhelper>=2' is not pinned\. Fix: write it as name==version"):
        pinned_requirements(tmp_path)


def test_bundling_in_a_checkout_refuses_a_version_other_than_the_pinned_one(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("crhelper==0.0.1\n")
    with pytest.raises(
        RuntimeError, match=r"needs crhelper==0\.0\.1 .* found 2\.0\.12\. Fix: run `make setup`"
    ):
        copy_installed_requirements(tmp_path, tmp_path / "out")
