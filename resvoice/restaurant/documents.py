"""A restaurant's retrievable documents: menu items, policies and FAQ entries.

`loader.profile_documents` makes them from a profile; storage keeps them and searches them.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

KnowledgeKind = Literal["menu", "policy", "faq"]


class KnowledgeDoc(BaseModel):
    """One retrievable document: a menu item, a policy or an FAQ entry."""

    model_config = ConfigDict(frozen=True)

    key: str  # stable identity, e.g. "menu:margherita-pizza"; seeding upserts by it
    kind: KnowledgeKind
    title: str
    body: str
    tags: tuple[str, ...] = ()
    metadata: dict[str, Any] = Field(default_factory=dict)


def doc_fingerprint(doc: KnowledgeDoc) -> str:
    """The sha256 (hex) of what gets embedded: kind, title, body and tags; not the metadata.

    Storage keeps it per document (`Storage.knowledge_fingerprints`), so a seeder re-embeds only
    documents whose fingerprint changed.
    """
    payload = json.dumps([doc.kind, doc.title, doc.body, list(doc.tags)], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
