"""Reading a pool: what DescribePools reports, its identities, keywords and tags.

Every listing reads every page (pool_paging; at most 100 items a page), so pools of any size read completely.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, cast

import contract
from pool_errors import ApiCall
from pool_identities import Identity, listed_identity
from pool_paging import all_items
from pool_planner import ActualPool, PoolSettings
from pool_properties import Keyword

if TYPE_CHECKING:
    from mypy_boto3_pinpoint_sms_voice_v2 import PinpointSMSVoiceV2Client
    from mypy_boto3_pinpoint_sms_voice_v2.literals import MessageTypeType

PAGE_SIZE: Final = 100


@dataclass(frozen=True)
class PoolFacts:
    """What DescribePools/CreatePool/UpdatePool report about a pool."""

    pool_id: str
    pool_arn: str
    status: str
    message_type: MessageTypeType
    settings: PoolSettings

    @classmethod
    def from_info(cls, info: Mapping[str, Any]) -> PoolFacts:
        return cls(
            pool_id=str(info["PoolId"]),
            pool_arn=str(info["PoolArn"]),
            status=str(info["Status"]),
            message_type=info["MessageType"],
            settings=PoolSettings(
                two_way_enabled=bool(info["TwoWayEnabled"]),
                two_way_channel_arn=info.get("TwoWayChannelArn"),
                two_way_channel_role=info.get("TwoWayChannelRole"),
                self_managed_opt_outs_enabled=bool(info["SelfManagedOptOutsEnabled"]),
                opt_out_list_name=str(info["OptOutListName"]),
                shared_routes_enabled=bool(info["SharedRoutesEnabled"]),
                deletion_protection_enabled=bool(info.get("DeletionProtectionEnabled", False)),
            ),
        )

    def attributes(self, iso_country_code: str) -> dict[str, str]:
        """The Fn::GetAtt attributes, every value a string."""

        def text(flag: bool) -> str:
            return "true" if flag else "false"

        return {
            contract.ATTR_POOL_ID: self.pool_id,
            contract.ATTR_ARN: self.pool_arn,
            contract.ATTR_MESSAGE_TYPE: self.message_type,
            contract.ATTR_ISO_COUNTRY_CODE: iso_country_code,
            contract.ATTR_STATUS: self.status,
            contract.ATTR_TWO_WAY_ENABLED: text(self.settings.two_way_enabled),
            contract.ATTR_SELF_MANAGED_OPT_OUTS_ENABLED: text(self.settings.self_managed_opt_outs_enabled),
            contract.ATTR_SHARED_ROUTES_ENABLED: text(self.settings.shared_routes_enabled),
            contract.ATTR_DELETION_PROTECTION_ENABLED: text(self.settings.deletion_protection_enabled),
            contract.ATTR_OPT_OUT_LIST_NAME: self.settings.opt_out_list_name or "",
        }


def list_members(client: PinpointSMSVoiceV2Client, pool_id: str) -> dict[str, Identity]:
    paginate = client.get_paginator("list_pool_origination_identities").paginate
    with ApiCall("ListPoolOriginationIdentities", pool_id):
        found = all_items(paginate, "OriginationIdentities", PoolId=pool_id, MaxResults=PAGE_SIZE)
    members = (listed_identity(cast("Mapping[str, Any]", entry)) for entry in found)
    return {member.key: member for member in members}


def list_keywords(client: PinpointSMSVoiceV2Client, pool_id: str) -> dict[str, Keyword]:
    paginate = client.get_paginator("describe_keywords").paginate
    with ApiCall("DescribeKeywords", pool_id):
        found = all_items(paginate, "Keywords", OriginationIdentity=pool_id, MaxResults=PAGE_SIZE)
    return {
        entry["Keyword"].upper(): Keyword(entry["Keyword"], entry["KeywordMessage"], entry["KeywordAction"])
        for entry in found
    }


def list_tags(client: PinpointSMSVoiceV2Client, pool_arn: str) -> dict[str, str]:
    with ApiCall("ListTagsForResource", pool_arn):
        tags = client.list_tags_for_resource(ResourceArn=pool_arn).get("Tags", [])
    return {tag["Key"]: tag["Value"] for tag in tags}


def read_pool(client: PinpointSMSVoiceV2Client, facts: PoolFacts) -> ActualPool:
    return ActualPool(
        pool_id=facts.pool_id,
        pool_arn=facts.pool_arn,
        settings=facts.settings,
        members=list_members(client, facts.pool_id),
        keywords=list_keywords(client, facts.pool_id),
        tags=list_tags(client, facts.pool_arn),
    )
