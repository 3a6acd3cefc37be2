"""What the import knows about header wording: every field's names, and the matching data of
``rules/fields.yaml`` (qualifiers, word classes, uncertain terms, unit spellings, thresholds).

Rules are data: the words live in the YAML file; this module only reads them and prepares
them for :mod:`matching` (normalised once, cached).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from ..rules.fields import CATALOGUE_PATH, FieldSpec, load_catalogue, resolve_input
from ..rules.yaml_io import load_document, to_plain
from .text import header_parts, normalize_label, strip_qualifiers

LABEL, ALIAS = 0, 2


@dataclass(frozen=True)
class WordClass:
    name: str
    words: tuple[str, ...]
    hard: bool
    notes: tuple[str, ...] = ()  # bracket contents that belong to the class on their own: 入库税额（企）

    def hits(self, text: str, notes: tuple[str, ...] = ()) -> bool:
        return any(word in text for word in self.words) or any(note in self.notes for note in notes)


@dataclass(frozen=True)
class Uncertain:
    inputs: tuple[str, ...]
    zh: str
    en: str
    unless_unit: bool = False  # uncertain only when the header prints no unit


@dataclass(frozen=True)
class Name:
    """One way a field is written: label, id, English label or alias, normalised."""

    field: str
    base: str
    core: str  # qualifiers removed
    kind: int  # LABEL (Chinese label), 1 (id or English), ALIAS


@dataclass(frozen=True)
class Lexicon:
    qualifiers: tuple[str, ...]
    leading: tuple[str, ...]
    classes: tuple[WordClass, ...]
    uncertain: dict[str, Uncertain]
    unit_words: dict[str, str]
    accept: float
    suggest: float
    margin: float

    def core(self, base: str) -> str:
        """``base`` without qualifiers: leading ones only when three characters or more remain."""
        text = strip_qualifiers(base, self.qualifiers)
        for word in self.leading:
            if text.startswith(word) and len(text) - len(word) >= 2:
                text = text[len(word) :]
                break
        return text

    @property
    def hard_classes(self) -> frozenset[str]:
        return frozenset(c.name for c in self.classes if c.hard)

    def words_only(self, text: str) -> str:
        """``text`` without qualifier words (a year stays: 4754-2011 is an edition)."""
        for word in self.qualifiers:
            text = text.replace(word, "")
        return text

    def unit_word(self, unit: str) -> str:
        return self.unit_words.get(unit, unit)


@cache
def lexicon() -> Lexicon:
    plain = to_plain(load_document(CATALOGUE_PATH.read_text(encoding="utf-8")))["matching"]
    classes = tuple(
        WordClass(
            name,
            tuple(normalize_label(w) for w in spec["words"]),
            bool(spec["hard"]),
            tuple(normalize_label(w) for w in spec.get("notes", [])),
        )
        for name, spec in plain["classes"].items()
    )
    uncertain = {
        header_parts(term).base: Uncertain(
            tuple(spec["inputs"]), spec["zh"], spec["en"], bool(spec.get("unless_unit", False))
        )
        for term, spec in plain["uncertain"].items()
    }
    return Lexicon(
        qualifiers=tuple(sorted((normalize_label(w) for w in plain["qualifiers"]), key=len, reverse=True)),
        leading=tuple(normalize_label(w) for w in plain["leading_qualifiers"]),
        classes=classes,
        uncertain=uncertain,
        unit_words={normalize_label(k): normalize_label(v) for k, v in plain["unit_words"].items()},
        accept=float(plain["accept"]),
        suggest=float(plain["suggest"]),
        margin=float(plain["margin"]),
    )


@cache
def catalogue_fields() -> dict[str, FieldSpec]:
    """Every field of the built-in catalogue, resolved (the import matches against all of them)."""
    catalogue = load_catalogue()
    resolved = {key: resolve_input(key, spec, catalogue) for key, spec in catalogue.fields.items()}
    return {key: spec for key, spec in resolved.items() if spec is not None}


def all_fields(fields: Mapping[str, FieldSpec]) -> dict[str, FieldSpec]:
    """The rule's fields over the catalogue's: a column is recognised even when the rules do not use
    it, so that it is never taken for something else."""
    return {**catalogue_fields(), **fields}


def names_of(fields: Mapping[str, FieldSpec]) -> tuple[Name, ...]:
    return _names(tuple(sorted((k, _spelling(s)) for k, s in fields.items())))


def _spelling(spec: FieldSpec) -> tuple[tuple[str, int], ...]:
    return ((spec.label.zh, LABEL), (spec.id, 1), (spec.label.en or "", 1), *((a, ALIAS) for a in spec.aliases))


@cache
def _names(spellings: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]) -> tuple[Name, ...]:
    words = lexicon()
    names = []
    for key, written in spellings:
        for text, kind in written:
            base = header_parts(text).base if text else ""
            if base:
                core = words.core(base)
                names.append(Name(key, base, core if len(core) >= 3 else base, kind))
    return tuple(names)
