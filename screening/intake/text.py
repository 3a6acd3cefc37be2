"""Text clean-up shared by header detection, column mapping and cell parsing.

A header is reduced to comparable parts (:func:`header_parts`): the words without numbering,
decoration, spaces or brackets (``base``), the unit found in a bracket, the other bracket
contents (``notes``), and whether it is a breakdown (``其中：…``). Qualifiers that do not change
what is measured (a year, 上年度, 本年, 合计, 实际, 现有, 期末 …) are dropped by
:func:`strip_qualifiers`; the list lives in ``rules/fields.yaml`` (``matching.qualifiers``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

EMPTY_MARKERS = frozenset({"", "-", "—", "–", "——", "--", "/", "无", "空", "null", "none", "nan", "n/a", "na", "#"})
EXCEL_ERRORS = frozenset({"#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"})
_UNIT = re.compile(r"^(.*?)[(\[]([^()\[\]]*)[)\]]$")
_UNIT_PREFIX = re.compile(r"^(单位|计量单位|金额单位)[:：]?")
_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans("", "", "“”\"'‘’《》「」『』〈〉")
_PUNCTUATION = str.maketrans("", "", "、,，;；。")
# numbering in front of a label: 二、 十八、 01 02 1. 4、 (1) ① * #
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|\(\d+\)|\d{1,2}(?:[、.](?!\d)|(?=[^\d年.、]))|[①-⑳]|[*#※★]+)"
)
_GROUP = re.compile(r"[(\[]([^()\[\]]*)(?:[)\]]|$)")
_PART = ("其中:", "其中")
_SEVERAL_YEARS = re.compile(r"近(\d)年")
_LEADING_QUALIFIER = re.compile(r"^(?:\d{4}年?度?|年)(?=..)")
_TRAILING_YEAR = re.compile(r"\d{4}年?度?$")


def nfkc(text: str) -> str:
    """Full-width letters, digits, brackets and spaces -> their ordinary forms."""
    return unicodedata.normalize("NFKC", text)


def cell_text(value: Any) -> str:
    """Any cell as trimmed text ('' for empty); whole floats lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def normalize_label(text: str) -> str:
    """A header as a comparable key: NFKC, no spaces or line breaks, no required-marks, lower case."""
    text = _SPACE.sub("", nfkc(cell_text(text)))
    return text.strip("*※★:：?？").lower()


def split_unit(label: str) -> tuple[str, str | None]:
    """'实缴税金(万元)' -> ('实缴税金', '万元'); '用地面积（平方米）' -> ('用地面积', '平方米')."""
    text = normalize_label(label)
    match = _UNIT.match(text)
    if not match or not match.group(1):
        return text, None
    unit = _UNIT_PREFIX.sub("", match.group(2))
    return match.group(1), unit or None


@dataclass(frozen=True)
class HeaderParts:
    """A header taken apart for matching."""

    text: str  # normalised whole text (no numbering, quotes, spaces; lower case)
    base: str  # without any bracket group
    brackets: tuple[str, ...]  # bracket contents, in order (units among them)
    part: bool  # a breakdown: 其中：…


def header_parts(label: str) -> HeaderParts:
    """'二、工业总产值（当年价格）（万元）' -> base 工业总产值, brackets (当年价格, 万元)."""
    text = normalize_label(label).translate(_QUOTES)
    previous = None
    while previous != text:  # '（1）* 新产品…' carries two numbering marks
        previous = text
        text = _NUMBERING.sub("", text, count=1).strip(":：、.")
    part = False
    for marker in _PART:
        if text.startswith(marker):
            text, part = text[len(marker) :].lstrip(":："), True
    if "其中" in text:
        part = True
    text = _SEVERAL_YEARS.sub(lambda m: "近" + "零一二三四五六七八九十"[int(m.group(1))] + "年", text)
    brackets = tuple(_UNIT_PREFIX.sub("", g) for g in _GROUP.findall(text))
    base = _GROUP.sub("", text).strip(":：、").translate(_PUNCTUATION)
    return HeaderParts(text=text, base=base, brackets=brackets, part=part)


def strip_qualifiers(base: str, qualifiers: tuple[str, ...] = ()) -> str:
    """'2023年实缴税金' -> '实缴税金'; '税收实际贡献' -> '税收贡献' (with 实际 among the qualifiers).
    Qualifiers go wherever they stand; a leading or trailing year too."""
    text = _TRAILING_YEAR.sub("", _LEADING_QUALIFIER.sub("", base))
    for word in qualifiers:
        if word in text and len(text) > len(word):
            text = text.replace(word, "")
    return text or base
