"""Units written in headers, unit rows and cells: which bracket is a unit, and the factor to a
field's canonical unit (the families and spellings are data in ``rules/fields.yaml``)."""

from __future__ import annotations

import re
from functools import cache

from ..rules.fields import FieldSpec, load_catalogue
from .lexicon import lexicon
from .text import normalize_label

_UNIT_LIKE = re.compile(
    r"^(?:[万千亿百]?[^\d\s]{0,3}[元吨米亩人件个项度时煤顷斤克%]|(?=.*[a-z%])[a-z0-9/%²]{1,8}|万|千|亿)$"
)
PREFIXES = {"万": 10_000.0, "千": 1_000.0, "亿": 100_000_000.0}


@cache
def known_units() -> dict[str, str]:
    """Every unit of every family (normalised) -> its family."""
    return {normalize_label(unit): family for family, units in load_catalogue().unit_families.items() for unit in units}


def read_unit(text: str) -> str | None:
    """A bracket's or a unit row's text as a unit ('万' -> '万元', '标吨煤' -> '吨标准煤'), or None."""
    unit = normalize_label(text)
    if not unit:
        return None
    unit = lexicon().unit_word(unit)
    if unit in known_units() or _UNIT_LIKE.match(unit):
        return unit
    if "/" in unit and unit.split("/", 1)[0] in known_units():
        return unit  # a rate such as 万元/亩
    return None


def is_rate(unit: str | None) -> bool:
    return bool(unit) and "/" in unit and unit not in known_units()


def family(unit: str | None) -> str | None:
    return known_units().get(unit) if unit else None


def factor(unit: str, spec: FieldSpec) -> float | None:
    """How many of the field's canonical unit one ``unit`` is; None if not convertible.
    A 万/千/亿 in front of a unit of the same family multiplies it (万吨 = 10 000 吨)."""
    table = {normalize_label(name): f for name, f in spec.units.items()}
    unit = lexicon().unit_word(unit)
    if unit in table:
        return table[unit]
    head, rest = unit[:1], unit[1:]
    if head in PREFIXES and rest in table:
        return PREFIXES[head] * table[rest]
    return None
