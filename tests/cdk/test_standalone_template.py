"""`make package`: the provider as a plain CloudFormation template plus its code zip (no CDK needed)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import lint_file

from cdk_sms_voice_pool.provider_code import handler_dir
from cdk_sms_voice_pool.standalone import PackagedProvider, package


@pytest.fixture(scope="module")
def packaged(tmp_path_factory: pytest.TempPathFactory) -> PackagedProvider:
    return package(tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def template(packaged: PackagedProvider) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(packaged.template.read_text())
    return loaded


def test_the_template_needs_no_cdk_bootstrap_stack(template: dict[str, Any]) -> None:
    text = json.dumps(template)
    assert "cdk-hnb659fds" not in text
    assert "BootstrapVersion" not in text
    assert "Rules" not in template
    assert "CDKMetadata" not in template["Resources"]


def test_the_code_comes_from_the_bucket_and_key_parameters(
    template: dict[str, Any], packaged: PackagedProvider
) -> None:
    [function] = [r for r in template["Resources"].values() if r["Type"] == "AWS::Lambda::Function"]
    assert function["Properties"]["Code"] == {
        "S3Bucket": {"Ref": "CodeS3Bucket"},
        "S3Key": {"Ref": "CodeS3Key"},
    }
    parameters = template["Parameters"]
    assert set(parameters) == {"CodeS3Bucket", "CodeS3Key", "PassRoleIamPath"}
    assert "Default" not in parameters["CodeS3Bucket"]
    assert parameters["CodeS3Key"]["Default"] == packaged.code_zip.name
    assert template["Outputs"]["ServiceToken"]["Export"] == {"Name": "SmsVoicePoolProvider-ServiceToken"}


def test_the_zip_holds_the_handler_and_crhelper_at_its_root(packaged: PackagedProvider) -> None:
    names = set(zipfile.ZipFile(packaged.code_zip).namelist())
    handler_modules = {path.name for path in handler_dir().glob("*.py")}
    assert handler_modules <= names
    assert "crhelper/resource_helper.py" in names
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]


def test_the_template_is_cfn_lint_clean(packaged: PackagedProvider) -> None:
    assert [str(match) for match in lint_file(Path(packaged.template))] == []
