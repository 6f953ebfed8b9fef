"""The HTTP front end (AWS JSON 1.0 plus the control plane) and the in-process ``Emulator``."""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from localcloud.processes import StartedInWith
from localcloud.sms_voice import keyword_operations as keywords
from localcloud.sms_voice import pool_operations as pools
from localcloud.sms_voice import resource_operations as resources
from localcloud.sms_voice.api_errors import (
    ApiError,
    InternalServerError,
    QuotaExceededError,
    ThrottlingError,
    UnknownOperationError,
    ValidationError,
)
from localcloud.sms_voice.arns import ArnFactory
from localcloud.sms_voice.control import CONTROL_PREFIX, ControlClient
from localcloud.sms_voice.control_plane import ControlPlane, ControlRequestError
from localcloud.sms_voice.faults import CallLog, CallRecord, FaultBook
from localcloud.sms_voice.model_validation import operation_model, require_valid
from localcloud.sms_voice.service import Handler, Service
from localcloud.sms_voice.state import Account, load_account, save_account

TARGET_PREFIX = "PinpointSMSVoiceV2."
CONTENT_TYPE = "application/x-amz-json-1.0"
DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT_ID = "000000000000"

OPERATIONS: dict[str, Handler] = {
    "CreatePool": pools.create_pool,
    "DescribePools": pools.describe_pools,
    "UpdatePool": pools.update_pool,
    "DeletePool": pools.delete_pool,
    "AssociateOriginationIdentity": pools.associate_origination_identity,
    "DisassociateOriginationIdentity": pools.disassociate_origination_identity,
    "ListPoolOriginationIdentities": pools.list_pool_origination_identities,
    "PutKeyword": keywords.put_keyword,
    "DeleteKeyword": keywords.delete_keyword,
    "DescribeKeywords": keywords.describe_keywords,
    "TagResource": resources.tag_resource,
    "UntagResource": resources.untag_resource,
    "ListTagsForResource": resources.list_tags_for_resource,
    "RequestPhoneNumber": resources.request_phone_number,
    "DescribePhoneNumbers": resources.describe_phone_numbers,
    "UpdatePhoneNumber": resources.update_phone_number,
    "ReleasePhoneNumber": resources.release_phone_number,
    "RequestSenderId": resources.request_sender_id,
    "DescribeSenderIds": resources.describe_sender_ids,
    "ReleaseSenderId": resources.release_sender_id,
    "CreateOptOutList": resources.create_opt_out_list,
    "DescribeOptOutLists": resources.describe_opt_out_lists,
    "DeleteOptOutList": resources.delete_opt_out_list,
}


class _DropConnection(Exception):
    """Close the socket without answering (an injected fault)."""


class _Backend:
    """Everything a request handler needs, shared by all handler threads."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.faults = FaultBook()
        self.calls = CallLog()
        self.control = ControlPlane(service, self.faults, self.calls, tuple(OPERATIONS))

    def api_call(self, target: str, raw_body: bytes, request_id: str) -> dict[str, Any]:
        operation = target.removeprefix(TARGET_PREFIX) if target.startswith(TARGET_PREFIX) else target
        params: Any = None
        try:
            params = json.loads(raw_body or b"{}")
        except ValueError:
            params = raw_body.decode(errors="replace")
        record = self.calls.start(operation, params, time.time())
        clock = time.monotonic()
        try:
            result = self._run(operation, target, params, request_id)
        except ApiError as error:
            self._finish(record, error.code, error.reason, clock)
            raise
        except _DropConnection:
            self._finish(record, "connection_dropped", None, clock)
            raise
        except Exception as bug:
            # An emulator defect must not look like a network fault: answer 500 and say what broke.
            traceback.print_exc(file=sys.stderr)
            defect = InternalServerError(request_id)
            defect.message = f"Emulator defect in {operation}: {type(bug).__name__}: {bug}"
            self._finish(record, defect.code, None, clock)
            raise defect from bug
        self._finish(record, "ok", None, clock)
        return result

    @staticmethod
    def _finish(record: CallRecord, outcome: str, reason: str | None, started: float) -> None:
        record.outcome, record.reason, record.duration = outcome, reason, time.monotonic() - started

    def _run(self, operation: str, target: str, params: Any, request_id: str) -> dict[str, Any]:
        model = operation_model(operation) if target.startswith(TARGET_PREFIX) else None
        if model is None or operation not in OPERATIONS:
            raise UnknownOperationError(target)
        if not self.faults.allow(operation):
            raise ThrottlingError(operation)
        fault = self.faults.take_fault(operation)
        if fault is not None and fault.kind == "latency":
            time.sleep(fault.latency_seconds)
            fault = None
        if fault is not None and fault.when == "before":
            _raise_fault(fault.kind, operation, request_id)
        if not isinstance(params, dict):
            raise ValidationError(
                "The request body is not a JSON object.",
                "CANNOT_PARSE",
                [{"Name": "<body>", "Message": "Bad JSON"}],
            )
        require_valid(model, params)
        result = self.service.call(operation, params)
        if fault is not None:
            _raise_fault(fault.kind, operation, request_id)
        return result


# The quota a ``quota_exceeded`` fault names: the one the operation would really run into.
_QUOTA_OF_OPERATION = {
    "AssociateOriginationIdentity": "ORIGINATION_IDENTITIES_PER_POOL",
    "PutKeyword": "KEYWORDS_PER_POOL",
    "TagResource": "TAGS_PER_RESOURCE",
    "CreateOptOutList": "OPT_OUT_LISTS_PER_ACCOUNT",
}


def _raise_fault(kind: str, operation: str, request_id: str) -> None:
    if kind == "throttle":
        raise ThrottlingError(operation)
    if kind == "internal_error":
        raise InternalServerError(request_id)
    if kind == "quota_exceeded":
        # Not retryable (unlike the kinds above): the caller fails at once, as on a real quota.
        quota = _QUOTA_OF_OPERATION.get(operation, "POOLS_PER_ACCOUNT")
        raise QuotaExceededError(f"{operation}: service quota {quota} reached.", quota)
    raise _DropConnection


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are separate writes; avoid delayed-ACK stalls
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # signature of the base class
        """Quiet: the call log (control plane) is the record of requests."""

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self) -> None:  # name fixed by BaseHTTPRequestHandler
        if self.path.startswith(CONTROL_PREFIX):
            self._control(b"")
        else:
            self._send(404, {"message": "not found"}, "application/json")

    def do_POST(self) -> None:  # name fixed by BaseHTTPRequestHandler
        body = self._body()
        if self.path.startswith(CONTROL_PREFIX):
            self._control(body)
            return
        request_id = str(uuid.uuid4())
        try:
            result = self.server.backend.api_call(self.headers.get("X-Amz-Target", ""), body, request_id)
        except ApiError as error:
            self._send(error.status, error.body(), CONTENT_TYPE, request_id)
            return
        except _DropConnection:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self._send(200, result, CONTENT_TYPE, request_id)

    def _control(self, body: bytes) -> None:
        action = self.path[len(CONTROL_PREFIX) :].split("?", 1)[0]
        try:
            payload = json.loads(body or b"{}")
            if not isinstance(payload, dict):
                raise ControlRequestError("the request body must be a JSON object")
            result = self.server.backend.control.handle(action, payload)
        except (ControlRequestError, ValueError) as error:
            self._send(400, {"error": str(error)}, "application/json")
            return
        self._send(200, result, "application/json")

    def _send(self, status: int, payload: Any, content_type: str, request_id: str | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        if request_id is not None:
            self.send_header("x-amzn-RequestId", request_id)
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], backend: _Backend) -> None:
        self.backend = backend
        super().__init__(address, _RequestHandler)


class Emulator(StartedInWith):
    """The SMS Voice v2 emulator on 127.0.0.1; a context manager that starts and stops it.

    ``port=0`` picks a free port. With ``state_file`` the account is loaded from that file (a missing
    file is a fresh account; an unreadable one raises ``StateFileError``) and saved after each change.
    """

    def __init__(
        self,
        activation_delay: float = 0.0,
        state_file: str | Path | None = None,
        port: int = 0,
        *,
        host: str = "127.0.0.1",
        region: str = DEFAULT_REGION,
        account_id: str = DEFAULT_ACCOUNT_ID,
    ) -> None:
        self.state_file = Path(state_file) if state_file is not None else None
        account = (load_account(self.state_file) if self.state_file else None) or Account()
        self.service = Service(
            account,
            ArnFactory(region, account_id),
            activation_delay=activation_delay,
            on_change=self._save if self.state_file else None,
        )
        self.service.handlers.update(OPERATIONS)
        self._server = _Server((host, port), _Backend(self.service))
        self._thread: threading.Thread | None = None
        if self.state_file is not None:
            self._save(self.service.account)

    def _save(self, account: Account) -> None:
        assert self.state_file is not None
        save_account(self.state_file, account)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def control(self) -> ControlClient:
        return ControlClient(self.endpoint_url)

    def start(self) -> Emulator:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever, name="sms-voice-emulator", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()
