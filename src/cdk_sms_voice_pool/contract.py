"""The wire-format names of ``Custom::SmsVoicePool``, read from the Lambda code's ``contract.py``.

``lambda/pool_provider/contract.py`` is the one source of truth for the resource type, the
property names and the attribute names; an installed wheel carries its copy in the pre-bundled
Lambda folder. ``lambda`` is a Python keyword, so that folder can never be imported as a package:
the file is loaded by path here and its values are re-exported with static types, so the construct
cannot drift from what the handler parses.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from types import ModuleType
from typing import Final

from cdk_sms_voice_pool.provider_code import handler_dir

LAMBDA_ASSET_DIR: Final = handler_dir()
CONTRACT_FILE: Final = LAMBDA_ASSET_DIR / "contract.py"


def _load_contract() -> ModuleType:
    # A private module name: the Lambda's own modules import it as plain ``contract``, and tests put
    # that folder on sys.path; a second copy under a distinct name cannot shadow theirs.
    spec = importlib.util.spec_from_file_location("cdk_sms_voice_pool._pool_provider_contract", CONTRACT_FILE)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load the wire-format contract from {CONTRACT_FILE}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_CONTRACT: Final = _load_contract()


def _text(name: str) -> str:
    value = getattr(_CONTRACT, name)
    if not isinstance(value, str):
        raise TypeError(f"{CONTRACT_FILE}: {name} must be a str, got {value!r}")
    return value


def _texts(name: str) -> tuple[str, ...]:
    value = getattr(_CONTRACT, name)
    if not isinstance(value, tuple) or not all(isinstance(item, str) for item in value):
        raise TypeError(f"{CONTRACT_FILE}: {name} must be a tuple of str, got {value!r}")
    return value


def _count(name: str) -> int:
    value = getattr(_CONTRACT, name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{CONTRACT_FILE}: {name} must be an int, got {value!r}")
    return value


def run_check(name: str, *args: object) -> None:
    """Run the contract's ``check_<name>`` (``check_tag_key``, ``check_ruled_string``...): the very
    check the handler's parser makes, raising PropertyProblem with the handler's Reason."""
    getattr(_CONTRACT, f"check_{name}")(*args)


PropertyProblem: Final[type[ValueError]] = _CONTRACT.PropertyProblem
"""What the readers below raise: a ValueError whose message is the handler's Reason."""


def stack_home(partition: str | None, region: str | None, account: str | None) -> object:
    """The stack's place (the contract's ``Home``) for the readers below; None: not known at synth,
    so not compared."""
    home: object = _CONTRACT.Home(partition, region, account)
    return home


def check_home(prop: str, value: str, home: object) -> None:
    """Raise PropertyProblem if ARN ``value`` names another partition, Region or account than ``home``."""
    _CONTRACT.check_home(prop, value, home)


def check_identities(
    prop: str, written: Sequence[str | None], default_country: str | None, home: object
) -> None:
    """Raise PropertyProblem, in the handler's words, if an identity's ARN is foreign, names no phone
    number or sender ID, or two name the same identity; None items (tokens) are skipped."""
    _CONTRACT.read_identities(prop, written, default_country, home)


def is_pool_id(value: str) -> bool:
    """Whether ``value`` is written as a PoolId (not whether such a pool exists)."""
    verdict = _CONTRACT.is_pool_id(value)
    if not isinstance(verdict, bool):
        raise TypeError(f"{CONTRACT_FILE}: is_pool_id must return a bool, got {verdict!r}")
    return verdict


def read_pool_id(prop: str, value: object, home: object) -> str:
    """The pool id a PoolId or PoolArn names; raises PropertyProblem in the handler's words."""
    pool_id = _CONTRACT.read_pool_id(prop, value, home)
    if not isinstance(pool_id, str):
        raise TypeError(f"{CONTRACT_FILE}: read_pool_id must return a str, got {pool_id!r}")
    return pool_id


def pool_id_of_arn(value: str) -> str | None:
    """The PoolId a pool ARN names (None: ``value`` is no pool ARN)."""
    pool_id = _CONTRACT.pool_id_of_arn(value)
    if pool_id is not None and not isinstance(pool_id, str):
        raise TypeError(f"{CONTRACT_FILE}: pool_id_of_arn must return a str or None, got {pool_id!r}")
    return pool_id


RESOURCE_TYPE: Final = _text("RESOURCE_TYPE")

ORIGINATION_IDENTITIES: Final = _text("ORIGINATION_IDENTITIES")
MANDATORY_KEYWORDS: Final = _text("MANDATORY_KEYWORDS")
OPTIONAL_KEYWORDS: Final = _text("OPTIONAL_KEYWORDS")
DELETION_PROTECTION_ENABLED: Final = _text("DELETION_PROTECTION_ENABLED")
OPT_OUT_LIST_NAME: Final = _text("OPT_OUT_LIST_NAME")
SELF_MANAGED_OPT_OUTS_ENABLED: Final = _text("SELF_MANAGED_OPT_OUTS_ENABLED")
SHARED_ROUTES_ENABLED: Final = _text("SHARED_ROUTES_ENABLED")
TWO_WAY: Final = _text("TWO_WAY")
TAGS: Final = _text("TAGS")
MESSAGE_TYPE: Final = _text("MESSAGE_TYPE")
ISO_COUNTRY_CODE: Final = _text("ISO_COUNTRY_CODE")
ADOPT_POOL_ID: Final = _text("ADOPT_POOL_ID")
PROPERTIES: Final = _texts("PROPERTIES")

MANDATORY_KEYWORD_HELP: Final = _text("MANDATORY_KEYWORD_HELP")
MANDATORY_KEYWORD_STOP: Final = _text("MANDATORY_KEYWORD_STOP")
KEYWORD_MESSAGE: Final = _text("KEYWORD_MESSAGE")
KEYWORD_KEYWORD: Final = _text("KEYWORD_KEYWORD")
KEYWORD_ACTION: Final = _text("KEYWORD_ACTION")
TWO_WAY_ENABLED: Final = _text("TWO_WAY_ENABLED")
TWO_WAY_CHANNEL_ARN: Final = _text("TWO_WAY_CHANNEL_ARN")
TWO_WAY_CHANNEL_ROLE: Final = _text("TWO_WAY_CHANNEL_ROLE")
TAG_KEY: Final = _text("TAG_KEY")
TAG_VALUE: Final = _text("TAG_VALUE")

MESSAGE_TYPES: Final = _texts("MESSAGE_TYPES")

ATTR_ARN: Final = _text("ATTR_ARN")
ATTRIBUTES: Final = _texts("ATTRIBUTES")

RESERVED_TAG_PREFIX: Final = _text("RESERVED_TAG_PREFIX")

# The limits the construct counts against at synth; every other limit and pattern is checked by the
# contract's own check_* (run_check) and is_pool_id, so no copy is kept here.
MAX_OPTIONAL_KEYWORDS: Final = _count("MAX_OPTIONAL_KEYWORDS")
MAX_USER_TAGS: Final = _count("MAX_USER_TAGS")
