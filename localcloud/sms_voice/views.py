"""Resources rendered as the model's output structures (PoolInformation, PhoneNumberInformation, ...)."""

from __future__ import annotations

from typing import Any

from localcloud.sms_voice.arns import ArnFactory
from localcloud.sms_voice.state import OptOutList, PhoneNumber, Pool, SenderId

MONTHLY_PRICE_PHONE_NUMBER = "2.00"
MONTHLY_PRICE_SENDER_ID = "0.00"


def tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in tags.items()]


def pool_info(arns: ArnFactory, pool: Pool, now: float) -> dict[str, Any]:
    info: dict[str, Any] = {
        "PoolArn": arns.pool(pool.pool_id),
        "PoolId": pool.pool_id,
        "Status": pool.status(now),
        "MessageType": pool.message_type,
        "TwoWayEnabled": pool.two_way_enabled,
        "SelfManagedOptOutsEnabled": pool.self_managed_opt_outs_enabled,
        "OptOutListName": pool.opt_out_list_name,
        "SharedRoutesEnabled": pool.shared_routes_enabled,
        "DeletionProtectionEnabled": pool.deletion_protection_enabled,
        "CreatedTimestamp": pool.created,
    }
    if pool.two_way_channel_arn is not None:
        info["TwoWayChannelArn"] = pool.two_way_channel_arn
    if pool.two_way_channel_role is not None:
        info["TwoWayChannelRole"] = pool.two_way_channel_role
    return info


def phone_number_info(arns: ArnFactory, phone: PhoneNumber) -> dict[str, Any]:
    info: dict[str, Any] = {
        "PhoneNumberArn": arns.phone_number(phone.phone_number_id),
        "PhoneNumberId": phone.phone_number_id,
        "PhoneNumber": phone.phone_number,
        "Status": phone.status,
        "IsoCountryCode": phone.iso_country_code,
        "MessageType": phone.message_type,
        "NumberCapabilities": list(phone.number_capabilities),
        "NumberType": phone.number_type,
        "MonthlyLeasingPrice": MONTHLY_PRICE_PHONE_NUMBER,
        "TwoWayEnabled": phone.two_way_enabled,
        "SelfManagedOptOutsEnabled": phone.self_managed_opt_outs_enabled,
        "OptOutListName": phone.opt_out_list_name,
        "InternationalSendingEnabled": phone.international_sending_enabled,
        "DeletionProtectionEnabled": phone.deletion_protection_enabled,
        "CreatedTimestamp": phone.created,
    }
    optional = {
        "TwoWayChannelArn": phone.two_way_channel_arn,
        "TwoWayChannelRole": phone.two_way_channel_role,
        "PoolId": phone.pool_id,
        "RegistrationId": phone.registration_id,
    }
    info.update({key: value for key, value in optional.items() if value is not None})
    return info


def sender_id_info(arns: ArnFactory, sender: SenderId) -> dict[str, Any]:
    return {
        "SenderIdArn": arns.sender_id(sender.sender_id, sender.iso_country_code),
        "SenderId": sender.sender_id,
        "IsoCountryCode": sender.iso_country_code,
        "MessageTypes": list(sender.message_types),
        "MonthlyLeasingPrice": MONTHLY_PRICE_SENDER_ID,
        "DeletionProtectionEnabled": sender.deletion_protection_enabled,
        "Registered": sender.registered,
    }


def opt_out_list_info(arns: ArnFactory, opt_out_list: OptOutList) -> dict[str, Any]:
    return {
        "OptOutListArn": arns.opt_out_list(opt_out_list.name),
        "OptOutListName": opt_out_list.name,
        "CreatedTimestamp": opt_out_list.created,
    }


def keyword_info(keyword: str, entry: list[str]) -> dict[str, str]:
    return {"Keyword": keyword, "KeywordMessage": entry[0], "KeywordAction": entry[1]}
