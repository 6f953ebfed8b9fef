"""``python -m localcloud.sms_voice --port PORT [--state FILE] [--activation-delay SECONDS]``.

Prints one line saying where it listens, serves until SIGINT or SIGTERM, then stops cleanly.
Exit codes: 0 after a clean stop, 2 for bad arguments or an unreadable state file.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from localcloud.sms_voice.server import Emulator
from localcloud.sms_voice.state import StateFileError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m localcloud.sms_voice", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: 0, a free port)")
    parser.add_argument("--state", default=None, help="JSON file the account is loaded from and saved to")
    parser.add_argument(
        "--activation-delay",
        type=float,
        default=0.0,
        help="seconds a pool stays CREATING (and DELETING) (default: 0)",
    )
    args = parser.parse_args(argv)
    if args.activation_delay < 0:
        parser.error("--activation-delay must not be negative")
    try:
        emulator = Emulator(activation_delay=args.activation_delay, state_file=args.state, port=args.port)
    except StateFileError as error:
        print(f"sms-voice emulator: cannot use state file: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"sms-voice emulator: cannot listen on port {args.port}: {error.strerror}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    with emulator:
        print(f"sms-voice emulator listening on {emulator.endpoint_url}", flush=True)
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
