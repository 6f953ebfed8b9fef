"""Client for the emulator's control plane (not part of the AWS API), usable from any process.

The control plane lives under the reserved path ``/_localcloud/`` of the emulator's endpoint and
speaks plain JSON; this client is a thin wrapper over it.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from typing import Any

CONTROL_PREFIX = "/_localcloud/"


class ControlError(RuntimeError):
    """The control plane refused a request (bad argument) or could not be reached."""


class ControlClient:
    def __init__(self, endpoint_url: str, timeout: float = 10.0) -> None:
        self.endpoint_url = endpoint_url.rstrip("/")
        self.timeout = timeout

    def _post(self, action: str, payload: Mapping[str, Any] | None = None) -> Any:
        data = json.dumps(dict(payload or {})).encode()
        request = urllib.request.Request(  # noqa: S310  # the URL is the emulator's own http endpoint
            f"{self.endpoint_url}{CONTROL_PREFIX}{action}",
            data=data,
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310  # as above
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")
            raise ControlError(f"control plane {action}: HTTP {error.code}: {detail}") from error
        except urllib.error.URLError as error:
            raise ControlError(f"control plane at {self.endpoint_url} unreachable: {error.reason}") from error

    def health(self) -> bool:
        return bool(self._post("health").get("ok"))

    def reset(self) -> None:
        """Empty account (only the Default opt-out list); clears faults, rate limits and the call log."""
        self._post("reset")

    def set_activation_delay(self, seconds: float) -> None:
        """Pools created or deleted from now on take ``seconds`` to become ACTIVE or gone."""
        self._post("activation-delay", {"seconds": seconds})

    def set_page_size(self, size: int | None) -> None:
        """Every page holds at most ``size`` items, answers to id lists included (None: no cap)."""
        self._post("page-size", {"size": size})

    def seed_phone_number(
        self,
        *,
        iso_country_code: str = "US",
        message_type: str = "TRANSACTIONAL",
        number_type: str = "TOLL_FREE",
        number_capabilities: Iterable[str] = ("SMS", "VOICE"),
        opt_out_list_name: str = "Default",
        two_way_enabled: bool = False,
        two_way_channel_arn: str | None = None,
        two_way_channel_role: str | None = None,
        self_managed_opt_outs_enabled: bool = False,
        keywords: Mapping[str, tuple[str, str]] | None = None,
        deletion_protection_enabled: bool = False,
        status: str = "ACTIVE",
    ) -> dict[str, Any]:
        """A phone number owned by the account (PhoneNumberInformation shape). HELP/STOP always exist."""
        result: dict[str, Any] = self._post(
            "seed/phone-number",
            {
                "iso_country_code": iso_country_code,
                "message_type": message_type,
                "number_type": number_type,
                "number_capabilities": list(number_capabilities),
                "opt_out_list_name": opt_out_list_name,
                "two_way_enabled": two_way_enabled,
                "two_way_channel_arn": two_way_channel_arn,
                "two_way_channel_role": two_way_channel_role,
                "self_managed_opt_outs_enabled": self_managed_opt_outs_enabled,
                "keywords": {k: list(v) for k, v in (keywords or {}).items()},
                "deletion_protection_enabled": deletion_protection_enabled,
                "status": status,
            },
        )
        return result

    def seed_sender_id(
        self,
        sender_id: str = "MYBRAND",
        iso_country_code: str = "GB",
        message_types: Iterable[str] = ("TRANSACTIONAL",),
    ) -> dict[str, Any]:
        """A sender ID owned by the account (SenderIdInformation shape)."""
        result: dict[str, Any] = self._post(
            "seed/sender-id",
            {
                "sender_id": sender_id,
                "iso_country_code": iso_country_code,
                "message_types": list(message_types),
            },
        )
        return result

    def seed_opt_out_list(self, name: str) -> dict[str, Any]:
        """An opt-out list (OptOutListInformation shape)."""
        result: dict[str, Any] = self._post("seed/opt-out-list", {"name": name})
        return result

    def seed_pool(
        self,
        origination_identities: Iterable[str],
        *,
        message_type: str = "TRANSACTIONAL",
        settings: Mapping[str, Any] | None = None,
        keywords: Mapping[str, tuple[str, str]] | None = None,
        tags: Mapping[str, str] | None = None,
        system_tags: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """A pool made as a console user makes one (PoolInformation shape), ACTIVE at once.

        CreatePool from the first identity (id or ARN; a sender ID by ARN), the others associated,
        then UpdatePool with ``settings`` (its member names, e.g. ``{"DeletionProtectionEnabled":
        True}``), PutKeyword for each ``keywords`` entry (name -> (message, action)), and ``tags``.
        ``system_tags`` are set as AWS sets them (e.g. the ``aws:cloudformation:*`` tags of a pool a
        native ``AWS::SMSVOICE::Pool`` made). The API's rules apply otherwise (a bad seed fails with
        the API's error and leaves nothing behind); no call is logged.
        """
        result: dict[str, Any] = self._post(
            "seed/pool",
            {
                "origination_identities": list(origination_identities),
                "message_type": message_type,
                "settings": dict(settings or {}),
                "keywords": {k: list(v) for k, v in (keywords or {}).items()},
                "tags": dict(tags or {}),
                "system_tags": dict(system_tags or {}),
            },
        )
        return result

    def add_fault(
        self,
        operation: str,
        kind: str,
        count: int = 1,
        latency_seconds: float = 0.0,
        when: str = "before",
        *,
        skip: int = 0,
    ) -> None:
        """After ``skip`` calls of ``operation`` ("*" = any) pass, the next ``count`` get fault ``kind``."""
        self._post(
            "faults/add",
            {
                "operation": operation,
                "kind": kind,
                "count": count,
                "latency_seconds": latency_seconds,
                "when": when,
                "skip": skip,
            },
        )

    def clear_faults(self) -> None:
        self._post("faults/clear")

    def set_rate_limits(self, limits: Mapping[str, float]) -> None:
        """Requests per second per operation ("*" = every operation); replaces earlier limits."""
        self._post("rate-limits", {"limits": dict(limits)})

    def set_rate_profile(self, profile: str) -> None:
        """``realistic`` = the documented 1 request/s per operation; ``off`` = no limits."""
        self._post("rate-profile", {"profile": profile})

    def calls(self) -> list[dict[str, Any]]:
        """AWS API calls in arrival order: operation, request, outcome, reason, started, duration."""
        result: list[dict[str, Any]] = self._post("calls")
        return result

    def clear_calls(self) -> None:
        self._post("calls/clear")
