"""Text clean-up shared by header detection, column mapping and cell parsing."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

EMPTY_MARKERS = frozenset({"", "-", "—", "–", "——", "--", "/", "无", "空", "null", "none", "nan", "n/a", "na", "#"})
EXCEL_ERRORS = frozenset({"#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"})
_UNIT = re.compile(r"^(.*?)[(\[]([^()\[\]]*)[)\]]$")
_UNIT_PREFIX = re.compile(r"^(单位|计量单位|金额单位)[:：]?")
_QUALIFIER = re.compile(r"^(\d{4}年度?|\d{4}|本年度?|上年度?|全年|年度|当年)|(合计|总额|总计|小计|情况)$")
_SPACE = re.compile(r"\s+")


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
    return text.strip("*※★:：").lower()


def split_unit(label: str) -> tuple[str, str | None]:
    """'实缴税金(万元)' -> ('实缴税金', '万元'); '用地面积（平方米）' -> ('用地面积', '平方米')."""
    text = normalize_label(label)
    match = _UNIT.match(text)
    if not match or not match.group(1):
        return text, None
    unit = _UNIT_PREFIX.sub("", match.group(2))
    return match.group(1), unit or None


def strip_qualifiers(base: str) -> str:
    """'2023年实缴税金' -> '实缴税金'; '税收合计' stays a known alias but '用地面积情况' -> '用地面积'."""
    return _QUALIFIER.sub("", base)
