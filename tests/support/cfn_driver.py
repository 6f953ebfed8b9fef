"""A CloudFormation protocol driver for one custom resource: the paths ministack does not reproduce.

ministack runs a custom resource's Lambda once, synchronously, and sends no Delete after a failed
Create. This driver plays CloudFormation and the Lambda service for one resource instead:

* each invocation runs the handler in a FRESH SUBPROCESS (a cold start: module state never
  carries over), with a fake Lambda context whose deadline is enforced like Lambda's (the process
  is killed when the function timeout is reached);
* the event's ResponseURL is a real HTTPS URL served by a local server with a self-signed
  certificate made by the `openssl` CLI; the subprocess trusts it through SSL_CERT_FILE, so crhelper
  sends its answer exactly as it would to S3;
* `CustomResourceDriver` follows the rollback sequences of CloudFormation (custom-resources.md §1.5):
  a failed Create is followed by a Delete with the PhysicalResourceId from the FAILED answer, a
  failed Update by an Update back to the old properties, an Update that returns a new id by a
  Delete of the old one; and, like Lambda's asynchronous invocation, an invocation that ends in a
  function error (a crash or a timeout) is delivered again, up to the function's retry attempts,
  after CloudFormation has already acted on the first answer (real retries come a minute or more
  later).

    with ResponseServer() as server:
        bundle = HandlerBundle.from_source(environment={"AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": url})
        resource = CustomResourceDriver(bundle, server, resource_type="Custom::SmsVoicePool")
        outcome = resource.create({"OriginationIdentities": ["phone-..."]})
        outcome.status            # "CREATE_COMPLETE", or "ROLLBACK_COMPLETE" after the rollback Delete
"""

from __future__ import annotations

import http.server
import json
import os
import secrets
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

from localcloud.processes import StartedInWith
from tests.support.harness import ACCOUNT_ID, REGION, check_answer, make_event, stringify
from tests.support.lambda_runner import TIMED_OUT_EXIT_CODE

PROJECT_ROOT: Final = Path(__file__).resolve().parents[2]
HANDLER_SOURCE_DIR: Final = PROJECT_ROOT / "lambda" / "pool_provider"
RUNNER: Final = Path(__file__).resolve().parent / "lambda_runner.py"

# Lambda's default for asynchronous invocations: two more deliveries after a function error.
DEFAULT_RETRY_ATTEMPTS: Final = 2
# Python start-up and imports (Lambda's init phase) are not part of the function timeout.
INIT_ALLOWANCE_SECONDS: Final = 30.0
# Where AWS calls the handler should never make go (crhelper builds lambda/events/logs clients at
# import): a closed loopback port, so a stray call fails at once instead of reaching the internet.
CLOSED_ENDPOINT: Final = "http://127.0.0.1:9"

_CA_VARIABLES: Final = (
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "REQUESTS_CA_BUNDLE",
    "AWS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "NODE_EXTRA_CA_CERTS",
)


# --- the ResponseURL server ------------------------------------------------------------------------
@dataclass(frozen=True)
class ReceivedResponse:
    """One PUT to a ResponseURL: the parsed body plus what CloudFormation would check."""

    token: str
    body: dict[str, Any]
    content_type: str | None


class ResponseServer(StartedInWith):
    """An HTTPS server that stands in for the presigned S3 ResponseURLs; a context manager.

    `new_response_url()` gives a URL with a fresh token; `responses(token)` lists what was PUT to
    it, in arrival order. The certificate is self-signed (CN and SAN localhost, 127.0.0.1) and
    lives in a temporary folder removed on exit."""

    def __init__(self) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="cfn-driver-"))
        self.certificate = self._dir / "server.crt"
        self._received: dict[str, list[ReceivedResponse]] = {}
        self._lock = threading.Lock()
        self._httpd: http.server.ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the response server is not running")
        return int(self._httpd.server_address[1])

    def new_response_url(self) -> tuple[str, str]:
        """A new (token, ResponseURL) pair; the URL looks like a presigned S3 URL."""
        token = uuid.uuid4().hex
        signature = secrets.token_hex(16)
        return token, (
            f"https://localhost:{self.port}/cloudformation-custom-resource-response/{token}"
            f"?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature={signature}"
        )

    def responses(self, token: str) -> list[ReceivedResponse]:
        with self._lock:
            return list(self._received.get(token, []))

    def _record(self, token: str, raw: bytes, content_type: str | None) -> None:
        try:
            body = json.loads(raw)
        except ValueError:
            body = {"_unparseable": raw.decode(errors="replace")}
        response = ReceivedResponse(token, body, content_type)
        with self._lock:
            self._received.setdefault(token, []).append(response)

    def start(self) -> None:
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-keyout", str(self._dir / "server.key"), "-out", str(self.certificate),
                "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_PUT(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                token = self.path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
                server._record(token, raw, self.headers.get("Content-Type"))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the driver reports what matters."""

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.certificate, self._dir / "server.key")
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, name="cfn-response-server", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        shutil.rmtree(self._dir, ignore_errors=True)


# --- the function and one invocation --------------------------------------------------------------
@dataclass(frozen=True)
class HandlerBundle:
    """What Lambda would run: the code folder, the handler, the function's settings."""

    code_dir: Path
    handler: str = "index.handler"
    timeout_seconds: float = 300.0
    retry_attempts: int = DEFAULT_RETRY_ATTEMPTS
    environment: Mapping[str, str] = field(default_factory=dict)
    function_name: str = "SmsVoicePoolProvider"

    @classmethod
    def from_source(cls, **settings: Any) -> HandlerBundle:
        """lambda/pool_provider as it is in the repository; crhelper comes from this interpreter's
        site-packages (the asset bundles it next to the handler instead)."""
        return cls(code_dir=HANDLER_SOURCE_DIR, **settings)

    @classmethod
    def from_cloud_assembly(cls, cdk_out: Path, stack_name: str, resource_type: str) -> HandlerBundle:
        """The function behind `resource_type` in a synthesized stack: its bundled asset folder,
        handler, timeout, environment (literal values) and asynchronous retry attempts."""
        template = json.loads((cdk_out / f"{stack_name}.template.json").read_text())
        resources: dict[str, Any] = template["Resources"]
        tokens = [
            r["Properties"]["ServiceToken"] for r in resources.values() if r.get("Type") == resource_type
        ]
        if not tokens:
            raise ValueError(f"no {resource_type} resource in {stack_name}: synthesize it with a pool")
        token = tokens[0]
        if not (isinstance(token, dict) and "Fn::GetAtt" in token):
            raise ValueError(f"the ServiceToken of {resource_type} is not a function's Arn: {token!r}")
        function_id = token["Fn::GetAtt"][0]
        function = resources[function_id]
        properties = function["Properties"]
        asset_path = function.get("Metadata", {}).get("aws:asset:path")
        if not asset_path:
            raise ValueError(f"{function_id} has no aws:asset:path metadata (asset metadata disabled?)")
        variables = properties.get("Environment", {}).get("Variables", {})
        retry_attempts = DEFAULT_RETRY_ATTEMPTS
        for resource in resources.values():
            if resource.get("Type") == "AWS::Lambda::EventInvokeConfig":
                target = resource["Properties"].get("FunctionName")
                if target == {"Ref": function_id}:
                    retry_attempts = int(resource["Properties"].get("MaximumRetryAttempts", retry_attempts))
        return cls(
            code_dir=cdk_out / asset_path,
            handler=properties.get("Handler", "index.handler"),
            timeout_seconds=float(properties.get("Timeout", 3)),
            retry_attempts=retry_attempts,
            environment={k: v for k, v in variables.items() if isinstance(v, str)},
            function_name=function_id,
        )

    def with_settings(self, **changes: Any) -> HandlerBundle:
        return replace(self, **changes)


@dataclass(frozen=True)
class Invocation:
    """One delivery of an event to a fresh handler process."""

    event: dict[str, Any]
    responses: list[ReceivedResponse]
    exit_code: int
    timed_out: bool
    output: str

    @property
    def function_error(self) -> bool:
        """An unhandled error or a timeout: what makes Lambda deliver an async event again."""
        return self.exit_code != 0

    @property
    def response(self) -> dict[str, Any] | None:
        """The first answer sent to CloudFormation (the one it acts on), or None."""
        return self.responses[0].body if self.responses else None


def invoke(
    bundle: HandlerBundle, server: ResponseServer, event: Mapping[str, Any], *, token: str
) -> Invocation:
    """Run the handler on `event` in a fresh subprocess and collect its answers to `token`.

    The subprocess's environment is this process's, minus every CA and AWS endpoint setting, plus
    dummy credentials, the region, the Lambda variables, the bundle's environment, and
    SSL_CERT_FILE naming the response server's certificate (as the only trusted one)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in _CA_VARIABLES and not k.startswith("AWS_") and k not in ("PYTHONPATH", "PYTHONHOME")
    }
    env.update(
        {
            "AWS_ACCESS_KEY_ID": ACCOUNT_ID,
            "AWS_SECRET_ACCESS_KEY": "local-only",
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ENDPOINT_URL": CLOSED_ENDPOINT,
            "AWS_LAMBDA_FUNCTION_NAME": bundle.function_name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{bundle.function_name}",
            "AWS_LAMBDA_LOG_STREAM_NAME": f"{time.strftime('%Y/%m/%d')}/[$LATEST]{uuid.uuid4().hex}",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    env.update(bundle.environment)
    env["SSL_CERT_FILE"] = str(server.certificate)
    argv = [
        sys.executable,
        "-I",  # isolated: neither PYTHONPATH nor the runner's folder on sys.path; the code dir goes first
        str(RUNNER),
        "--code-dir",
        str(bundle.code_dir),
        "--handler",
        bundle.handler,
        "--timeout-seconds",
        str(bundle.timeout_seconds),
        "--function-arn",
        f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{bundle.function_name}",
    ]
    try:
        completed = subprocess.run(
            argv,
            input=json.dumps(dict(event)),
            env=env,
            cwd=bundle.code_dir,
            capture_output=True,
            text=True,
            timeout=bundle.timeout_seconds + INIT_ALLOWANCE_SECONDS,
            check=False,
        )
        exit_code, output = completed.returncode, completed.stdout + completed.stderr
    except subprocess.TimeoutExpired as expired:
        captured = [part for part in (expired.stdout, expired.stderr) if part]
        text = "".join(p.decode(errors="replace") if isinstance(p, bytes) else p for p in captured)
        exit_code, output = -9, f"{text}\nkilled by the driver"
    # The runner's exit code at the function timeout (Lambda's "Task timed out"), or killed by us.
    timed_out = exit_code in (TIMED_OUT_EXIT_CODE, -9)
    return Invocation(dict(event), server.responses(token), exit_code, timed_out, output)


# --- CloudFormation for one resource ---------------------------------------------------------------
@dataclass
class StackOperation:
    """One stack operation as this resource saw it: every invocation in order, and the end state."""

    status: str
    invocations: list[Invocation] = field(default_factory=list)
    reason: str | None = None

    @property
    def request_types(self) -> list[str]:
        return [str(i.event["RequestType"]) for i in self.invocations]


class CustomResourceDriver:
    """Drives one custom resource through Create / Update / Delete as CloudFormation would.

    `properties` are given with real types and stringified on the way, like CloudFormation does.
    `service_timeout` is added to the properties as CloudFormation adds ServiceTimeout."""

    def __init__(
        self,
        bundle: HandlerBundle,
        server: ResponseServer,
        *,
        resource_type: str,
        logical_id: str = "Pool",
        stack_name: str = "DriverStack",
        service_timeout: int | None = 360,
    ) -> None:
        self.bundle = bundle
        self.server = server
        self.resource_type = resource_type
        self.logical_id = logical_id
        self.stack_id = f"arn:aws:cloudformation:{REGION}:{ACCOUNT_ID}:stack/{stack_name}/{uuid.uuid4()}"
        self.service_token = f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{bundle.function_name}"
        self.service_timeout = service_timeout
        self.physical_id: str | None = None
        self.properties: dict[str, Any] | None = None
        # Called with each event just before it is delivered: lets a test change the world between
        # the steps of a sequence (e.g. clear a fault before the rollback Delete).
        self.before_delivery: Callable[[Mapping[str, Any]], None] | None = None

    # --- events -----------------------------------------------------------------------------------
    def event(
        self,
        request_type: str,
        properties: Mapping[str, Any],
        *,
        old_properties: Mapping[str, Any] | None = None,
        physical_id: str | None = None,
    ) -> tuple[str, dict[str, Any]]:
        """A (token, event) pair for one request, with a fresh RequestId and ResponseURL."""
        token, response_url = self.server.new_response_url()
        event = make_event(
            request_type,
            self._wire_properties(properties),
            physical_id=physical_id,
            old_properties=None if old_properties is None else self._wire_properties(old_properties),
            logical_id=self.logical_id,
            response_url=response_url,
            stack_id=self.stack_id,
            service_token=self.service_token,
            resource_type=self.resource_type,
        )
        return token, event

    def _wire_properties(self, properties: Mapping[str, Any]) -> dict[str, Any]:
        wire: dict[str, Any] = {"ServiceToken": self.service_token}
        if self.service_timeout is not None:
            wire["ServiceTimeout"] = str(self.service_timeout)
        wire.update(stringify(properties))
        return wire

    def deliver(self, token: str, event: Mapping[str, Any]) -> Invocation:
        """One delivery of `event` (deliver the same event again to play a Lambda retry)."""
        if self.before_delivery is not None:
            self.before_delivery(event)
        return invoke(self.bundle, self.server, event, token=token)

    # --- stack operations -------------------------------------------------------------------------
    def create(self, properties: Mapping[str, Any]) -> StackOperation:
        """Create; on FAILED, the create rollback: Delete with the id from the FAILED answer."""
        if self.physical_id is not None:
            raise RuntimeError("the resource exists already")
        operation = StackOperation(status="CREATE_IN_PROGRESS")
        token, event = self.event("Create", properties)
        answer, retries = self._request(operation, token, event)
        if answer["Status"] == "SUCCESS":
            self.physical_id, self.properties = answer["PhysicalResourceId"], dict(properties)
            operation.status = "CREATE_COMPLETE"
        else:
            operation.reason = answer.get("Reason")
            operation.status = "ROLLBACK_IN_PROGRESS"
            token, delete = self.event("Delete", properties, physical_id=answer["PhysicalResourceId"])
            delete_answer, delete_retries = self._request(operation, token, delete)
            retries += delete_retries
            operation.status = (
                "ROLLBACK_COMPLETE" if delete_answer["Status"] == "SUCCESS" else "ROLLBACK_FAILED"
            )
        self._run_late_retries(operation, retries)
        return operation

    def update(self, properties: Mapping[str, Any]) -> StackOperation:
        """Update; on FAILED, the rollback Update (old and new properties swapped); on a new
        PhysicalResourceId, the cleanup Delete of the old one."""
        if self.physical_id is None or self.properties is None:
            raise RuntimeError("create the resource first")
        old_id, old_properties = self.physical_id, self.properties
        operation = StackOperation(status="UPDATE_IN_PROGRESS")
        token, event = self.event("Update", properties, old_properties=old_properties, physical_id=old_id)
        answer, retries = self._request(operation, token, event)
        if answer["Status"] == "SUCCESS":
            new_id = answer["PhysicalResourceId"]
            self.physical_id, self.properties = new_id, dict(properties)
            operation.status = "UPDATE_COMPLETE"
            if new_id != old_id:
                operation.status = "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"
                token, cleanup = self.event("Delete", old_properties, physical_id=old_id)
                cleanup_answer, more = self._request(operation, token, cleanup)
                retries += more
                # A failed cleanup Delete does not fail the update; the old resource is abandoned.
                if cleanup_answer["Status"] != "SUCCESS":
                    operation.reason = f"cleanup Delete of {old_id} failed: {cleanup_answer.get('Reason')}"
                operation.status = "UPDATE_COMPLETE"
        else:
            operation.reason = answer.get("Reason")
            operation.status = "UPDATE_ROLLBACK_IN_PROGRESS"
            token, rollback = self.event(
                "Update", old_properties, old_properties=properties, physical_id=old_id
            )
            rollback_answer, more = self._request(operation, token, rollback)
            retries += more
            succeeded = rollback_answer["Status"] == "SUCCESS"
            operation.status = "UPDATE_ROLLBACK_COMPLETE" if succeeded else "UPDATE_ROLLBACK_FAILED"
        self._run_late_retries(operation, retries)
        return operation

    def delete(self) -> StackOperation:
        if self.physical_id is None or self.properties is None:
            raise RuntimeError("create the resource first")
        operation = StackOperation(status="DELETE_IN_PROGRESS")
        token, event = self.event("Delete", self.properties, physical_id=self.physical_id)
        answer, retries = self._request(operation, token, event)
        if answer["Status"] == "SUCCESS":
            self.physical_id, self.properties = None, None
            operation.status = "DELETE_COMPLETE"
        else:
            operation.reason = answer.get("Reason")
            operation.status = "DELETE_FAILED"
        self._run_late_retries(operation, retries)
        return operation

    # --- one request ------------------------------------------------------------------------------
    def _request(
        self, operation: StackOperation, token: str, event: dict[str, Any]
    ) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
        """Deliver `event`; return the answer CloudFormation acts on, and the retries Lambda owes.

        Lambda retries an invocation that ended in a function error (a crash, a timeout) a minute
        or more later, while CloudFormation has already moved on: those deliveries are returned
        for `_run_late_retries`. An invocation that never answered fails the request the way
        CloudFormation does once ServiceTimeout passes."""
        invocation = self.deliver(token, event)
        operation.invocations.append(invocation)
        retries = [(token, event)] * self.bundle.retry_attempts if invocation.function_error else []
        answer = invocation.response
        if answer is None:
            if invocation.function_error and retries:
                # No answer yet; the retry may still send one before ServiceTimeout ends.
                retry_token, retry_event = retries.pop(0)
                return self._request(operation, retry_token, retry_event)
            answer = {
                "Status": "FAILED",
                "Reason": "CloudFormation did not receive a response from your Custom Resource "
                "(ServiceTimeout reached)",
                "PhysicalResourceId": event.get("PhysicalResourceId", ""),
            }
            return answer, retries
        # CloudFormation's own rules (custom-resources.md section 1.3) and the strict ones on top.
        check_answer(event, [response.body for response in invocation.responses])
        return answer, retries

    def _run_late_retries(self, operation: StackOperation, retries: list[tuple[str, dict[str, Any]]]) -> None:
        """Lambda's late redeliveries; their answers arrive after CloudFormation stopped listening."""
        for token, event in retries:
            invocation = self.deliver(token, event)
            operation.invocations.append(invocation)
            if not invocation.function_error:
                break
