"""The local cloud: ministack (CloudFormation, Lambda, IAM, S3, SSM, ECR, STS, Logs) plus the SMS Voice
emulator, as child processes on free loopback ports, so `npx cdk deploy` runs with no AWS account.

    with LocalCloud() as cloud:                  # starts both, waits until they answer
        subprocess.run(["npx", "cdk", "deploy"], env=cloud.subprocess_env(), check=True)
                                                  # leaving the block stops every process it started

`python -m localcloud.cloud up` starts the same pair and leaves it running (state in
`.localcloud/cloud.json`); `python -m localcloud.cloud env` prints the variables to export;
`python -m localcloud.cloud down` stops it (the command line is in localcloud/cloud_command.py,
process control in localcloud/processes.py, the CDK CLI's own settings in localcloud/cdk_env.py).

Why the settings (see docs/local-cloud.md):
* crhelper always answers CloudFormation over HTTPS, so ministack runs with USE_SSL=1 and the Lambda
  must trust ministack's self-signed certificate. ministack gives a Lambda its own CA bundle only when
  no CA variable is inherited, so those are removed from ministack's environment.
* ministack's Lambda workers inherit ministack's environment: AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2
  set there is how the unchanged production Lambda reaches the emulator.
* As root, ministack also binds port 443 when it is free (for Cognito issuers). Nothing here needs it,
  and a second local cloud could never have it, so the launcher turns that off: each local cloud
  listens only on its own two ports.
"""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3

from localcloud.cdk_env import cdk_cli_env
from localcloud.processes import (
    LOOPBACK,
    ProcessRecord,
    StartedInWith,
    free_port,
    group_rss_bytes,
    log_tail,
    port_is_listening,
    start_ticks,
    stop_process_group,
)
from localcloud.sms_voice.control import ControlClient, ControlError

if TYPE_CHECKING:
    from mypy_boto3_pinpoint_sms_voice_v2 import PinpointSMSVoiceV2Client

PROJECT_ROOT: Path = Path(__file__).resolve().parents[1]
LOCALCLOUD_DIR: Path = PROJECT_ROOT / ".localcloud"
STATE_FILE_NAME = "cloud.json"
MINISTACK_VENV = PROJECT_ROOT / ".venv-ministack"
PROJECT_VENV = PROJECT_ROOT / ".venv"

ACCOUNT_ID = "000000000000"
REGION = "us-east-1"
# ministack accepts any credentials; real ones must never be sent to a local endpoint.
DUMMY_CREDENTIAL = "test"

# Inherited CA settings would win over the bundle ministack gives its Lambda workers (it only
# fills them in when absent), and the worker could then not verify ministack's certificate.
# CURL_CA_BUNDLE too: requests falls back to it.
_CA_VARIABLES = (
    "SSL_CERT_FILE",
    "REQUESTS_CA_BUNDLE",
    "AWS_CA_BUNDLE",
    "NODE_EXTRA_CA_CERTS",
    "CURL_CA_BUNDLE",
)
# ministack points its Lambda workers at itself only when no AWS_ENDPOINT_URL is inherited; a
# profile or session token from the host must not leak into a local run.
_HOST_AWS_VARIABLES = ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")

# ministack's `main()` after disabling its extra bind of port 443 (see the module docstring).
_MINISTACK_LAUNCHER = """\
import ministack.app as app
_bindable = app._port_is_bindable
app._port_is_bindable = lambda host, port: port != 443 and _bindable(host, port)
app.main()
"""


class LocalCloudError(RuntimeError):
    """The local cloud could not start (the message names the process and its log)."""


@dataclass(frozen=True)
class Endpoints:
    """Where the running local cloud answers."""

    ministack_port: int
    sms_voice_port: int
    ca_bundle: str

    @property
    def aws_endpoint_url(self) -> str:
        return f"https://{LOOPBACK}:{self.ministack_port}"

    @property
    def sms_voice_endpoint_url(self) -> str:
        return f"http://{LOOPBACK}:{self.sms_voice_port}"

    def client_env(self) -> dict[str, str]:
        """The variables the CDK CLI, the AWS CLI and boto3 need to use this local cloud."""
        return {
            "AWS_ENDPOINT_URL": self.aws_endpoint_url,
            "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": self.sms_voice_endpoint_url,
            "AWS_CA_BUNDLE": self.ca_bundle,
            "AWS_ACCESS_KEY_ID": DUMMY_CREDENTIAL,
            "AWS_SECRET_ACCESS_KEY": DUMMY_CREDENTIAL,
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
        }


def subprocess_env(endpoints: Endpoints, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """`base` (default: this process's environment) pointed at the local cloud, with the project's
    .venv first on PATH so the CDK app synthesizes with the project's Python."""
    env = {k: v for k, v in (os.environ if base is None else base).items() if k not in _HOST_AWS_VARIABLES}
    env.update(endpoints.client_env())
    env["PATH"] = os.pathsep.join([str(PROJECT_VENV / "bin"), env.get("PATH", "")])
    env.update(cdk_cli_env(env))
    return env


class LocalCloud(StartedInWith):
    """ministack + the SMS Voice emulator as child processes; a context manager.

    `run_dir` holds ministack's TMPDIR (certificate, Lambda code), the emulator's state file (unless
    `sms_state_file` is given) and both logs; by default a fresh folder under `.localcloud/`, removed
    again on stop (kept when starting failed), so two local clouds never share anything.
    `activation_delay` is passed to the emulator (None: its own default). Everything started is
    stopped by `stop()`, on leaving the `with` block, also after an exception or Ctrl-C."""

    def __init__(
        self,
        run_dir: Path | None = None,
        *,
        sms_state_file: Path | None = None,
        activation_delay: float | None = None,
        startup_timeout: float = 120.0,
    ) -> None:
        # A folder chosen here is removed again by stop(), unless starting failed (its logs explain why).
        self._owns_run_dir = run_dir is None
        self.run_dir = run_dir or LOCALCLOUD_DIR / f"run-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
        self.sms_state_file = sms_state_file or self.run_dir / "sms-voice-state.json"
        self.activation_delay = activation_delay
        self.startup_timeout = startup_timeout
        self._children: list[tuple[ProcessRecord, subprocess.Popen[bytes]]] = []
        self._endpoints: Endpoints | None = None

    # --- public ----------------------------------------------------------------------------------
    @property
    def endpoints(self) -> Endpoints:
        if self._endpoints is None:
            raise LocalCloudError("the local cloud is not running: call start() or use `with LocalCloud()`")
        return self._endpoints

    @property
    def records(self) -> list[ProcessRecord]:
        return [record for record, _ in self._children]

    def subprocess_env(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        return subprocess_env(self.endpoints, base)

    def sms_voice_client(self) -> PinpointSMSVoiceV2Client:
        """A boto3 SMS Voice client on this local cloud's emulator."""
        return boto3.client(
            "pinpoint-sms-voice-v2",
            region_name=REGION,
            endpoint_url=self.endpoints.sms_voice_endpoint_url,
            aws_access_key_id=DUMMY_CREDENTIAL,
            aws_secret_access_key=DUMMY_CREDENTIAL,
        )

    def cloudformation_client(self) -> Any:
        """A boto3 CloudFormation client on this local cloud's ministack."""
        return boto3.client(
            "cloudformation",
            region_name=REGION,
            endpoint_url=self.endpoints.aws_endpoint_url,
            verify=self.endpoints.ca_bundle,
            aws_access_key_id=DUMMY_CREDENTIAL,
            aws_secret_access_key=DUMMY_CREDENTIAL,
        )

    def memory_rss_bytes(self) -> dict[str, int]:
        """Resident memory per started process group (ministack includes its warm Lambda workers)."""
        return {record.name: group_rss_bytes(record.pid) for record in self.records}

    def start(self) -> Endpoints:
        if self._endpoints is not None:
            return self._endpoints
        self.run_dir.mkdir(parents=True, exist_ok=True)
        try:
            sms_port = self._start_with_free_port("sms-voice", self._start_sms_voice)
            ministack_port = self._start_with_free_port(
                "ministack", lambda port: self._start_ministack(port, sms_port)
            )
            ca_bundle = self._write_ca_bundle()
        except BaseException:
            self._owns_run_dir = False
            self.stop()
            raise
        self._endpoints = Endpoints(ministack_port, sms_port, str(ca_bundle))
        return self._endpoints

    def stop(self) -> None:
        """Stop every process this object started (last started first); safe to call twice."""
        while self._children:
            record, popen = self._children.pop()
            stop_process_group(record, popen)
        self._endpoints = None
        if self._owns_run_dir:
            shutil.rmtree(self.run_dir, ignore_errors=True)

    # --- starting --------------------------------------------------------------------------------
    def _start_with_free_port(self, name: str, start: Any) -> int:
        """Run `start(port)` on a free port; retry on a new port if the port was taken meanwhile."""
        last_error: LocalCloudError | None = None
        for _ in range(3):
            port = free_port()
            try:
                start(port)
            except _PortTaken as taken:
                last_error = LocalCloudError(f"{name}: port {port} was taken: {taken}")
                continue
            return port
        assert last_error is not None
        raise last_error

    def _spawn(self, name: str, argv: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
        log_path = self.run_dir / f"{name}.log"
        with log_path.open("ab") as log:
            popen = subprocess.Popen(
                argv,
                cwd=PROJECT_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stopped as a whole, spared Ctrl-C
            )
        ticks = start_ticks(popen.pid) or 0
        self._children.append((ProcessRecord(name, popen.pid, ticks, port, str(log_path)), popen))
        return popen

    def _start_sms_voice(self, port: int) -> None:
        argv = [sys.executable, "-m", "localcloud.sms_voice", "--port", str(port)]
        argv += ["--state", str(self.sms_state_file)]
        if self.activation_delay is not None:
            argv += ["--activation-delay", str(self.activation_delay)]
        env = {k: v for k, v in os.environ.items() if k not in _HOST_AWS_VARIABLES}
        popen = self._spawn("sms-voice", argv, env, port)
        self._wait_until("sms-voice", popen, lambda: _sms_voice_healthy(port))

    @property
    def _ministack_certificate(self) -> Path:
        return self.run_dir / "tmp" / "ministack-tls" / "server.crt"

    def _write_ca_bundle(self) -> Path:
        """The system roots plus ministack's self-signed certificate, for clients of this cloud.

        ministack writes such a bundle itself only when it starts its first Lambda worker, which
        is too late for `cdk bootstrap`, so this one is written as soon as ministack is healthy."""
        paths = ssl.get_default_verify_paths()
        system_roots = [Path(p) for p in (paths.cafile, paths.openssl_cafile) if p and Path(p).exists()]
        parts = [system_roots[0].read_bytes()] if system_roots else []
        parts.append(self._ministack_certificate.read_bytes())
        bundle = self.run_dir / "ca-bundle.pem"
        bundle.write_bytes(b"\n".join(parts))
        return bundle

    def _start_ministack(self, port: int, sms_port: int) -> None:
        python = MINISTACK_VENV / "bin" / "python"
        if not python.exists():
            raise LocalCloudError(f"{python} is missing: run `make setup` (it builds {MINISTACK_VENV.name})")
        tmpdir = self.run_dir / "tmp"
        tmpdir.mkdir(parents=True, exist_ok=True)
        remove = {*_CA_VARIABLES, *_HOST_AWS_VARIABLES, "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}
        env = {k: v for k, v in os.environ.items() if k not in remove}
        env.update(
            {
                "USE_SSL": "1",
                "BIND_HOST": LOOPBACK,
                "GATEWAY_PORT": str(port),
                "TMPDIR": str(tmpdir),
                "S3_DATA_DIR": str(tmpdir / "s3"),
                "STATE_DIR": str(tmpdir / "state"),
                "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": f"http://{LOOPBACK}:{sms_port}",
            }
        )
        popen = self._spawn("ministack", [str(python), "-c", _MINISTACK_LAUNCHER], env, port)
        self._wait_until("ministack", popen, lambda: _ministack_healthy(port, self._ministack_certificate))

    def _wait_until(self, name: str, popen: subprocess.Popen[bytes], ready: Any) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if popen.poll() is not None:
                log = self._children[-1][0].log
                tail = log_tail(Path(log))
                if "already in use" in tail or "Address already in use" in tail:
                    self._children.pop()
                    raise _PortTaken(tail)
                raise LocalCloudError(f"{name} exited with code {popen.returncode} while starting:\n{tail}")
            if ready():
                return
            time.sleep(0.1)
        log = self._children[-1][0].log
        raise LocalCloudError(f"{name} did not become ready within {self.startup_timeout:.0f} s; see {log}")


class _PortTaken(Exception):
    """The child could not bind its port (another process took it after we picked it)."""


def _sms_voice_healthy(port: int) -> bool:
    if not port_is_listening(port):
        return False
    try:
        return ControlClient(f"http://{LOOPBACK}:{port}", timeout=2).health()
    except ControlError:
        return False


def _ministack_healthy(port: int, certificate: Path) -> bool:
    """ministack answers its health check over TLS, verified against its own certificate."""
    if not certificate.exists():
        return False
    context = ssl.create_default_context(cafile=str(certificate))
    try:
        with urllib.request.urlopen(
            f"https://{LOOPBACK}:{port}/_ministack/health", timeout=2, context=context
        ) as response:
            return bool(response.status == 200)
    except (OSError, ssl.SSLError):
        return False


if __name__ == "__main__":  # `python -m localcloud.cloud up|down|env`: see localcloud/cloud_command.py
    from localcloud.cloud_command import main

    sys.exit(main())
