"""How well a header names a field (a score from 0 to 1 with the reason), and the one assignment of
columns to fields for a whole sheet.

Scores, highest first: the field's Chinese label (1.0) or an alias (0.98) exactly, after the header
is normalised (spaces, line breaks, full-width forms, numbering, quotes, brackets and the unit
removed); equal once qualifiers are dropped (0.93: 2023年实缴税金, 现有用地面积); a bracket naming the
field (0.9: 纳税人识别号（统一社会信用代码）); then containment and similarity (rapidfuzz). Word classes
veto or cap the fuzzy part: a header about a forecast, a ratio, a score, a building or another
party is not the field even when the words are close. An *uncertain* term (用地面积, 企业规模) is
offered, never used, unless the rest of the sheet settles it.

The assignment (scipy's ``linear_sum_assignment``) uses each column at most once and maximises the
total score. A column is used when its score reaches ``accept`` and no other free reading is
within ``margin``; otherwise it is a suggestion for the mapping review.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache

import numpy as np
from rapidfuzz import fuzz, process
from scipy.optimize import linear_sum_assignment

from ..rules.fields import FieldSpec
from .lexicon import LABEL, Lexicon, Name, all_fields, lexicon, names_of
from .text import HeaderParts, header_parts
from .units import family, is_rate, read_unit

EXACT_LABEL, EXACT_ALIAS, QUALIFIED, BRACKET, UNCERTAIN_PAIR, CAPPED = 1.0, 0.98, 0.93, 0.9, 0.85, 0.7
MAX_HEADER = 80  # longer cells are text, not column names
_NUMBER_LIKE = re.compile(r"^[\d\s.,%+\-−/:：年月日]*$")  # numbers and dates never name a column


@dataclass(frozen=True)
class Evidence:
    score: float
    how: str  # label | alias | qualified | bracket | similar | uncertain
    name: str  # the known name it came closest to


@dataclass(frozen=True)
class Heading:
    """A column's header as the matcher sees it."""

    index: int
    parts: HeaderParts
    unit: str | None
    notes: tuple[str, ...]


def heading(index: int, text: str) -> Heading:
    """A header's parts, with the last bracket that reads as a unit taken as its unit."""
    parts = header_parts(text)
    unit, notes = None, list(parts.brackets)
    for position in range(len(notes) - 1, -1, -1):
        unit = read_unit(notes[position])
        if unit is not None:
            del notes[position]
            break
    return Heading(index, parts, unit, tuple(notes))


def evidence(heading: Heading, names: Sequence[Name], fields: Mapping[str, FieldSpec]) -> dict[str, Evidence]:
    """field id -> the best evidence that this header names it (only fields with a score above 0).
    A header listing alternatives (组织机构代码/统一社会信用代码) is as good as its best alternative."""
    index = name_index(tuple(names))
    found = _evidence(heading, index, fields)
    base = heading.parts.base
    if "/" in base and base not in lexicon().uncertain:
        for alternative in base.split("/"):
            if len(alternative) < 2:
                continue
            single = replace(heading, parts=replace(heading.parts, base=alternative))
            for key, got in _evidence(single, index, fields).items():
                if got.how != "uncertain" and (key not in found or got.score > found[key].score):
                    found[key] = got
    return found


@dataclass(frozen=True)
class NameIndex:
    names: tuple[Name, ...]
    cores: tuple[str, ...]
    by_base: dict[str, tuple[int, ...]]
    classes: tuple[frozenset[str], ...]  # the word classes each name carries


@cache
def name_index(names: tuple[Name, ...]) -> NameIndex:
    words = lexicon()
    by_base: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        by_base.setdefault(name.base, []).append(i)
    classes = tuple(frozenset(c.name for c in words.classes if c.hits(n.base)) for n in names)
    return NameIndex(names, tuple(n.core for n in names), {k: tuple(v) for k, v in by_base.items()}, classes)


def _evidence(heading: Heading, index: NameIndex, fields: Mapping[str, FieldSpec]) -> dict[str, Evidence]:
    words = lexicon()
    parts = heading.parts
    core = words.core(parts.base)
    uncertain = _uncertain(heading, core, words)
    if uncertain is not None and (parts.base in words.uncertain or len(uncertain.inputs) == 1):
        score = UNCERTAIN_PAIR if len(uncertain.inputs) > 1 and parts.base in words.uncertain else CAPPED
        return {key: Evidence(score, "uncertain", parts.base) for key in uncertain.inputs if key in fields}
    meaning = core + "".join(words.words_only(n) for n in heading.notes)
    hits = [c for c in words.classes if c.hits(meaning, heading.notes)]
    header = Classes(frozenset(c.name for c in hits if c.hard), frozenset(c.name for c in hits if not c.hard))
    found: dict[str, Evidence] = {}
    for i in _candidates(parts.base, core, heading.notes, index, words.suggest):
        name = index.names[i]
        spec = fields.get(name.field)
        if spec is not None:
            got = _one(heading, core, name, index.classes[i], spec, header, words)
            if got is not None and (name.field not in found or got.score > found[name.field].score):
                found[name.field] = got
    if uncertain is not None:  # a qualified uncertain term (现有用地面积): the first reading is meant
        key = uncertain.inputs[0]
        if key in fields and found.get(key, Evidence(0, "", "")).score < QUALIFIED:
            found[key] = Evidence(QUALIFIED, "qualified", parts.base)
    return found


@dataclass(frozen=True)
class Classes:
    hard: frozenset[str]
    soft: frozenset[str]


def _candidates(base: str, core: str, notes: tuple[str, ...], index: NameIndex, suggest: float) -> set[int]:
    """Names worth scoring: equal, in a bracket, contained either way, or similar enough (rapidfuzz in C)."""
    chosen = set(index.by_base.get(base, ()))
    for note in notes:
        chosen.update(index.by_base.get(note, ()))
    for i, known in enumerate(index.cores):
        if known == core or (len(known) >= 2 and known in core) or (len(core) >= 2 and core in known):
            chosen.add(i)
    similar = process.extract(core, index.cores, scorer=fuzz.ratio, score_cutoff=suggest * 100, limit=None)
    chosen.update(i for _, _, i in similar)
    return chosen


def _uncertain(heading: Heading, core: str, words: Lexicon):
    term = words.uncertain.get(heading.parts.base) or words.uncertain.get(core)
    if term is None or (term.unless_unit and heading.unit is not None):
        return None
    return term


def _one(heading: Heading, core: str, name: Name, carries, spec: FieldSpec, header: Classes, words) -> Evidence | None:
    parts = heading.parts
    if parts.base == name.base:
        score, how = (EXACT_LABEL, "label") if name.kind == LABEL else (EXACT_ALIAS, "alias")
        if header.hard - carries:
            return None  # 入库税额（企）: the bracket says it is one component
        if header.soft - carries or (parts.part and name.kind != LABEL):
            score = CAPPED  # 其中：主营业务收入 is a narrower item than the alias means
        return Evidence(score, how, name.base)
    if not _compatible(heading, spec):
        return None
    if core == name.core:
        score, how = QUALIFIED, "qualified"
    elif name.base in heading.notes:
        score, how = BRACKET, "bracket"
    else:
        score, how = _similarity(core, name.core), "similar"
        if spec.type == "flag" and not _question(heading) and name.core not in core:
            return None  # a yes/no column is recognised by its question or its full name
    if header.hard != (carries & words.hard_classes):
        return None  # a forecast, a ratio, a building … on one side only
    if header.soft - carries or parts.part:
        score = min(score, CAPPED)
    return Evidence(score, how, name.base) if score >= words.suggest else None


def _similarity(core: str, known: str) -> float:
    """Containment (the known name inside the header, or the header inside it) or edit similarity."""
    if len(known) >= 2 and known in core:
        contained = 0.6 + 0.35 * len(known) / len(core)
    elif len(core) >= 2 and core in known:
        contained = 0.6 + 0.35 * len(core) / len(known)
    else:
        contained = 0.0
    return max(contained, fuzz.ratio(core, known) / 100)


def _question(heading: Heading) -> bool:
    return "是否" in heading.parts.base or heading.parts.text.endswith(("?", "？"))


def _compatible(heading: Heading, spec: FieldSpec) -> bool:
    """Units and questions must fit the field: 亩 only for areas, a 是否 question only for yes/no."""
    if spec.type == "flag":
        return heading.unit is None
    if _question(heading):
        return False
    if heading.unit is None:
        return True
    if spec.type != "number" or (is_rate(heading.unit) and "/" not in spec.unit):
        return False
    header_family = family(heading.unit)
    return header_family is None or header_family == family(spec.unit)


# --- the whole sheet --------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    field: str
    column: int  # position in the headings list
    evidence: Evidence
    confident: bool
    rivals: tuple[str, ...]  # other readings of the same column within the margin


def assign(scores: list[dict[str, Evidence]], keys: Sequence[str], fixed: Mapping[str, int]) -> list[Choice]:
    """One field per column and one column per field, the best total; ``fixed`` (field -> column)
    are the user's choices and are taken as they are."""
    words = lexicon()
    matrix = np.zeros((len(scores), len(keys)))
    for c, found in enumerate(scores):
        for f, key in enumerate(keys):
            if key in found:
                matrix[c, f] = found[key].score - 1e-6 * c  # ties go to the leftmost column
    for key, c in fixed.items():
        if key in keys:
            matrix[:, keys.index(key)] = 0
        if c is not None and 0 <= c < len(scores):
            matrix[c, :] = 0
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    taken = {keys[f]: matrix[c, f] for c, f in zip(rows, cols, strict=True) if matrix[c, f] > 0}
    choices = []
    for c, f in zip(rows, cols, strict=True):
        if matrix[c, f] <= 0:
            continue
        own = matrix[c, f]
        rivals = tuple(
            keys[g]
            for g in range(len(keys))
            if g != f and matrix[c, g] >= own - words.margin and taken.get(keys[g], 0) < matrix[c, g]
        )
        found = scores[c][keys[f]]
        choices.append(Choice(keys[f], int(c), found, found.score >= words.accept and not rivals, rivals))
    return choices


def column_rivals(matrix_scores: list[dict[str, Evidence]], choice: Choice, chosen_columns: set[int]) -> list[int]:
    """Other columns that name the chosen field as well as the chosen column does (两列都像“税收”)."""
    margin = lexicon().margin
    best = choice.evidence.score
    return [
        c
        for c, found in enumerate(matrix_scores)
        if c != choice.column
        and choice.field in found
        and found[choice.field].score >= best - margin
        and found[choice.field].score >= lexicon().accept
        and c not in chosen_columns
    ]


def recogniser(fields: Mapping[str, FieldSpec]):
    """text -> does it name a field well enough to count towards finding a header row? (cached per text)"""
    known = all_fields(fields)
    names = names_of(known)
    threshold = min(lexicon().accept, UNCERTAIN_PAIR)
    seen: dict[str, bool] = {}

    def recognise(text: str) -> bool:
        if text not in seen:
            wordy = len(text) <= MAX_HEADER and not _NUMBER_LIKE.match(text)
            found = evidence(heading(0, text), names, known) if wordy else {}
            seen[text] = any(e.score >= threshold for e in found.values())
        return seen[text]

    return recognise
