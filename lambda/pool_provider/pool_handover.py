"""The mark a replacement leaves on a new pool that took phone numbers over from the old one.

A phone number is in one pool at a time, so a replacement for a new IsoCountryCode takes the numbers
it keeps out of the old pool. If the stack then rolls back, CloudFormation deletes the new pool and
goes back to the old one, which must get its numbers back. The new pool is made with deletion
protection on and tagged with the old pool's id and the numbers it took: its Delete's first call
(DeletePool) fails, and only then are the tags read, so a pool that never took part in a replacement
is still deleted with one call. The first Update of the new pool (the replacement is over by then)
lifts the protection the template does not ask for and removes the mark.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import contract
from pool_identities import Identity

# Tag keys: ``<prefix>handover``, ``<prefix>handover-2``, ...; each value "<old pool id> <id>/<CC> ...".
HANDOVER_TAG_KEY: Final = f"{contract.RESERVED_TAG_PREFIX}handover"


@dataclass(frozen=True)
class Handover:
    """Pool ``old_pool_id`` handed these phone numbers (id, country) to the marked pool."""

    old_pool_id: str
    numbers: tuple[tuple[str, str], ...]


def handover_tags(old_pool_id: str, members: Sequence[Identity]) -> dict[str, str]:
    """The tags that mark a new pool as holding ``members`` of ``old_pool_id`` (none: no tags)."""
    tags: dict[str, str] = {}
    value = old_pool_id
    for member in members:
        entry = f"{member.identity_id}/{member.iso_country_code}"
        if len(value) + 1 + len(entry) > contract.TAG_VALUE_MAX_LENGTH:
            tags[_key(len(tags))] = value
            value = old_pool_id
        value = f"{value} {entry}"
    if members:
        tags[_key(len(tags))] = value
    return tags


def _key(index: int) -> str:
    return HANDOVER_TAG_KEY if index == 0 else f"{HANDOVER_TAG_KEY}-{index + 1}"


def is_handover_tag(key: str) -> bool:
    return key == HANDOVER_TAG_KEY or key.startswith(f"{HANDOVER_TAG_KEY}-")


def read_handover(tags: Mapping[str, str]) -> Handover | None:
    """The hand-over a pool's tags record, if any."""
    old_pool_id = ""
    numbers: list[tuple[str, str]] = []
    for key, value in tags.items():
        if not is_handover_tag(key):
            continue
        old_pool_id, *entries = value.split(" ")
        for entry in entries:
            identity_id, _, country = entry.partition("/")
            numbers.append((identity_id, country))
    return Handover(old_pool_id, tuple(numbers)) if old_pool_id else None
