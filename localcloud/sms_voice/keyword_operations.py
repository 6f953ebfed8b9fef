"""Keywords on pools and phone numbers: PutKeyword, DeleteKeyword, DescribeKeywords."""

from __future__ import annotations

from typing import Any

from localcloud.sms_voice.api_errors import ConflictError, NotFoundError, QuotaExceededError, ValidationError
from localcloud.sms_voice.service import Service, apply_filters, paginate, with_next_token
from localcloud.sms_voice.state import Keywords
from localcloud.sms_voice.views import keyword_info

KEYWORDS_PER_POOL = 30
KEYWORDS_PER_PHONE_NUMBER = 30
MANDATORY_KEYWORD_ACTIONS = {"HELP": "AUTOMATIC_RESPONSE", "STOP": "OPT_OUT"}


# (the most keywords, the QuotaExceeded reason) for a pool and for a phone number
_POOL_QUOTA = (KEYWORDS_PER_POOL, "KEYWORDS_PER_POOL")
_PHONE_QUOTA = (KEYWORDS_PER_PHONE_NUMBER, "KEYWORDS_PER_PHONE_NUMBER")


def _keyword_owner(svc: Service, id_or_arn: str, *, mutating: bool) -> tuple[str, str, Keywords, int, str]:
    """(ARN, id, keyword table, quota, quota reason) of the pool or phone number named."""
    if svc.names_type(id_or_arn, "pool", "pool-"):
        pool = svc.active_pool(id_or_arn) if mutating else svc.pool(id_or_arn)
        return svc.arns.pool(pool.pool_id), pool.pool_id, pool.keywords, *_POOL_QUOTA
    parsed = svc.arns.parse(id_or_arn)
    if parsed is not None and parsed[0] == "sender-id":
        raise ValidationError(
            "Sender IDs have no keywords; give a phone number or pool.",
            "INVALID_PARAMETER",
            [{"Name": "OriginationIdentity", "Message": "Must be a phone number or pool"}],
        )
    phone = svc.active_phone_number(id_or_arn) if mutating else svc.phone_number(id_or_arn)
    return svc.arns.phone_number(phone.phone_number_id), phone.phone_number_id, phone.keywords, *_PHONE_QUOTA


def _find_keyword(keywords: Keywords, keyword: str) -> str | None:
    """The stored spelling of ``keyword``; keywords match case-insensitively."""
    return next((name for name in keywords if name.upper() == keyword.upper()), None)


def put_keyword(svc: Service, params: dict[str, Any]) -> dict[str, Any]:
    arn, owner_id, keywords, quota, quota_reason = _keyword_owner(
        svc, params["OriginationIdentity"], mutating=True
    )
    keyword = params["Keyword"]
    existing = _find_keyword(keywords, keyword)
    mandatory_action = MANDATORY_KEYWORD_ACTIONS.get(keyword.upper())
    requested_action = params.get("KeywordAction")
    if mandatory_action is not None and requested_action not in (None, mandatory_action):
        raise ConflictError(
            f"The action of {keyword.upper()} is always {mandatory_action}; only its message can change.",
            "RESOURCE_MODIFICATION_NOT_ALLOWED",
            "keyword",
            keyword,
        )
    if existing is None and len(keywords) >= quota:
        raise QuotaExceededError(f"{owner_id} already has {quota} keywords.", quota_reason)
    default_action = keywords[existing][1] if existing is not None else "AUTOMATIC_RESPONSE"
    action = mandatory_action or requested_action or default_action
    if existing is not None:
        del keywords[existing]
    keywords[keyword] = [params["KeywordMessage"], action]
    return {
        "OriginationIdentityArn": arn,
        "OriginationIdentity": owner_id,
        **keyword_info(keyword, keywords[keyword]),
    }


def delete_keyword(svc: Service, params: dict[str, Any]) -> dict[str, Any]:
    arn, owner_id, keywords, _, _ = _keyword_owner(svc, params["OriginationIdentity"], mutating=True)
    keyword = params["Keyword"]
    if keyword.upper() in MANDATORY_KEYWORD_ACTIONS:
        raise ConflictError(
            f"{keyword.upper()} is mandatory and cannot be deleted; change its message with PutKeyword.",
            "RESOURCE_DELETION_NOT_ALLOWED",
            "keyword",
            keyword,
        )
    existing = _find_keyword(keywords, keyword)
    if existing is None:
        raise NotFoundError("keyword", keyword)
    entry = keywords.pop(existing)
    return {"OriginationIdentityArn": arn, "OriginationIdentity": owner_id, **keyword_info(existing, entry)}


def describe_keywords(svc: Service, params: dict[str, Any]) -> dict[str, Any]:
    arn, owner_id, keywords, _, _ = _keyword_owner(svc, params["OriginationIdentity"], mutating=False)
    names = list(keywords)
    wanted = params.get("Keywords")
    if wanted:
        names = []
        for keyword in wanted:
            existing = _find_keyword(keywords, keyword)
            if existing is None:
                raise NotFoundError("keyword", keyword)
            if existing not in names:
                names.append(existing)
    names = apply_filters(
        names,
        params.get("Filters"),
        {"keyword-action": lambda name: [keywords[name][1]]},
        {"keyword-action": ("AUTOMATIC_RESPONSE", "OPT_OUT", "OPT_IN")},
    )
    page, token = paginate("DescribeKeywords", names, params, svc.max_page_size)
    result = {
        "OriginationIdentityArn": arn,
        "OriginationIdentity": owner_id,
        "Keywords": [keyword_info(name, keywords[name]) for name in page],
    }
    return with_next_token(result, token)
