"""The pool provider's Lambda code asset, without pip, network or Docker at synth.

From an installed wheel the asset is the pre-bundled folder as it is. In a source checkout it is
assembled by a local bundling step that only copies files (see :mod:`cdk_sms_voice_pool.provider_code`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aws_cdk as cdk
import jsii
from aws_cdk import aws_lambda as lambda_

from cdk_sms_voice_pool.provider_code import (
    EXCLUDED_PATTERNS,
    bundle_into,
    handler_dir,
    is_prebundled,
    source_hash,
)


@jsii.implements(cdk.ILocalBundling)
class LocalCopyBundling:
    """``ILocalBundling`` that runs ``provider_code.bundle_into``; CDK then never looks for Docker."""

    def __init__(self, source_dir: Path) -> None:
        self._source_dir = source_dir

    # jsii calls back with the options struct as a second positional argument, although the typed
    # interface declares keyword arguments; accept either.
    def try_bundle(self, output_dir: str, *_options: Any, **_keywords: Any) -> bool:
        bundle_into(self._source_dir, Path(output_dir))
        return True


def lambda_code(runtime: lambda_.Runtime) -> lambda_.Code:
    """The provider's Lambda code asset: the wheel's pre-bundled folder, else the checkout's, bundled."""
    source_dir = handler_dir()
    # The hash is computed here rather than by CDK: in a checkout the bundling options hold an object
    # whose serialised form is not stable from one synth to the next.
    asset_hash = source_hash(source_dir)
    if is_prebundled(source_dir):
        return lambda_.Code.from_asset(
            str(source_dir), asset_hash=asset_hash, exclude=list(EXCLUDED_PATTERNS)
        )
    return lambda_.Code.from_asset(
        str(source_dir),
        asset_hash=asset_hash,
        exclude=list(EXCLUDED_PATTERNS),
        bundling=cdk.BundlingOptions(
            # Required by the API but never pulled: local bundling always succeeds or raises.
            image=runtime.bundling_image,
            local=LocalCopyBundling(source_dir),
        ),
    )
