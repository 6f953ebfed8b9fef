"""Run the synthesized Lambda asset the way the Lambda runtime does.

* :func:`run_in_sandbox` starts a fresh interpreter with no site-packages (``-I -S``) whose import
  path is the asset folder plus a folder holding only the SDK the Python Lambda runtime ships
  (boto3 and its dependencies). Anything else the handler imports must come from the bundle.
* its answer to CloudFormation is caught by the protocol driver's HTTPS ResponseURL server
  (tests/support/cfn_driver.py ``ResponseServer``); the sandbox trusts exactly that server's
  certificate through ``SSL_CERT_FILE``.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

# What the AWS Lambda Python runtime provides besides the standard library.
LAMBDA_RUNTIME_SDK = ("boto3", "botocore", "jmespath", "s3transfer", "dateutil", "urllib3", "six")


def make_runtime_sdk_dir(target: Path) -> Path:
    """A folder with links to boto3 and its dependencies only (as installed for the tests)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in LAMBDA_RUNTIME_SDK:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None, f"{name} is not installed"
        origin = Path(spec.origin)
        source = origin.parent if spec.submodule_search_locations else origin
        link = target / source.name
        if not link.exists():
            link.symlink_to(source, target_is_directory=source.is_dir())
    return target


def run_in_sandbox(
    code: str,
    *,
    asset_dir: Path,
    sdk_dir: Path,
    env: dict[str, str],
    stdin: str = "",
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter whose only imports are the stdlib, the asset and the SDK.

    ``-B`` keeps the asset folder as synthesized (no ``__pycache__`` written into it).
    """
    prelude = f"import sys; sys.path[:0] = [{str(asset_dir)!r}, {str(sdk_dir)!r}]\n"
    return subprocess.run(
        [sys.executable, "-I", "-S", "-B", "-c", prelude + code],
        cwd=asset_dir,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
