"""The local cloud's command line: `python -m localcloud.cloud up|down|env` (`make local-up`,
`make local-down`). `up` starts the local cloud and leaves it running, with its processes and
variables in `.localcloud/cloud.json`; `env` prints the variables to export; `down` stops it."""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import shutil
import sys
from collections.abc import Iterator, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from localcloud.cdk_env import cdk_cli_env
from localcloud.cloud import LOCALCLOUD_DIR, STATE_FILE_NAME, LocalCloud, LocalCloudError
from localcloud.processes import ProcessRecord, is_alive, port_is_listening, stop_process_group


def _read_state(home: Path) -> dict[str, Any] | None:
    try:
        state: dict[str, Any] = json.loads((home / STATE_FILE_NAME).read_text())
    except (OSError, ValueError):
        return None
    return state


def _state_records(state: Mapping[str, Any]) -> list[ProcessRecord]:
    return [ProcessRecord(**item) for item in state["processes"]]


def _exports(env: Mapping[str, str]) -> str:
    return "\n".join(f"export {key}={value}" for key, value in env.items())


@contextlib.contextmanager
def _lock(home: Path) -> Iterator[None]:
    """Serialise `up` and `down` of the interactive local cloud."""
    home.mkdir(parents=True, exist_ok=True)
    with (home / "cloud.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def cloud_up(home: Path = LOCALCLOUD_DIR) -> int:
    """Start the local cloud and leave it running; its processes and variables go to the state file.
    The emulator's account (seeded identities, pools) is kept in `home`/sms-voice-state.json."""
    with _lock(home):
        state = _read_state(home)
        if state is not None and all(is_alive(r) for r in _state_records(state)):
            print("The local cloud is already running (make local-down stops it). Use it with:")
            print(_exports(state["env"]))
            return 0
        if state is not None:  # a half-dead leftover: clear it before starting afresh
            for record in _state_records(state):
                stop_process_group(record)
            (home / STATE_FILE_NAME).unlink(missing_ok=True)
        run_dir = home / "local"
        shutil.rmtree(run_dir, ignore_errors=True)
        cloud = LocalCloud(run_dir, sms_state_file=home / "sms-voice-state.json")
        endpoints = cloud.start()
        try:
            client_env = {**endpoints.client_env(), **cdk_cli_env(os.environ)}
            (home / STATE_FILE_NAME).write_text(
                json.dumps({"processes": [asdict(r) for r in cloud.records], "env": client_env}, indent=2)
            )
        except BaseException:
            cloud.stop()
            raise
    print(f"Local cloud running: ministack {endpoints.aws_endpoint_url},")
    print(f"SMS Voice emulator {endpoints.sms_voice_endpoint_url}.")
    print("Point npx cdk, the AWS CLI and boto3 at it with these variables")
    print('(or run: eval "$(.venv/bin/python -m localcloud.cloud env)"):')
    print(_exports(client_env))
    print("Stop it with: make local-down")
    return 0


def cloud_down(home: Path = LOCALCLOUD_DIR) -> int:
    with _lock(home):
        state = _read_state(home)
        if state is None:
            print("The local cloud is not running.")
            return 0
        records = _state_records(state)
        for record in reversed(records):
            stop_process_group(record)
        still_listening = [r.port for r in records if port_is_listening(r.port)]
        (home / STATE_FILE_NAME).unlink(missing_ok=True)
    if still_listening:
        print(f"Stopped, but something still listens on port(s) {still_listening}", file=sys.stderr)
        return 1
    print("Local cloud stopped.")
    return 0


def cloud_env(home: Path = LOCALCLOUD_DIR) -> int:
    state = _read_state(home)
    if state is None or not all(is_alive(r) for r in _state_records(state)):
        print("The local cloud is not running: start it with `make local-up`.", file=sys.stderr)
        return 1
    print(_exports(state["env"]))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m localcloud.cloud", description="Start, stop or show the local cloud."
    )
    parser.add_argument("command", choices=("up", "down", "env"))
    parser.add_argument(
        "--home", type=Path, default=LOCALCLOUD_DIR, help="folder for state and logs (default: .localcloud)"
    )
    args = parser.parse_args(argv)
    commands = {"up": cloud_up, "down": cloud_down, "env": cloud_env}
    try:
        return commands[args.command](args.home)
    except LocalCloudError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
