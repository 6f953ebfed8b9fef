"""The CDK CLI's environment: settings that keep `npx cdk` off the network and quiet, for any
run of the CLI (on the local cloud or not)."""

from __future__ import annotations

import functools
import subprocess
from collections.abc import Mapping


def cdk_cli_env(base: Mapping[str, str]) -> dict[str, str]:
    """Settings that keep the CDK CLI off the network (notices, version check, telemetry) and
    silence jsii's Node end-of-life banner."""
    env = {"CDK_DISABLE_VERSION_CHECK": "1", "CDK_DISABLE_CLI_TELEMETRY": "true"}
    name = "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"
    env[name] = _silenced_node_versions(base.get(name, ""))
    return env


@functools.cache
def _node_major_version() -> str | None:
    try:
        version = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return version.strip().lstrip("v").split(".")[0] or None


def _silenced_node_versions(current: str) -> str:
    """jsii prints a large banner on every synth unless JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION
    lists the running Node major version (a value such as "1" does not silence it)."""
    major = _node_major_version()
    listed = [item.strip() for item in current.split(",") if item.strip()]
    if major and major not in listed:
        listed.append(major)
    return ",".join(listed)
