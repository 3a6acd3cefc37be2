"""The export's "how to read this workbook" sheet: fixed prose (guide.yaml) with this park's facts filled in."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ruamel.yaml import YAML

from ..engine.result import Result
from ..vocabulary import Decision

GUIDE_PATH = Path(__file__).with_name("guide.yaml")


@cache
def _guide() -> dict[str, list[str]]:
    return YAML(typ="safe", pure=True).load(GUIDE_PATH.read_text(encoding="utf-8"))


def guide_lines(result: Result, lang: str = "zh") -> list[str]:
    model = result.ruleset.model
    top, rest = ("前", "其余") if lang == "zh" else ("top ", "the rest")
    bands = ", ".join(
        f"{b.klass} ≥ {b.min_score:g}"
        if b.min_score is not None
        else (f"{b.klass}: {top}{b.top_share:.0%}" if b.top_share is not None else f"{b.klass}: {rest}")
        for b in model.classes.bands
    )
    mapping = "; ".join(
        f"{d.label(lang)}: {', '.join(getattr(model.decision, d.value))}"
        for d in (Decision.ADMIT, Decision.REVIEW, Decision.REJECT)
        if getattr(model.decision, d.value)
    )
    park = model.park.name.get(lang)
    key = ("evaluation_" if model.is_evaluation else "") + ("zh" if lang == "zh" else "en")
    return [line.format(park=park, bands=bands, mapping=mapping) for line in _guide()[key]]
