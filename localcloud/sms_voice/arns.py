"""ARNs exactly as the real service writes them, and parsing of ids-or-ARNs given by clients."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ArnFactory:
    region: str
    account_id: str

    @property
    def prefix(self) -> str:
        return f"arn:aws:sms-voice:{self.region}:{self.account_id}:"

    def pool(self, pool_id: str) -> str:
        return f"{self.prefix}pool/{pool_id}"

    def phone_number(self, phone_number_id: str) -> str:
        return f"{self.prefix}phone-number/{phone_number_id}"

    def sender_id(self, sender_id: str, iso_country_code: str) -> str:
        return f"{self.prefix}sender-id/{sender_id}/{iso_country_code}"

    def opt_out_list(self, name: str) -> str:
        return f"{self.prefix}opt-out-list/{name}"

    def parse(self, value: str) -> tuple[str, list[str]] | None:
        """(resource type, path parts) of an ARN in this account and region; None if not an ARN.

        An ARN of another partition, service, region or account names nothing here: it parses as
        resource type "" so callers answer ResourceNotFound.
        """
        if not value.startswith("arn:"):
            return None
        if not value.startswith(self.prefix):
            return "", [value]
        resource_type, _, rest = value[len(self.prefix) :].partition("/")
        return resource_type, rest.split("/") if rest else []
