"""Per-operation fault plans, rate limits and the call log (the control plane's moving parts)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

FAULT_KINDS = ("throttle", "internal_error", "drop_connection", "latency", "quota_exceeded")
FAULT_TIMINGS = ("before", "after")
ANY_OPERATION = "*"
# The documented quota is 1 request/s for every control-plane operation the emulator serves.
REALISTIC_RATE = 1.0


@dataclass
class Fault:
    """After ``skip`` calls of ``operation`` ("*" = any) pass, the next ``count`` get this fault."""

    operation: str
    kind: str
    count: int = 1
    latency_seconds: float = 0.0
    when: str = "before"
    skip: int = 0

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"fault kind {self.kind!r} is not one of {', '.join(FAULT_KINDS)}")
        if self.when not in FAULT_TIMINGS:
            raise ValueError(f"fault 'when' {self.when!r} is not one of {', '.join(FAULT_TIMINGS)}")
        if self.count < 1:
            raise ValueError(f"fault count must be at least 1, got {self.count}")
        if self.skip < 0:
            raise ValueError(f"fault skip must not be negative, got {self.skip}")
        if self.latency_seconds < 0:
            raise ValueError(f"latency_seconds must not be negative, got {self.latency_seconds}")


@dataclass
class _Bucket:
    rate: float
    tokens: float
    updated: float


@dataclass
class FaultBook:
    """Thread-safe store of fault plans and token buckets, consulted before each operation runs."""

    clock: Callable[[], float] = time.monotonic
    faults: list[Fault] = field(default_factory=list)
    rates: dict[str, float] = field(default_factory=dict)
    buckets: dict[str, _Bucket] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, fault: Fault) -> None:
        with self.lock:
            self.faults.append(fault)

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()

    def take_fault(self, operation: str) -> Fault | None:
        """The first plan for ``operation`` (or "*") not still skipping, used up by one; None if none.

        A plan still skipping counts this call as one of the calls it lets pass.
        """
        with self.lock:
            for fault in self.faults:
                if fault.operation in (operation, ANY_OPERATION):
                    if fault.skip > 0:
                        fault.skip -= 1
                        continue
                    fault.count -= 1
                    if fault.count == 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def set_rates(self, rates: dict[str, float]) -> None:
        for operation, rate in rates.items():
            if rate <= 0:
                raise ValueError(f"rate for {operation} must be positive, got {rate}")
        with self.lock:
            self.rates = dict(rates)
            self.buckets.clear()

    def allow(self, operation: str) -> bool:
        """Token bucket per operation; capacity is one second's worth (at least one request)."""
        with self.lock:
            rate = self.rates.get(operation, self.rates.get(ANY_OPERATION))
            if rate is None:
                return True
            now = self.clock()
            capacity = max(1.0, rate)
            bucket = self.buckets.setdefault(operation, _Bucket(rate, capacity, now))
            bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            if bucket.tokens < 1.0:
                return False
            bucket.tokens -= 1.0
            return True

    def reset(self) -> None:
        with self.lock:
            self.faults.clear()
            self.rates.clear()
            self.buckets.clear()


@dataclass
class CallRecord:
    operation: str
    request: Any
    outcome: str
    reason: str | None
    started: float
    duration: float


@dataclass
class CallLog:
    """AWS API calls in arrival order (control-plane calls are not recorded)."""

    records: list[CallRecord] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, operation: str, request: Any, started: float) -> CallRecord:
        record = CallRecord(operation, request, "pending", None, started, 0.0)
        with self.lock:
            self.records.append(record)
        return record

    def as_dicts(self) -> list[dict[str, Any]]:
        with self.lock:
            return [asdict(record) for record in self.records]

    def clear(self) -> None:
        with self.lock:
            self.records.clear()
