"""Service errors, shaped like the modeled exceptions of ``pinpoint-sms-voice-v2``.

Each error carries the members the model gives its exception (Reason, ResourceType, ResourceId,
Fields), so boto3 raises the modeled class and ``e.response["Reason"]`` works.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An error answered to the client as AWS JSON 1.0 (``__type`` plus the modeled members)."""

    code = "InternalServerException"
    status = 400

    def __init__(self, message: str, **members: Any) -> None:
        super().__init__(message)
        self.message = message
        self.members = {key: value for key, value in members.items() if value is not None}

    def body(self) -> dict[str, Any]:
        # botocore reads "message" for the error message; the model names the member "Message".
        return {"__type": self.code, "message": self.message, "Message": self.message, **self.members}

    @property
    def reason(self) -> str | None:
        reason = self.members.get("Reason")
        return reason if isinstance(reason, str) else None


class ValidationError(ApiError):
    code = "ValidationException"

    def __init__(self, message: str, reason: str, fields: list[dict[str, str]] | None = None) -> None:
        super().__init__(message, Reason=reason, Fields=fields)


class ConflictError(ApiError):
    code = "ConflictException"

    def __init__(self, message: str, reason: str, resource_type: str, resource_id: str) -> None:
        super().__init__(message, Reason=reason, ResourceType=resource_type, ResourceId=resource_id)


class NotFoundError(ApiError):
    code = "ResourceNotFoundException"

    def __init__(self, resource_type: str, resource_id: str) -> None:
        super().__init__(
            f"The {resource_type} {resource_id!r} does not exist.",
            ResourceType=resource_type,
            ResourceId=resource_id,
        )


class QuotaExceededError(ApiError):
    code = "ServiceQuotaExceededException"

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message, Reason=reason)


class ThrottlingError(ApiError):
    code = "ThrottlingException"

    def __init__(self, operation: str) -> None:
        super().__init__(f"Rate exceeded for {operation}.")


class InternalServerError(ApiError):
    code = "InternalServerException"
    status = 500

    def __init__(self, request_id: str) -> None:
        super().__init__("An internal error occurred (injected by the emulator).", RequestId=request_id)


class UnknownOperationError(ApiError):
    code = "UnknownOperationException"

    def __init__(self, target: str) -> None:
        super().__init__(f"Unknown operation {target!r}.")
