"""The local cloud starts, answers, and stops everything it started: no process, no listener left."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from localcloud.cloud import LOCALCLOUD_DIR, PROJECT_ROOT, LocalCloud
from localcloud.processes import port_is_listening

pytestmark = pytest.mark.e2e


@pytest.fixture
def run_dir(request: pytest.FixtureRequest) -> Iterator[Path]:
    path = LOCALCLOUD_DIR / f"test-{os.getpid()}-{request.node.name}"
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_two_local_clouds_run_side_by_side_and_stop_without_leftovers(run_dir: Path) -> None:
    port_443_was_listening = port_is_listening(443)
    with LocalCloud(run_dir / "a") as first, LocalCloud(run_dir / "b") as second:
        ports = [record.port for cloud in (first, second) for record in cloud.records]
        pids = [record.pid for cloud in (first, second) for record in cloud.records]
        assert len(set(ports)) == 4
        assert all(port_is_listening(port) for port in ports)
        for cloud in (first, second):
            assert cloud.sms_voice_client().describe_pools()["Pools"] == []
            stacks = cloud.cloudformation_client().list_stacks()["StackSummaries"]
            assert stacks == []
        # ministack binds port 443 too when it may; the local cloud turns that off.
        assert port_is_listening(443) == port_443_was_listening

    assert [port for port in ports if port_is_listening(port)] == []
    assert [pid for pid in pids if _alive(pid)] == []


def test_the_local_cloud_stops_when_the_block_is_interrupted(run_dir: Path) -> None:
    cloud = LocalCloud(run_dir)
    with pytest.raises(KeyboardInterrupt), cloud:
        ports = [record.port for record in cloud.records]
        raise KeyboardInterrupt

    assert [port for port in ports if port_is_listening(port)] == []


def test_the_environment_points_the_aws_cli_tools_at_the_local_cloud(run_dir: Path) -> None:
    with LocalCloud(run_dir) as cloud:
        env = cloud.subprocess_env()
        endpoints = cloud.endpoints
        assert env["AWS_ENDPOINT_URL"] == endpoints.aws_endpoint_url
        assert env["AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2"] == endpoints.sms_voice_endpoint_url
        assert env["PATH"].split(os.pathsep)[0] == str(PROJECT_ROOT / ".venv" / "bin")
        # A plain boto3 program, given only this environment, reaches both services over verified TLS.
        program = (
            "import boto3; "
            "print(boto3.client('sts').get_caller_identity()['Account']); "
            "print(boto3.client('pinpoint-sms-voice-v2').describe_pools()['Pools'])"
        )
        result = subprocess.run(
            [sys.executable, "-c", program], env=env, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["000000000000", "[]"]


def test_local_up_keeps_it_running_until_local_down(run_dir: Path) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "localcloud.cloud", *args, "--home", str(run_dir)]
        return subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)

    up = cli("up")
    try:
        assert up.returncode == 0, up.stderr
        exports = dict(line.removeprefix("export ").split("=", 1) for line in cli("env").stdout.splitlines())
        ports = [
            int(exports[key].rsplit(":", 1)[1])
            for key in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2")
        ]
        assert all(port_is_listening(port) for port in ports), "the local cloud outlives `up`"
        again = cli("up")
        assert again.returncode == 0
        assert "already running" in again.stdout
    finally:
        down = cli("down")

    assert down.returncode == 0, down.stderr
    assert [port for port in ports if port_is_listening(port)] == []
    assert cli("env").returncode == 1
