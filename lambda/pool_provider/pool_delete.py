"""Delete: the pool, its replacement hand-back, and an already-gone pool answered as success."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Final

import contract
from contract import PHONE_NUMBER, Home
from pool_apply import associate
from pool_errors import ApiCall, PoolConflictError, PoolProviderError, error_names
from pool_handover import Handover, read_handover
from pool_identities import Identity
from pool_state import list_tags
from pool_waiter import TimeBudget, describe_pool, is_settled, wait_for_pool

if TYPE_CHECKING:
    from mypy_boto3_pinpoint_sms_voice_v2 import PinpointSMSVoiceV2Client

logger = logging.getLogger(__name__)

# DeletePool's refusals the Delete acts on: protection (perhaps a replacement's hand-over mark, see
# pool_handover), and a pool still CREATING or UPDATING (wait, then try again).
_PROTECTED: Final = "DELETION_PROTECTION_ENABLED"
_NOT_ACTIVE: Final = "RESOURCE_NOT_ACTIVE"


def delete_pool_resource(
    client: PinpointSMSVoiceV2Client,
    physical_id: str,
    budget: TimeBudget,
    *,
    home: Home | None = None,
    template_protected: bool = False,
) -> None:
    """Delete the pool; a foreign id, a pool already gone or one already DELETING is success.

    One DeletePool call. A pool protected by a replacement's hand-over mark (not by the template,
    ``template_protected``) is deleted all the same, and its phone numbers go back to the pool they
    came from if that still exists (a rolled-back replacement): see pool_handover.
    """
    if not contract.is_pool_id(physical_id):
        logger.info("PhysicalResourceId %s names no pool; nothing to delete", physical_id)
        return
    while True:
        with ApiCall(
            "DeletePool",
            physical_id,
            tolerate=("ResourceNotFoundException",),
            expect=(_PROTECTED, _NOT_ACTIVE),
        ) as deletion:
            client.delete_pool(PoolId=physical_id)
        refused = deletion.expected
        if refused is None:
            return
        if _PROTECTED in error_names(refused):
            handover = None if template_protected else _handover_of(client, physical_id, home)
            if handover is None:
                raise PoolConflictError(
                    f"Pool {physical_id} has {contract.DELETION_PROTECTION_ENABLED} true. To delete it, "
                    f"set {contract.DELETION_PROTECTION_ENABLED} to false and deploy first; to keep it, "
                    "retain the resource (DeletionPolicy: Retain, or retain it when deleting the stack)."
                ) from refused
            _delete_and_hand_back(client, physical_id, handover, budget)
            return
        pool = wait_for_pool(client, physical_id, budget, done=is_settled, waiting_for="ACTIVE to delete it")
        if pool is None or pool["Status"] == "DELETING":
            return


def _handover_of(client: PinpointSMSVoiceV2Client, pool_id: str, home: Home | None) -> Handover | None:
    """The hand-over mark of a protected pool (None: protected for another reason)."""
    if home is not None:
        pool_arn = f"arn:{home.partition}:sms-voice:{home.region}:{home.account}:pool/{pool_id}"
    else:
        info = describe_pool(client, pool_id)
        if info is None:
            return None
        pool_arn = info["PoolArn"]
    return read_handover(list_tags(client, pool_arn))


def _delete_and_hand_back(
    client: PinpointSMSVoiceV2Client, pool_id: str, handover: Handover, budget: TimeBudget
) -> None:
    """Lift the mark's protection, delete the pool, and give the numbers back to the old pool."""
    old = describe_pool(client, handover.old_pool_id)
    with ApiCall("DeletePool", pool_id):
        client.update_pool(PoolId=pool_id, DeletionProtectionEnabled=False)
        client.delete_pool(PoolId=pool_id)
    if old is None or old["Status"] != "ACTIVE":
        logger.info(
            "Pool %s that handed numbers to %s is gone; nothing to give back", handover.old_pool_id, pool_id
        )
        return
    # A phone number is free again only once its pool is gone.
    wait_for_pool(client, pool_id, budget, done=lambda p: p is None, waiting_for="deletion", cleanup=True)
    not_back: list[str] = []
    for identity_id, country in handover.numbers:
        arn = contract.arn_beside(str(old["PoolArn"]), f"{PHONE_NUMBER}/{identity_id}")
        member = Identity(PHONE_NUMBER, identity_id, arn, country)
        try:
            associate(client, handover.old_pool_id, member)
        except PoolProviderError as failure:
            logger.warning(
                "Could not give %s back to pool %s: %s", identity_id, handover.old_pool_id, failure
            )
            not_back.append(identity_id)
    if not_back:
        raise PoolProviderError(
            f"Pool {pool_id} was deleted, but {', '.join(not_back)} could not go back to pool "
            f"{handover.old_pool_id}; add them to it (or deploy its template again)."
        )
