"""The patterns docs/cdk.md, README.md and examples/pool-patterns.yaml show are true: each is synthesized
(the docs' Python block is run as written) or linted and parsed by the handler."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import lint_file
from cfnlint.decode import decode
from pool_properties import parse_pool_properties

from cdk_sms_voice_pool.provider import IAM_PATH_PATTERN
from tests.cdk.cdk_synth import REPO_ROOT, Synthesized
from tests.cdk.template_resolver import resolve

CDK_DOC = REPO_ROOT / "docs" / "cdk.md"
CLOUDFORMATION_DOC = REPO_ROOT / "docs" / "cloudformation.md"
PATTERNS_TEMPLATE = REPO_ROOT / "examples" / "pool-patterns.yaml"
PHONE_ID = "phone-0123456789abcdef0123456789abcdef"
PHONE_ARN = f"arn:aws:sms-voice:us-east-1:111122223333:phone-number/{PHONE_ID}"
SENDER_ARN = "arn:aws:sms-voice:us-east-1:111122223333:sender-id/MYBRAND/GB"


def doc_block(marker: str, language: str, doc: Path = CDK_DOC) -> str:
    """The fenced ``language`` block right after ``<!-- synth-tested: marker... -->`` in ``doc``."""
    match = re.search(
        rf"<!-- synth-tested: {re.escape(marker)}[^>]*-->\n```{language}\n(.*?)\n```", doc.read_text(), re.S
    )
    assert match is not None, f"no {language} block marked {marker!r} in {doc}"
    return match.group(1)


@pytest.fixture(scope="module")
def patterns(synth: Callable[..., Synthesized]) -> Synthesized:
    namespace: dict[str, Any] = {}
    exec(doc_block("tests/cdk/test_doc_patterns.py", "python"), namespace)  # noqa: S102 - the docs' own example
    return synth(namespace["build_patterns"])


def test_docs_python_pattern_feeds_same_stack_resources_by_getatt_ref_and_fn_if(
    patterns: Synthesized,
) -> None:
    pool = patterns.only_resource("Custom::SmsVoicePool")
    [phone] = patterns.resources("AWS::SMSVOICE::PhoneNumber")
    [opt_outs] = patterns.resources("AWS::SMSVOICE::OptOutList")
    [brand_id] = patterns.resources("AWS::SMSVOICE::SenderId")
    [condition] = patterns.template["Conditions"]
    assert patterns.template["Resources"][brand_id]["Condition"] == condition
    assert pool["Properties"]["OriginationIdentities"] == [
        {"Fn::GetAtt": [phone, "Arn"]},
        {"Fn::If": [condition, {"Fn::GetAtt": [brand_id, "Arn"]}, {"Ref": "AWS::NoValue"}]},
    ]
    assert pool["Properties"]["OptOutListName"] == {"Ref": opt_outs}
    assert (pool["DeletionPolicy"], pool["UpdateReplacePolicy"]) == ("Retain", "Retain")


@pytest.mark.parametrize("has_sender_id", [True, False])
def test_patterns_template_properties_are_accepted_by_the_handler(has_sender_id: bool) -> None:
    template, matches = decode(PATTERNS_TEMPLATE)
    assert matches == []
    assert template is not None
    pool = template["Resources"]["Pool"]
    properties = resolve(
        pool["Properties"],
        {"OptOuts": "ExampleOptOuts", "AWS::StackName": "Patterns", "Phone": PHONE_ID},
        {"HasSenderId": has_sender_id},
        {("Phone", "Arn"): PHONE_ARN, ("Brand", "Arn"): SENDER_ARN},
    )
    parsed = parse_pool_properties(properties)
    assert parsed.origination_identities == ((PHONE_ARN, SENDER_ARN) if has_sender_id else (PHONE_ARN,))
    assert parsed.opt_out_list_name == "ExampleOptOuts"
    assert (pool["DeletionPolicy"], pool["UpdateReplacePolicy"]) == ("Retain", "Retain")


def test_readme_patterns_excerpt_is_taken_from_the_tested_example() -> None:
    excerpt = doc_block("examples/pool-patterns.yaml", "yaml", REPO_ROOT / "README.md")
    example_lines = {line.strip() for line in PATTERNS_TEMPLATE.read_text().splitlines()}
    assert [line for line in excerpt.splitlines() if line.strip() and line.strip() not in example_lines] == []


@pytest.mark.parametrize("marker", ["native-pool", "custom-pool"])
def test_migration_snippets_are_valid_templates(marker: str, tmp_path: Path) -> None:
    template = tmp_path / f"{marker}.yaml"
    template.write_text(
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n' + doc_block(marker, "yaml") + "\n"
    )
    assert [str(match) for match in lint_file(template)] == []
    if marker == "custom-pool":
        decoded, matches = decode(template)
        assert matches == []
        assert decoded is not None
        properties = resolve(decoded["Resources"]["Pool"]["Properties"], {}, {})
        parsed = parse_pool_properties(properties)
        assert parsed.origination_identities == (PHONE_ID,)
        assert parsed.mandatory_keywords.keys() == {"HELP", "STOP"}


def test_migration_snippets_differ_only_where_the_doc_says() -> None:
    native = {line.split("#")[0].rstrip() for line in doc_block("native-pool", "yaml").splitlines()}
    custom = {line.split("#")[0].rstrip() for line in doc_block("custom-pool", "yaml").splitlines()}
    only_custom = sorted(line.strip().split(":")[0] for line in custom - native)
    assert only_custom == [
        "- phone-0123456789abcdef0123456789abcdef",
        "MessageType",
        "ServiceTimeout",
        "ServiceToken",
        "Type",
    ]


def test_two_way_role_pattern_is_a_valid_template_under_an_allowed_path(tmp_path: Path) -> None:
    template = tmp_path / "two-way.yaml"
    topic = "  InboundTopic:\n    Type: AWS::SNS::Topic\n"
    block = doc_block("two-way-role", "yaml", CLOUDFORMATION_DOC)
    template.write_text('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n' + topic + block + "\n")
    assert [str(match) for match in lint_file(template)] == []
    decoded, _ = decode(template)
    assert decoded is not None
    path = decoded["Resources"]["InboundRole"]["Properties"]["Path"]
    assert re.fullmatch(IAM_PATH_PATTERN, path)
    properties = resolve(
        decoded["Resources"]["Pool"]["Properties"],
        {"InboundTopic": "arn:aws:sns:us-east-1:111122223333:inbound"},
        {},
        {("InboundRole", "Arn"): f"arn:aws:iam::111122223333:role{path}inbound"},
    )
    assert parse_pool_properties(properties).two_way is not None
