"""Runs the project's CDK CLI (`npx --no-install cdk`) against a local cloud, as a user would type it.

Each command runs in the project folder with the local cloud's environment, writes its cloud
assembly to a folder of its own (so two runs never share `cdk.out`), keeps its full output in a log
file and passes the useful lines to `echo`. It runs in its own process group: if the caller is
interrupted (Ctrl-C, SIGTERM, an exception), the whole command tree is stopped before the
interruption goes on.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from localcloud.cloud import ACCOUNT_ID, PROJECT_ROOT, REGION

CDK_COMMAND = ("npx", "--no-install", "cdk")
STACK_NAME = "SmsVoicePoolProvider"
BOOTSTRAP_ENVIRONMENT = f"aws://{ACCOUNT_ID}/{REGION}"

# Lines of CDK CLI output that carry no information for a local run (Node 20 end-of-life notices).
_NOISE_MARKERS = ("NodeVersionSupportWarning", "node --trace-warnings", "!!")
_WARNING_BLOCK_END = "(Use `node --trace-warnings"


class CdkCommandError(RuntimeError):
    """A CDK CLI command exited non-zero; the message ends with the tail of its output."""

    def __init__(self, command: Sequence[str], exit_code: int, log: Path, tail: str) -> None:
        super().__init__(f"`{' '.join(command)}` exited with {exit_code} (full output: {log}):\n{tail}")
        self.exit_code = exit_code
        self.log = log
        self.output_tail = tail


@dataclass(frozen=True)
class CdkResult:
    command: list[str]
    exit_code: int
    seconds: float
    log: Path
    output: str


def _useful_lines(lines: Sequence[str]) -> list[str]:
    """The output without the Node end-of-life warning blocks and banners."""
    kept: list[str] = []
    in_warning = False
    for line in lines:
        if "NodeVersionSupportWarning" in line:
            in_warning = True
        if in_warning:
            if line.startswith(_WARNING_BLOCK_END):
                in_warning = False
            continue
        if any(marker in line for marker in _NOISE_MARKERS):
            continue
        kept.append(line)
    return kept


class CdkCli:
    """`npx cdk` for one local cloud: `env` is the environment the local cloud gives subprocesses
    and `work_dir` receives the cloud assembly, the logs and the outputs files. Another app (a
    folder with its own cdk.json) is driven with `project_root`, its `stack_name` and, when it has
    no node_modules of its own, a `cdk_command` such as this project's node_modules/.bin/cdk."""

    def __init__(
        self,
        env: Mapping[str, str],
        work_dir: Path,
        *,
        echo: Callable[[str], None] | None = None,
        project_root: Path = PROJECT_ROOT,
        stack_name: str = STACK_NAME,
        cdk_command: Sequence[str] = CDK_COMMAND,
    ) -> None:
        self.env = dict(env)
        self.work_dir = work_dir
        self.echo = echo
        self.project_root = project_root
        self.stack_name = stack_name
        self.cdk_command = tuple(cdk_command)
        self._count = 0
        work_dir.mkdir(parents=True, exist_ok=True)

    @property
    def cloud_assembly(self) -> Path:
        return self.work_dir / "cdk.out"

    def context_args(self, context: Mapping[str, str]) -> list[str]:
        args: list[str] = []
        for key, value in context.items():
            args += ["-c", f"{key}={value}"]
        return args

    def bootstrap(self) -> CdkResult:
        return self.run(["bootstrap", BOOTSTRAP_ENVIRONMENT])

    def synth(self, context: Mapping[str, str] | None = None) -> CdkResult:
        return self.run(["synth", "--quiet", *self.context_args(context or {})])

    def deploy(self, context: Mapping[str, str] | None = None, *, check: bool = True) -> CdkResult:
        outputs = self.work_dir / "outputs.json"
        outputs.unlink(missing_ok=True)
        args = ["deploy", self.stack_name, "--require-approval", "never", "--outputs-file", str(outputs)]
        return self.run([*args, *self.context_args(context or {})], check=check)

    def destroy(self, context: Mapping[str, str] | None = None, *, check: bool = True) -> CdkResult:
        return self.run(
            ["destroy", self.stack_name, "--force", *self.context_args(context or {})], check=check
        )

    def stack_outputs(self) -> dict[str, str]:
        """The outputs written by the last successful `deploy`."""
        outputs: dict[str, dict[str, str]] = json.loads((self.work_dir / "outputs.json").read_text())
        return dict(outputs.get(self.stack_name, {}))

    def run(self, args: Sequence[str], *, check: bool = True) -> CdkResult:
        """Run `npx cdk <args>`; raise CdkCommandError on a non-zero exit when `check`."""
        self._count += 1
        command = [*self.cdk_command, *args]
        full = [*command, "--no-notices", "--output", str(self.cloud_assembly)]
        log = self.work_dir / f"cdk-{self._count:02d}-{args[0]}.log"
        started = time.monotonic()
        with log.open("w") as log_file:
            process = subprocess.Popen(
                full,
                cwd=self.project_root,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
                start_new_session=True,  # stopped as a whole below if we are interrupted
            )
            try:
                lines = self._relay(process, log_file)
                exit_code = process.wait()
            except BaseException:
                _stop_group(process)
                raise
        seconds = time.monotonic() - started
        output = "".join(lines)
        if check and exit_code != 0:
            tail = "\n".join(_useful_lines(output.splitlines())[-25:])
            raise CdkCommandError(command, exit_code, log, tail)
        return CdkResult(command, exit_code, seconds, log, output)

    def _relay(self, process: subprocess.Popen[str], log_file: Any) -> list[str]:
        assert process.stdout is not None
        lines: list[str] = []
        in_warning = False
        for line in process.stdout:
            lines.append(line)
            log_file.write(line)
            if self.echo is None:
                continue
            # The same filter as _useful_lines, one line at a time.
            if "NodeVersionSupportWarning" in line:
                in_warning = True
            if in_warning:
                in_warning = not line.startswith(_WARNING_BLOCK_END)
                continue
            if line.strip() and not any(marker in line for marker in _NOISE_MARKERS):
                self.echo(line.rstrip("\n"))
        return lines


def _stop_group(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
    # Whatever is left of the group (the synth's Python, a hung node) goes too.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
