"""The issue catalogue (catalogue.yaml): one entry per stable code, with its severity and templates."""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ruamel.yaml import YAML

from ..vocabulary import IssueSeverity

CATALOGUE_PATH = Path(__file__).with_name("catalogue.yaml")
OWN_FIELDS = frozenset({"column", "value", "row", "source"})  # every issue has these, possibly empty


@dataclass(frozen=True)
class IssueType:
    code: str
    severity: IssueSeverity
    title_zh: str
    title_en: str
    template_zh: str
    template_en: str

    def template(self, lang: str) -> str:
        return self.template_zh if lang == "zh" else self.template_en

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    @property
    def placeholders(self) -> frozenset[str]:
        """Every ``{name}`` the two templates use."""
        names = set()
        for text in (self.template_zh, self.template_en):
            names |= {field for _, field, _, _ in string.Formatter().parse(text) if field}
        return frozenset(names)

    @property
    def parameters(self) -> frozenset[str]:
        """The placeholders a caller must supply (the issue's own fields aside)."""
        return self.placeholders - OWN_FIELDS


@cache
def load_catalogue(path: Path = CATALOGUE_PATH) -> dict[str, IssueType]:
    data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    return {
        code: IssueType(
            code=code,
            severity=IssueSeverity(entry["severity"]),
            title_zh=entry["title"]["zh"],
            title_en=entry["title"]["en"],
            template_zh=entry["message"]["zh"],
            template_en=entry["message"]["en"],
        )
        for code, entry in data.items()
    }


CATALOGUE = load_catalogue()
