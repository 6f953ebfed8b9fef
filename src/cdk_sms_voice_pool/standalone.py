"""The provider as plain CloudFormation: a self-contained template and its code zip, for users without CDK.

``python -m cdk_sms_voice_pool.standalone --outdir dist`` (``make package``) writes

* ``sms-voice-pool-provider.template.json``: :class:`SmsVoicePoolProviderStack` with no reference
  to the CDK bootstrap stack; the Lambda code's location is two parameters, ``CodeS3Bucket`` and
  ``CodeS3Key`` (default: the zip's name), next to ``PassRoleIamPath``;
* ``sms-voice-pool-provider-<version>-<hash>.zip``: the Lambda code (handler + crhelper). Its name
  changes with its content, so deploying a new zip under its default key updates the function.

Deploy with the AWS CLI alone: upload the zip to a bucket of the account and region, then
``aws cloudformation deploy --template-file <template> --stack-name SmsVoicePoolProvider
--capabilities CAPABILITY_IAM --parameter-overrides CodeS3Bucket=<bucket>``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any, Final

import aws_cdk as cdk

from cdk_sms_voice_pool.provider_code import handler_dir, source_hash
from cdk_sms_voice_pool.provider_stack import STACK_ID, SmsVoicePoolProviderStack

TEMPLATE_FILE: Final = "sms-voice-pool-provider.template.json"
CODE_ZIP_PREFIX: Final = "sms-voice-pool-provider"
# Frozen: users pass them by name.
CODE_BUCKET_PARAMETER: Final = "CodeS3Bucket"
CODE_KEY_PARAMETER: Final = "CodeS3Key"


@dataclass(frozen=True)
class PackagedProvider:
    """What :func:`package` wrote."""

    template: Path
    code_zip: Path


class _ParameterCodeSynthesizer(cdk.StackSynthesizer):
    """A stack synthesizer for templates deployed without CDK: the single file asset (the Lambda
    code) is read from S3 at the location the ``CodeS3Bucket``/``CodeS3Key`` parameters give;
    nothing refers to a bootstrap stack."""

    def __init__(self, code_key_default: str) -> None:
        super().__init__()
        self._code_key_default = code_key_default
        self.asset_file_name: str | None = None

    # jsii calls back with the source struct as one positional argument, although the typed
    # interface declares keyword arguments; accept either.
    def add_file_asset(self, *args: Any, **kwargs: Any) -> cdk.FileAssetLocation:
        asset: cdk.FileAssetSource = args[0] if args else cdk.FileAssetSource(**kwargs)
        if self.asset_file_name is not None:
            raise RuntimeError(
                "the standalone provider template holds exactly one file asset (its Lambda code)"
            )
        if asset.file_name is None or asset.packaging != cdk.FileAssetPackaging.ZIP_DIRECTORY:
            raise RuntimeError(
                f"unexpected asset {asset.file_name!r} ({asset.packaging}) in the provider stack"
            )
        self.asset_file_name = asset.file_name
        stack = self.bound_stack
        bucket = cdk.CfnParameter(
            stack,
            CODE_BUCKET_PARAMETER,
            type="String",
            min_length=3,
            description="S3 bucket (same account and region) holding the provider's Lambda code zip",
        )
        key = cdk.CfnParameter(
            stack,
            CODE_KEY_PARAMETER,
            type="String",
            default=self._code_key_default,
            min_length=1,
            description="S3 key of the provider's Lambda code zip. Default: the zip built with this template",
        )
        bucket_name, object_key = bucket.value_as_string, key.value_as_string
        return cdk.FileAssetLocation(
            bucket_name=bucket_name,
            object_key=object_key,
            http_url=f"https://s3.{stack.region}.{stack.url_suffix}/{bucket_name}/{object_key}",
            s3_object_url=f"s3://{bucket_name}/{object_key}",
        )

    def add_docker_image_asset(self, *_args: Any, **_kwargs: Any) -> cdk.DockerImageAssetLocation:
        raise RuntimeError("the standalone provider template cannot hold a Docker image asset")

    def synthesize(self, session: cdk.ISynthesisSession) -> None:
        self._synthesize_template(session)
        self._emit_artifact(session)

    @property
    def bound_stack(self) -> cdk.Stack:
        stack = self._bound_stack
        assert stack is not None  # bound by the stack's constructor before any asset is added
        return stack


def _code_zip_name(content_hash: str) -> str:
    return f"{CODE_ZIP_PREFIX}-{version('cdk-sms-voice-pool')}-{content_hash[:12]}.zip"


def package(outdir: Path) -> PackagedProvider:
    """Write the standalone provider template and its code zip into ``outdir``; return their paths."""
    outdir.mkdir(parents=True, exist_ok=True)
    zip_name = _code_zip_name(source_hash(handler_dir()))
    synthesizer = _ParameterCodeSynthesizer(zip_name)
    with tempfile.TemporaryDirectory(prefix="sms-voice-pool-provider-") as assembly_dir:
        app = cdk.App(outdir=assembly_dir, analytics_reporting=False)
        SmsVoicePoolProviderStack(app, STACK_ID, synthesizer=synthesizer)
        assembly = app.synth()
        template: dict[str, Any] = assembly.get_stack_by_name(STACK_ID).template
        if synthesizer.asset_file_name is None:
            raise RuntimeError("the provider stack declared no Lambda code asset")
        code_dir = Path(assembly_dir) / synthesizer.asset_file_name
        code_zip = outdir / zip_name
        shutil.make_archive(str(code_zip.with_suffix("")), "zip", root_dir=code_dir)
    template_file = outdir / TEMPLATE_FILE
    template_file.write_text(json.dumps(template, indent=1) + "\n")
    return PackagedProvider(template=template_file, code_zip=code_zip)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--outdir", type=Path, default=Path("dist"), help="Default: dist")
    arguments = parser.parse_args(argv)
    packaged = package(arguments.outdir)
    print(f"wrote {packaged.template} and {packaged.code_zip}")


if __name__ == "__main__":
    main()
