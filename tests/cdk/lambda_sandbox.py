"""Run the synthesized Lambda asset the way the Lambda runtime does, and catch its answer to CloudFormation.

* :func:`run_in_sandbox` starts a fresh interpreter with no site-packages (``-I -S``) whose import
  path is the asset folder plus a folder holding only the SDK the Python Lambda runtime ships
  (boto3 and its dependencies). Anything else the handler imports must come from the bundle.
* :class:`ResponseCatcher` is a local HTTPS server with a throwaway self-signed certificate (made
  with the ``openssl`` CLI) that records the PUT crhelper sends to the ResponseURL; the sandbox
  trusts exactly that certificate through ``SSL_CERT_FILE``.
"""

from __future__ import annotations

import importlib.util
import json
import ssl
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

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


def make_self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate (and key) for 127.0.0.1, valid for a day."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


class ResponseCatcher:
    """An HTTPS server on 127.0.0.1 that stores every PUT body and its headers."""

    def __init__(self, directory: Path) -> None:
        self.certificate, key = make_self_signed_certificate(directory)
        self.responses: list[dict[str, Any]] = []
        catcher = self

        class Handler(BaseHTTPRequestHandler):
            def do_PUT(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = json.loads(self.rfile.read(length))
                catcher.responses.append(
                    {"path": self.path, "content_type": self.headers.get("content-type"), "body": body}
                )
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.certificate, key)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> ResponseCatcher:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
