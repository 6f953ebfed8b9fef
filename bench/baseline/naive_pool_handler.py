"""NAIVE BASELINE - for bench/ only, never deployed: a pool custom resource written the way blog posts do it.

crhelper with its defaults (DEBUG logging, sleep_on_delete=120) except the polling interval, set to
its 1-minute minimum. Create calls CreatePool and returns; crhelper then polls once a minute (an
EventBridge rule) until the pool is ACTIVE, when the other identities are associated and the optional
keywords put. Delete calls DeletePool and polls until the pool is gone. Update does nothing. No
pre-flight checks, no idempotency token, no clean-up after a failure, boto3's default retries.
"""

import boto3
from crhelper import CfnResource

helper = CfnResource(polling_interval=1)
client = boto3.client("pinpoint-sms-voice-v2")


@helper.create
def create(event, context):
    props = event["ResourceProperties"]
    pool = client.create_pool(
        OriginationIdentity=props["OriginationIdentities"][0],
        IsoCountryCode=props.get("IsoCountryCode", "US"),
        MessageType=props.get("MessageType", "TRANSACTIONAL"),
    )
    return pool["PoolId"]


@helper.poll_create
def poll_create(event, context):
    pool_id = event["CrHelperData"]["PhysicalResourceId"]
    pool = client.describe_pools(PoolIds=[pool_id])["Pools"][0]
    if pool["Status"] != "ACTIVE":
        return None
    props = event["ResourceProperties"]
    for identity in props["OriginationIdentities"][1:]:
        client.associate_origination_identity(
            PoolId=pool_id, OriginationIdentity=identity, IsoCountryCode=props.get("IsoCountryCode", "US")
        )
    for keyword in props.get("OptionalKeywords", []):
        client.put_keyword(
            OriginationIdentity=pool_id,
            Keyword=keyword["Keyword"],
            KeywordMessage=keyword["Message"],
            KeywordAction=keyword["Action"],
        )
    return pool_id


@helper.update
def update(event, context):
    return event["PhysicalResourceId"]  # "updates are not supported"


@helper.delete
def delete(event, context):
    client.delete_pool(PoolId=event["PhysicalResourceId"])


@helper.poll_delete
def poll_delete(event, context):
    try:
        client.describe_pools(PoolIds=[event["PhysicalResourceId"]])
    except client.exceptions.ResourceNotFoundException:
        return True
    return None


def handler(event, context):
    helper(event, context)
