"""The command-line emulator: listening line, --state persistence across processes, clean stops."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from botocore import xform_name
from botocore.exceptions import ClientError

from localcloud.sms_voice.control import ControlClient
from tests.support.harness import sms_client

REPO_ROOT = Path(__file__).resolve().parents[2]
PREFIX = "sms-voice emulator listening on "


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "localcloud.sms_voice", "--port", "0", *args]


def _environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO_ROOT)}


@contextmanager
def _running(*args: str, stop_signal: int = signal.SIGTERM) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    process = subprocess.Popen(
        _command(*args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_environment(),
        cwd=REPO_ROOT,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith(PREFIX), f"unexpected first line {line!r}"
        yield line.removeprefix(PREFIX), process
    finally:
        if process.poll() is None:
            process.send_signal(stop_signal)
        process.wait(timeout=20)


def test_state_file_carries_the_account_to_the_next_process(tmp_path: Path) -> None:
    state = tmp_path / "account.json"
    with _running("--state", str(state)) as (endpoint, first):
        phone = ControlClient(endpoint).seed_phone_number()
        pool = sms_client(endpoint).create_pool(
            OriginationIdentity=phone["PhoneNumberArn"],
            MessageType="TRANSACTIONAL",
            Tags=[{"Key": "k", "Value": "v"}],
        )
    assert first.returncode == 0

    with _running("--state", str(state), stop_signal=signal.SIGINT) as (endpoint, second):
        sms = sms_client(endpoint)
        [described] = sms.describe_pools(PoolIds=[pool["PoolId"]])["Pools"]
        number = sms.describe_phone_numbers(PhoneNumberIds=[phone["PhoneNumberId"]])["PhoneNumbers"][0]
        tags = sms.list_tags_for_resource(ResourceArn=pool["PoolArn"])["Tags"]
        sms.delete_pool(PoolId=pool["PoolId"])

    with _running("--state", str(state)) as (endpoint, _), pytest.raises(ClientError) as raised:
        sms_client(endpoint).describe_pools(PoolIds=[pool["PoolId"]])
    assert second.returncode == 0
    assert raised.value.response["ResourceType"] == "pool"

    assert described["Status"] == "ACTIVE"
    assert number["PoolId"] == pool["PoolId"]
    assert tags == [{"Key": "k", "Value": "v"}]
    assert json.loads(state.read_text())["version"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["account.json"], "no temporary files are left behind"


def test_a_missing_state_file_starts_a_fresh_account(tmp_path: Path) -> None:
    state = tmp_path / "new" / "account.json"
    with _running("--state", str(state)) as (endpoint, _):
        lists = sms_client(endpoint).describe_opt_out_lists()["OptOutLists"]

    assert [o["OptOutListName"] for o in lists] == ["Default"]
    assert state.exists()


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        '{"version": 99}',
        "[]",
        '{"version": 1, "account": {"pools": {"p": {"colour": 1}}}}',
        '{"version": 1, "account": {"pools": {}, "phone_numbers": {}, "sender_ids": {},'
        ' "opt_out_lists": {"Default": {"name": "Default", "created": "yesterday"}}, "client_tokens": {}}}',
    ],
)
def test_a_corrupt_state_file_is_a_one_line_error_and_exit_code_2(tmp_path: Path, content: str) -> None:
    state = tmp_path / "account.json"
    state.write_text(content)

    result = subprocess.run(  # noqa: PLW1510  # the exit code is what the test checks
        _command("--state", str(state)),
        capture_output=True,
        text=True,
        env=_environment(),
        cwd=REPO_ROOT,
        timeout=60,
    )

    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert str(state) in result.stderr
    assert state.read_text() == content, "a corrupt file is never overwritten"


def test_reads_leave_the_state_file_alone_and_every_change_is_saved(tmp_path: Path) -> None:
    # The emulator saves after each call but a read (localcloud.sms_voice.service.is_read_only):
    # call every read it serves and see the file untouched, then one write and see it saved.
    from localcloud.sms_voice import Emulator  # noqa: PLC0415  # after the env set-up of tests/conftest
    from localcloud.sms_voice.server import OPERATIONS  # noqa: PLC0415
    from localcloud.sms_voice.service import is_read_only  # noqa: PLC0415

    state = tmp_path / "state.json"
    with Emulator(state_file=state) as emulator:
        phone = emulator.control.seed_phone_number()
        pool = emulator.control.seed_pool([phone["PhoneNumberArn"]])
        sms = sms_client(emulator.endpoint_url)
        reads: dict[str, dict[str, Any]] = {
            "DescribePools": {},
            "ListPoolOriginationIdentities": {"PoolId": pool["PoolId"]},
            "DescribeKeywords": {"OriginationIdentity": pool["PoolId"]},
            "ListTagsForResource": {"ResourceArn": pool["PoolArn"]},
            "DescribePhoneNumbers": {},
            "DescribeSenderIds": {},
            "DescribeOptOutLists": {},
        }
        assert set(reads) == {operation for operation in OPERATIONS if is_read_only(operation)}
        saved = state.stat().st_mtime_ns, state.read_bytes()

        for operation, params in reads.items():
            getattr(sms, xform_name(operation))(**params)
        assert (state.stat().st_mtime_ns, state.read_bytes()) == saved

        sms.tag_resource(ResourceArn=pool["PoolArn"], Tags=[{"Key": "team", "Value": "sms"}])
        assert state.read_bytes() != saved[1]
