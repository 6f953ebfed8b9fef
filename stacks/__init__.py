"""This repository's own CDK app: its default stack and its ``-c`` settings.

The constructs themselves live in the ``cdk_sms_voice_pool`` package; this folder uses them exactly
as any other app does.
"""

from stacks.app_stack import AppStack

__all__ = ["AppStack"]
