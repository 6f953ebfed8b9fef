"""Server side of the control plane: reset, seeding, fault plans, rate limits, the call log."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from localcloud.sms_voice.api_errors import ApiError
from localcloud.sms_voice.faults import REALISTIC_RATE, CallLog, Fault, FaultBook
from localcloud.sms_voice.model_validation import operation_model, require_valid
from localcloud.sms_voice.resource_operations import new_phone_number
from localcloud.sms_voice.service import Service
from localcloud.sms_voice.state import OptOutList, SenderId, default_keywords
from localcloud.sms_voice.views import opt_out_list_info, phone_number_info, sender_id_info

_NUMBER_STATUSES = ("PENDING", "ACTIVE", "ASSOCIATING", "DISASSOCIATING", "DELETED")
_KEYWORD_ACTIONS = ("AUTOMATIC_RESPONSE", "OPT_OUT", "OPT_IN")


class ControlRequestError(ValueError):
    """A control-plane request with a bad argument (answered with HTTP 400)."""


@dataclass
class ControlPlane:
    service: Service
    faults: FaultBook
    calls: CallLog
    operations: tuple[str, ...]

    def handle(self, action: str, body: dict[str, Any]) -> Any:
        try:
            return self._dispatch(action, body)
        except (KeyError, TypeError, ValueError) as error:
            raise ControlRequestError(f"{action}: {type(error).__name__}: {error}") from error

    def _dispatch(self, action: str, body: dict[str, Any]) -> Any:
        simple: dict[str, Callable[[], Any]] = {
            "health": lambda: {"ok": True},
            "reset": self._reset,
            "calls": self.calls.as_dicts,
            "calls/clear": self.calls.clear,
            "faults/clear": self.faults.clear_faults,
            "page-size": lambda: self._set_page_size(body["size"]),
        }
        if action in simple:
            return simple[action]()
        if action == "activation-delay":
            seconds = float(body["seconds"])
            if seconds < 0:
                raise ValueError("seconds must not be negative")
            self.service.activation_delay = seconds
            return None
        if action == "faults/add":
            fault = Fault(**body)
            if fault.operation != "*" and fault.operation not in self.operations:
                raise ValueError(f"unknown operation {fault.operation!r}")
            self.faults.add(fault)
            return None
        if action == "rate-limits":
            limits = {str(k): float(v) for k, v in dict(body["limits"]).items()}
            self.faults.set_rates(limits)
            return None
        if action == "rate-profile":
            return self._rate_profile(body["profile"])
        seeders = {
            "seed/phone-number": self._seed_phone_number,
            "seed/sender-id": self._seed_sender_id,
            "seed/opt-out-list": self._seed_opt_out_list,
            "seed/pool": self._seed_pool,
        }
        if action in seeders:
            with self.service.lock:
                result = seeders[action](body)
                self.service.changed()
                return result
        raise KeyError(f"no control action {action!r}")

    def _set_page_size(self, size: Any) -> None:
        if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 1):
            raise ValueError("size must be a whole number of at least 1, or null")
        self.service.max_page_size = size

    def _reset(self) -> None:
        self.service.reset()
        self.faults.reset()
        self.calls.clear()

    def _rate_profile(self, profile: str) -> None:
        if profile == "realistic":
            self.faults.set_rates(dict.fromkeys(self.operations, REALISTIC_RATE))
        elif profile == "off":
            self.faults.set_rates({})
        else:
            raise ValueError(f"rate profile {profile!r} is not 'realistic' or 'off'")

    def _seed_phone_number(self, body: dict[str, Any]) -> dict[str, Any]:
        if body["status"] not in _NUMBER_STATUSES:
            raise ValueError(f"status {body['status']!r} is not one of {_NUMBER_STATUSES}")
        keywords = default_keywords()
        for name, entry in (body.pop("keywords") or {}).items():
            message, action = entry
            if action not in _KEYWORD_ACTIONS:
                raise ValueError(f"keyword {name}: action {action!r} is not one of {_KEYWORD_ACTIONS}")
            keywords[name] = [str(message), action]
        self._ensure_opt_out_list(body["opt_out_list_name"])
        phone = new_phone_number(self.service, keywords=keywords, **body)
        return phone_number_info(self.service.arns, phone)

    def _seed_sender_id(self, body: dict[str, Any]) -> dict[str, Any]:
        sender = SenderId(
            sender_id=str(body["sender_id"]),
            iso_country_code=str(body["iso_country_code"]),
            message_types=[str(m) for m in body["message_types"]],
        )
        self.service.account.sender_ids[f"{sender.sender_id}/{sender.iso_country_code}"] = sender
        return sender_id_info(self.service.arns, sender)

    def _seed_pool(self, body: dict[str, Any]) -> dict[str, Any]:
        """A pool made the way a console user makes one, through the API's own rules (so a bad seed
        fails like the console would, and leaves nothing behind), but unlogged and ACTIVE at once
        (the user waited for it)."""
        svc = self.service
        identities = [str(identity) for identity in body["origination_identities"]]
        if not identities:
            raise ValueError("origination_identities is empty: a pool is created from an identity")
        tags = [{"Key": str(key), "Value": str(value)} for key, value in dict(body["tags"]).items()]
        # The caller holds svc.lock: no request changes the account between the copy and a restore.
        before = copy.deepcopy(svc.account)
        try:
            created = self._api_call(
                "CreatePool",
                {
                    "OriginationIdentity": identities[0],
                    "MessageType": str(body["message_type"]),
                    "Tags": tags,
                },
            )
            pool_id = str(created["PoolId"])
            pool = svc.account.pools[pool_id]
            pool.active_at = pool.created
            # Tags AWS itself sets (a native AWS::SMSVOICE::Pool gets aws:cloudformation:*); the API
            # refuses them from users.
            pool.tags.update({str(key): str(value) for key, value in dict(body["system_tags"]).items()})
            for identity in identities[1:]:
                self._api_call(
                    "AssociateOriginationIdentity", {"PoolId": pool_id, "OriginationIdentity": identity}
                )
            settings = dict(body["settings"])
            if settings:
                self._api_call("UpdatePool", {"PoolId": pool_id, **settings})
            for keyword, (message, action) in dict(body["keywords"]).items():
                self._api_call(
                    "PutKeyword",
                    {
                        "OriginationIdentity": pool_id,
                        "Keyword": keyword,
                        "KeywordMessage": message,
                        "KeywordAction": action,
                    },
                )
            described: dict[str, Any] = self._api_call("DescribePools", {"PoolIds": [pool_id]})["Pools"][0]
        except Exception as error:
            # A refused step undoes the ones before it: no half-made pool is left behind.
            svc.account = before
            if isinstance(error, ApiError):
                raise ValueError(f"{error.code}: {error.message}") from error
            raise
        return described

    def _api_call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """``operation``'s handler, after the input validation the API makes first (unlogged, no faults)."""
        model = operation_model(operation)
        if model is None:
            raise KeyError(f"{operation} is not an operation of the service model")
        require_valid(model, params)
        return self.service.handlers[operation](self.service, params)

    def _seed_opt_out_list(self, body: dict[str, Any]) -> dict[str, Any]:
        return opt_out_list_info(self.service.arns, self._ensure_opt_out_list(str(body["name"])))

    def _ensure_opt_out_list(self, name: str) -> OptOutList:
        lists = self.service.account.opt_out_lists
        if name not in lists:
            lists[name] = OptOutList(name, self.service.clock())
        return lists[name]
