"""``SmsVoicePoolProvider``: the Lambda function behind every ``Custom::SmsVoicePool`` in a stack.

The handler (``lambda/pool_provider``) uses crhelper, which answers CloudFormation itself, so the
ServiceToken is the function's ARN; there is deliberately no ``custom_resources.Provider`` in front.
"""

from __future__ import annotations

import re
from typing import Final

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from cdk_sms_voice_pool import contract
from cdk_sms_voice_pool.bundling import lambda_code

# Frozen: the construct path names the function, so changing this id replaces the provider, and a
# custom resource's ServiceToken can never be changed afterwards.
PROVIDER_ID: Final = "SmsVoicePoolProvider" + "c8ad61f620fc4716bc8c9221217025c2"

HANDLER: Final = "index.handler"
RUNTIME: Final = lambda_.Runtime.PYTHON_3_14
ARCHITECTURE: Final = lambda_.Architecture.ARM_64
# Creating a pool waits for it to become ACTIVE and deleting one waits for it to go; both take
# seconds to a few minutes. The handler stops waiting before this and answers FAILED itself.
FUNCTION_TIMEOUT: Final = cdk.Duration.minutes(5)
# A little above the function timeout: if the handler never answers (a crash at import, a lost
# reply), the stack fails in minutes instead of CloudFormation's default hour.
SERVICE_TIMEOUT: Final = cdk.Duration.minutes(6)
LOG_RETENTION: Final = logs.RetentionDays.ONE_MONTH
SMS_VOICE_SERVICE_PRINCIPAL: Final = "sms-voice.amazonaws.com"

# The calls the handler makes, grouped by the resource types the IAM service authorization
# reference lets each be scoped to (resource types not marked required are still checked when the
# request names such a resource).
POOL_ACTIONS: Final = (
    "sms-voice:AssociateOriginationIdentity",
    "sms-voice:DeleteKeyword",
    "sms-voice:DeletePool",
    "sms-voice:DescribeKeywords",
    "sms-voice:DescribePools",
    "sms-voice:DisassociateOriginationIdentity",
    "sms-voice:ListPoolOriginationIdentities",
    "sms-voice:ListTagsForResource",
    "sms-voice:PutKeyword",
    "sms-voice:TagResource",
    "sms-voice:UntagResource",
    "sms-voice:UpdatePool",
)
PHONE_NUMBER_ACTIONS: Final = (
    "sms-voice:AssociateOriginationIdentity",
    "sms-voice:CreatePool",
    # The keywords a pool inherits are read from its first phone number.
    "sms-voice:DescribeKeywords",
    "sms-voice:DescribePhoneNumbers",
    "sms-voice:DisassociateOriginationIdentity",
)
SENDER_ID_ACTIONS: Final = (
    "sms-voice:AssociateOriginationIdentity",
    "sms-voice:CreatePool",
    "sms-voice:DescribeSenderIds",
    "sms-voice:DisassociateOriginationIdentity",
)
OPT_OUT_LIST_ACTIONS: Final = ("sms-voice:DescribeOptOutLists", "sms-voice:UpdatePool")
LOG_ACTIONS: Final = ("logs:CreateLogStream", "logs:PutLogEvents")
# An IAM path other than the root "/": one or more segments, starting and ending with "/".
IAM_PATH_PATTERN: Final = r"(/[A-Za-z0-9+=,.@_-]+)+/"


class SmsVoicePoolProvider(Construct):
    """The pool provider function, its role and its log group: one per stack.

    Use :meth:`get_or_create` rather than the constructor; every ``SmsVoicePool`` in a stack shares
    the instance it returns. Its role may call only the ``sms-voice`` actions the handler uses, on
    pools, phone numbers, sender IDs and opt-out lists of this account and region, and write to its
    own log group. ``iam:PassRole`` is added per two-way channel role, by the pools that need it,
    and for whole IAM paths by :meth:`grant_pass_roles_under_path`.
    """

    def __init__(self, scope: Construct, construct_id: str) -> None:
        """Define the provider; prefer :meth:`get_or_create`, which uses the frozen construct id.

        The log group keeps 30 days of logs and is deleted with the stack; the function runs the
        newest Python on arm64 with a 5-minute timeout and no Lambda retries.
        """
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)

        self.log_group = logs.LogGroup(
            self,
            "LogGroup",
            retention=LOG_RETENTION,
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )

        # Our own role, so that no AWS managed policy (AWSLambdaBasicExecutionRole) is attached; in
        # particular not logs:CreateLogGroup, with which a late invocation would re-create the log
        # group with no retention after the stack deleted it.
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Lets the {contract.RESOURCE_TYPE} provider manage SMS pools and write its logs.",
        )

        def arn(resource: str) -> str:
            return stack.format_arn(service="sms-voice", resource=resource, resource_name="*")

        for sid, actions, resources in (
            ("ManagePools", POOL_ACTIONS, [arn("pool")]),
            ("UsePhoneNumbers", PHONE_NUMBER_ACTIONS, [arn("phone-number")]),
            ("UseSenderIds", SENDER_ID_ACTIONS, [arn("sender-id")]),
            ("UseOptOutLists", OPT_OUT_LIST_ACTIONS, [arn("opt-out-list")]),
            ("WriteLogs", LOG_ACTIONS, [self.log_group.log_group_arn]),
        ):
            self.role.add_to_principal_policy(
                iam.PolicyStatement(sid=sid, actions=list(actions), resources=resources)
            )

        # Pool ids are generated by the service and identities are chosen per pool (and a provider
        # serves every stack that imports its ServiceToken), so no narrower ARN exists at synth.
        cdk.Validations.of(self.role).acknowledge(
            *(
                cdk.Acknowledgment(
                    id=f"AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:"
                    f"<AWS::Region>:<AWS::AccountId>:{resource}/*]",
                    reason=reason,
                )
                for resource, reason in (
                    (
                        "pool",
                        "Pool ids are generated by SMS at CreatePool; the handler manages the pools it made.",
                    ),
                    (
                        "phone-number",
                        "Pools may hold any phone number of the account; ids come from each template.",
                    ),
                    (
                        "sender-id",
                        "Pools may hold any sender ID of the account; ids come from each template.",
                    ),
                    (
                        "opt-out-list",
                        "UpdatePool may set (the handler first checks) any opt-out list named in a template.",
                    ),
                )
            )
        )

        self.function = lambda_.Function(
            self,
            "Function",
            description=f"{contract.RESOURCE_TYPE} provider: creates, updates and deletes Amazon SMS pools.",
            code=lambda_code(RUNTIME),
            handler=HANDLER,
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            timeout=FUNCTION_TIMEOUT,
            memory_size=256,
            # Lambda retries a failed asynchronous invocation; CloudFormation's request must be
            # answered once, and crhelper already answers FAILED for every handled error.
            retry_attempts=0,
            role=self.role,
            log_group=self.log_group,
        )
        # CDK adds DependsOn on the role next to the GetAtt of its ARN, so that the function is also
        # created after the role's policy; cfn-lint reports the role part (W3005) as redundant.
        function_resource = self.function.node.default_child
        if isinstance(function_resource, cdk.CfnResource):
            function_resource.add_metadata("cfn-lint", {"config": {"ignore_checks": ["W3005"]}})
        self._pass_role_arns: set[str] = set()
        self._pass_role_paths: dict[str, iam.Policy] = {}

    @classmethod
    def get_or_create(cls, scope: Construct) -> SmsVoicePoolProvider:
        """The provider of ``scope``'s stack, created on first use."""
        stack = cdk.Stack.of(scope)
        existing = stack.node.try_find_child(PROVIDER_ID)
        if existing is None:
            return cls(stack, PROVIDER_ID)
        if not isinstance(existing, SmsVoicePoolProvider):
            raise TypeError(
                f"construct id {PROVIDER_ID!r} in stack {stack.stack_name} is not a pool provider"
            )
        return existing

    @property
    def service_token(self) -> str:
        """The ServiceToken of ``Custom::SmsVoicePool`` resources: the function's ARN."""
        return self.function.function_arn

    @property
    def grant_principal(self) -> iam.IPrincipal:
        """The principal the handler runs as (its role)."""
        return self.role

    def add_to_role_policy(self, statement: iam.PolicyStatement) -> None:
        """Add a statement to the handler's role (a singleton role gathers every caller's grants)."""
        self.role.add_to_principal_policy(statement)

    def grant_pass_two_way_channel_role(self, role_arn: str) -> None:
        """Let the handler pass ``role_arn`` to SMS (a pool's ``TwoWay.ChannelRole``), once per ARN."""
        if role_arn in self._pass_role_arns:
            return
        self._pass_role_arns.add(role_arn)
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["iam:PassRole"],
                resources=[role_arn],
                conditions={"StringEquals": {"iam:PassedToService": SMS_VOICE_SERVICE_PRINCIPAL}},
            )
        )

    def grant_pass_roles_under_path(self, iam_path: str) -> iam.Policy:
        """Let the handler pass to SMS (only) any role of this account whose IAM path starts with
        ``iam_path``, such as ``"/sms-two-way/"``: for two-way channel roles that stacks other than
        this one create. Returns the policy holding the grant (one per path), so that a caller may
        make it conditional.

        Raises ``ValueError`` for a literal path that is not of the form ``/segment/.../`` (the root
        path ``/`` is refused: it would cover every role of the account).
        """
        if not cdk.Token.is_unresolved(iam_path) and not re.fullmatch(IAM_PATH_PATTERN, iam_path):
            raise ValueError(
                f"SmsVoicePoolProvider iam_path={iam_path!r} is invalid: give an IAM path other than / "
                'that starts and ends with /, such as "/sms-two-way/"'
            )
        existing = self._pass_role_paths.get(iam_path)
        if existing is not None:
            return existing
        stack = cdk.Stack.of(self)
        policy = iam.Policy(
            self,
            f"PassRolesUnderPath{len(self._pass_role_paths) + 1}",
            statements=[
                iam.PolicyStatement(
                    sid="PassTwoWayChannelRoles",
                    actions=["iam:PassRole"],
                    resources=[f"arn:{stack.partition}:iam::{stack.account}:role{iam_path}*"],
                    conditions={"StringEquals": {"iam:PassedToService": SMS_VOICE_SERVICE_PRINCIPAL}},
                )
            ],
        )
        policy.attach_to_role(self.role)
        if not cdk.Token.is_unresolved(iam_path):
            acknowledge_pass_roles_under_path(policy, iam_path)
        self._pass_role_paths[iam_path] = policy
        return policy


def acknowledge_pass_roles_under_path(policy: iam.Policy, rendered_path: str) -> None:
    """Record why the grant of :meth:`SmsVoicePoolProvider.grant_pass_roles_under_path` has a
    wildcard. ``rendered_path`` is the path as cdk-nag shows it: the literal, or ``<ParameterId>``."""
    cdk.Validations.of(policy).acknowledge(
        cdk.Acknowledgment(
            id="AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:"
            f"role{rendered_path}*]",
            reason="Roles under one IAM path, passed to SMS only: the path is the grant's scope.",
        )
    )
