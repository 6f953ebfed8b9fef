#!/usr/bin/env python3
"""The CDK app: ``cdk deploy`` deploys the pool provider, and a pool with ``-c originationIdentities=...``.

The stack is environment-agnostic: it deploys to the account and region of your AWS credentials,
and ``cdk synth`` needs no credentials at all.
"""

import aws_cdk as cdk

from stacks import AppStack

app = cdk.App()
AppStack(app)
app.synth()
