"""Hash chaining for the audit trail: pure functions, no Django.

Each audit event's hash covers its own canonical fields and the previous event's hash, so any
edit, deletion or reordering of stored rows breaks verification from that row on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def event_hash(*, prev_hash: str, fields: Mapping[str, Any]) -> str:
    """SHA-256 over the previous hash and the event's fields in canonical JSON."""
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{prev_hash}|{payload}".encode()).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    reason: str


def verify_chain(rows: Iterable[tuple[int, str, str, Mapping[str, Any]]]) -> ChainBreak | None:
    """Check rows of (id, prev_hash, hash, fields) in id order; return the first break or None."""
    expected_prev = GENESIS
    for event_id, prev_hash, stored_hash, fields in rows:
        if prev_hash != expected_prev:
            return ChainBreak(event_id, "previous hash does not match the event before it")
        if event_hash(prev_hash=prev_hash, fields=fields) != stored_hash:
            return ChainBreak(event_id, "contents do not match the stored hash")
        expected_prev = stored_hash
    return None
