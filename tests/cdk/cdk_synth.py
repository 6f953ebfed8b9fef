"""Synthesis helpers for the CDK tests (fixtures are in conftest.py).

Every app here is synthesized the way ``cdk synth`` does it: with the feature flags from
``cdk.json`` and with cdk-nag's AwsSolutions checks registered, so an unacknowledged finding fails
synthesis (``ValidationFailed``) in whichever test first builds that app. A synth takes seconds, so
templates are built once per module.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import cx_api
from aws_cdk.assertions import Template
from cdk_nag import AwsSolutionsChecks

REPO_ROOT = Path(__file__).resolve().parents[2]
CDK_JSON = REPO_ROOT / "cdk.json"


def feature_flags() -> dict[str, Any]:
    """The context of ``cdk.json``: what ``cdk synth`` gives the real app."""
    context: dict[str, Any] = json.loads(CDK_JSON.read_text())["context"]
    return context


@dataclass(frozen=True)
class Synthesized:
    """One synthesized stack: its template (as a dict and for assertions) and where it was written."""

    stack: cdk.Stack
    assembly: cx_api.CloudAssembly
    template: dict[str, Any]

    @property
    def assertions(self) -> Template:
        return Template.from_json(self.template)

    @property
    def outdir(self) -> Path:
        return Path(self.assembly.directory)

    @property
    def template_file(self) -> Path:
        return self.outdir / f"{self.stack.artifact_id}.template.json"

    def resources(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {
            logical_id: resource
            for logical_id, resource in self.template["Resources"].items()
            if resource["Type"] == resource_type
        }

    def only_resource(self, resource_type: str) -> dict[str, Any]:
        found = self.resources(resource_type)
        assert len(found) == 1, f"expected one {resource_type}, found {sorted(found)}"
        return next(iter(found.values()))

    def asset_dir(self) -> Path:
        """The bundled Lambda asset folder of the (single) provider function."""
        function = self.only_resource("AWS::Lambda::Function")
        key: str = function["Properties"]["Code"]["S3Key"]
        return self.outdir / f"asset.{key.removesuffix('.zip')}"


def synthesize(
    build: Callable[[cdk.App], cdk.Stack], outdir: Path, context: dict[str, Any] | None = None
) -> Synthesized:
    """Build a stack in a fresh app (cdk.json flags + ``context``) and synthesize it with cdk-nag."""
    # The CDK CLI turns path metadata on; tests find resources by their construct path.
    cli_context = {"aws:cdk:enable-path-metadata": True}
    app = cdk.App(context={**feature_flags(), **cli_context, **(context or {})}, outdir=str(outdir))
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    stack = build(app)
    assembly = app.synth()
    template = assembly.get_stack_artifact(stack.artifact_id).template
    return Synthesized(stack=stack, assembly=assembly, template=template)
