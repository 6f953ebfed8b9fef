"""Build hook: the wheel carries the provider's Lambda code pre-bundled, so ``cdk synth`` needs no pip.

For each wheel build (not editable installs) it assembles ``lambda/pool_provider/`` plus the
packages pinned in its ``requirements.txt`` (crhelper) into ``cdk_sms_voice_pool/_provider_code/``.
Those pinned packages are declared as this hook's build dependencies, so the build frontend (pip,
``python -m build``) installs them into the isolated build environment, and the hook copies them
from there with the same code the construct uses in a source checkout
(``src/cdk_sms_voice_pool/provider_code.py``, standard library only, loaded by path).
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from hatchling.builders.config import BuilderConfig
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

ROOT = Path(__file__).resolve().parent
PROVIDER_CODE_MODULE = ROOT / "src" / "cdk_sms_voice_pool" / "provider_code.py"
PACKAGE = "cdk_sms_voice_pool"


def _provider_code() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "_cdk_sms_voice_pool_build_provider_code", PROVIDER_CODE_MODULE
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {PROVIDER_CODE_MODULE}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


class ProviderCodeHook(BuildHookInterface[BuilderConfig]):
    """Adds ``cdk_sms_voice_pool/_provider_code/`` (handler modules + crhelper) to the wheel."""

    PLUGIN_NAME = "custom"

    def dependencies(self) -> list[str]:
        code = _provider_code()
        return [f"{name}=={version}" for name, version in code.pinned_requirements(code.SOURCE_HANDLER_DIR)]

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            # An editable install uses the checkout's lambda/pool_provider directly.
            return
        code = _provider_code()
        self._staging = Path(tempfile.mkdtemp(prefix="provider-code-"))
        code.bundle_into(code.SOURCE_HANDLER_DIR, self._staging)
        build_data["force_include"][str(self._staging)] = f"{PACKAGE}/{code.BUNDLED_DIR_NAME}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        staging = getattr(self, "_staging", None)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
