"""The registry of policy sources that rules cite (seeds/sources.yaml)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from .yaml_io import load_document, to_plain

SOURCES_PATH = Path(__file__).resolve().parents[2] / "seeds" / "sources.yaml"


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    document: str | None = None
    year: int | None = None
    jurisdiction: str
    url: str | None = None
    sets: str
    verified: str


@cache
def load_sources(path: Path = SOURCES_PATH) -> dict[str, Source]:
    plain = to_plain(load_document(path.read_text(encoding="utf-8")))
    sources = [Source.model_validate(entry) for entry in plain["sources"]]
    return {s.id: s for s in sources}


def cite(source_ids: str | list[str] | None, sources: dict[str, Source] | None = None) -> str:
    """Short human citation, e.g. '黄政发〔2018〕12号 (2018)'."""
    sources = sources or load_sources()
    ids = [source_ids] if isinstance(source_ids, str) else list(source_ids or [])
    parts = []
    for sid in ids:
        src = sources.get(sid)
        if src is None:
            parts.append(sid)
        else:
            parts.append(src.document or src.title)
    return "；".join(parts)
