"""Runs one Lambda invocation in this process, the way the Lambda Python runtime would: the code folder
first on sys.path and as the working directory, the handler imported (the init phase), then called
with the event read from stdin and a context whose deadline is the function timeout.

Started by `tests.support.cfn_driver` as `python -I lambda_runner.py --code-dir DIR --handler index.handler
--timeout-seconds N --function-arn ARN`, once per invocation (every invocation is a cold start).
When the deadline passes the process ends at once with exit code 124, as Lambda ends a function that
times out ("Task timed out"); an unhandled exception ends it with exit code 1 (a function error).
Nothing from the project is imported: the handler sees only its own folder and site-packages.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import threading
import time
import traceback
import uuid

TIMED_OUT_EXIT_CODE = 124


class LambdaContext:
    """The attributes and method of the Lambda Python runtime's context object."""

    def __init__(self, *, function_arn: str, timeout_seconds: float) -> None:
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "function")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.invoked_function_arn = function_arn
        self.memory_limit_in_mb = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"))
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.deadline = time.monotonic() + timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


def _end_at_deadline(context: LambdaContext, timeout_seconds: float) -> None:
    time.sleep(max(0.0, context.deadline - time.monotonic()))
    print(f"Task timed out after {timeout_seconds:.2f} seconds", file=sys.stderr, flush=True)
    os._exit(TIMED_OUT_EXIT_CODE)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--code-dir", required=True)
    parser.add_argument("--handler", required=True)
    parser.add_argument("--timeout-seconds", type=float, required=True)
    parser.add_argument("--function-arn", required=True)
    args = parser.parse_args()

    sys.path.insert(0, args.code_dir)
    os.chdir(args.code_dir)
    event = json.loads(sys.stdin.read())
    module_name, function_name = args.handler.rsplit(".", 1)
    handler = getattr(importlib.import_module(module_name), function_name)

    context = LambdaContext(function_arn=args.function_arn, timeout_seconds=args.timeout_seconds)
    watchdog = threading.Thread(target=_end_at_deadline, args=(context, args.timeout_seconds), daemon=True)
    watchdog.start()
    try:
        handler(event, context)
    except Exception:  # an unhandled error is a function error, which Lambda retries
        traceback.print_exc()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(1)
    sys.stdout.flush()
    sys.stderr.flush()
    # The invocation is over when the handler returns: threads it left behind do not keep it alive.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
