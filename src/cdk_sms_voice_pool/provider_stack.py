"""``SmsVoicePoolProviderStack``: the pool provider in a stack of its own, its ServiceToken exported.

Plain CloudFormation templates and other CDK apps in the same account and region then create pools
with ``Fn::ImportValue`` of :data:`SERVICE_TOKEN_EXPORT_NAME`. Their two-way channel roles are
created there too, so the stack parameter :data:`PASS_ROLE_IAM_PATH_PARAMETER` lets the provider
pass roles under one IAM path.
"""

from __future__ import annotations

from typing import Any, Final

import aws_cdk as cdk
from constructs import Construct

from cdk_sms_voice_pool.provider import (
    IAM_PATH_PATTERN,
    SmsVoicePoolProvider,
    acknowledge_pass_roles_under_path,
)

STACK_ID: Final = "SmsVoicePoolProvider"
# Frozen: templates import the ServiceToken by this name, and an export in use cannot change.
SERVICE_TOKEN_EXPORT_NAME: Final = "SmsVoicePoolProvider-ServiceToken"  # noqa: S105 - an export name, not a secret
# Frozen: deployed stacks and scripts pass it by name.
PASS_ROLE_IAM_PATH_PARAMETER: Final = "PassRoleIamPath"  # noqa: S105 - a parameter name, not a secret


class SmsVoicePoolProviderStack(cdk.Stack):
    """The pool provider and its exported ServiceToken.

    Its parameter ``PassRoleIamPath`` (default empty: no such grant) lets the provider pass to SMS
    any role under that IAM path, e.g. ``/sms-two-way/``: create the two-way channel roles of pools
    in other stacks with that path.
    """

    def __init__(self, scope: Construct, construct_id: str = STACK_ID, **kwargs: Any) -> None:
        """Define the provider stack.

        :param construct_id: Default: ``SmsVoicePoolProvider`` (the stack name).
        :param kwargs: ``cdk.Stack`` arguments (``env``, ``synthesizer``, ...). Default description:
            the provider's purpose; default environment: the account and region of the deploying
            credentials.
        """
        kwargs.setdefault(
            "description",
            "Custom::SmsVoicePool provider (Amazon SMS pools as a CloudFormation custom resource)",
        )
        super().__init__(scope, construct_id, **kwargs)
        self.provider = SmsVoicePoolProvider.get_or_create(self)
        self.pass_role_iam_path = cdk.CfnParameter(
            self,
            PASS_ROLE_IAM_PATH_PARAMETER,
            type="String",
            default="",
            allowed_pattern=f"^$|^{IAM_PATH_PATTERN}$",
            constraint_description="empty, or an IAM path other than / such as /sms-two-way/",
            description="IAM path (such as /sms-two-way/) of two-way channel roles that pools in other "
            "stacks use; the provider may pass roles under it to SMS. Empty: none.",
        )
        has_path = cdk.CfnCondition(
            self,
            "HasPassRoleIamPath",
            expression=cdk.Fn.condition_not(
                cdk.Fn.condition_equals(self.pass_role_iam_path.value_as_string, "")
            ),
        )
        pass_roles = self.provider.grant_pass_roles_under_path(self.pass_role_iam_path.value_as_string)
        acknowledge_pass_roles_under_path(pass_roles, f"<{PASS_ROLE_IAM_PATH_PARAMETER}>")
        policy_resource = pass_roles.node.default_child
        if isinstance(policy_resource, cdk.CfnResource):
            policy_resource.cfn_options.condition = has_path
        cdk.CfnOutput(
            self,
            "ServiceToken",
            value=self.provider.service_token,
            description="ServiceToken for Custom::SmsVoicePool resources in this account and region",
            export_name=SERVICE_TOKEN_EXPORT_NAME,
        )
