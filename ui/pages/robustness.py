"""稳健性 · would each decision survive another reasonable weighting, and what would each firm have to change.

The list is screened once per files, park and applicants setting (cached by the files' SHA-256);
the robustness run is cached by the weight information, samples and seed; what it would take is
worked out for the one firm chosen (cached by its Excel row).
"""

from __future__ import annotations

import streamlit as st

from screening.analysis.robustness import RobustnessResult, robustness
from screening.analysis.whatif import WhatIf, what_it_takes
from screening.engine.result import Result
from screening.issues.record import ScreeningError
from screening.pipeline import load_sources, screen_table
from screening.report.analysis_sheets import gap_table, write_analysis_xlsx
from screening.rules.loading import RuleSet
from screening.vocabulary import WORKING_GROUP

from ..data import Upload
from ..shape import robustness as shape
from ..shape.robustness import WeightChoice
from ..text import plain
from . import charts, common, keys
from .robustness_words import WORDS

VIEWS = ("table", "bars", "dominance", "gap", "download")
PREFIX = keys.ROBUSTNESS


def say(lang: str, key: str, **values) -> str:
    return common.say(WORDS, lang, key, **values)


@st.cache_resource(show_spinner=False, max_entries=6)
def _screened(
    digests: tuple[str, ...], park: str, applicants_only: bool, _files: tuple[Upload, ...], _ruleset: RuleSet
) -> Result:
    table = load_sources([(f.name, f.data) for f in _files], _ruleset)
    return screen_table(table, _ruleset, applicants_only=applicants_only)


@st.cache_resource(show_spinner=False, max_entries=12)
def _robust(key: tuple, choice: WeightChoice, samples: int, seed: int, _result: Result) -> RobustnessResult:
    return robustness(_result, choice.info(), samples=samples, seed=seed)


@st.cache_resource(show_spinner=False, max_entries=32)
def _gaps(key: tuple, row: int, _result: Result) -> WhatIf:
    return what_it_takes(_result, rows=[row])


def render(lang: str) -> None:
    profiles = common.page_head(WORDS, lang)
    if not profiles:
        return
    files = common.uploads(PREFIX, lang)
    park = common.park_picker(PREFIX, profiles, lang)
    applicants_only = common.applicants_toggle(PREFIX, lang)
    ruleset = profiles[park]
    key = (tuple(f.sha256 for f in files), park, applicants_only)
    try:
        result = _screened(*key, _files=files, _ruleset=ruleset)
    except ScreeningError as exc:
        common.refusal(exc, lang)
        return
    choice, samples, seed = _weight_inputs(ruleset, lang)
    try:
        with st.spinner(say(lang, "computing"), show_time=True):
            robust = _robust(key, choice, samples, seed, _result=result)
    except ScreeningError as exc:
        common.refusal(exc, lang)
        return
    _headline(result, robust, lang)
    view = common.view_picker(PREFIX, VIEWS, WORDS, lang)
    if view == "table":
        _table(result, robust, lang)
    elif view == "bars":
        _bars(result, robust, lang)
    elif view == "dominance":
        _dominance(robust, lang)
    elif view == "gap":
        _gap(result, key, lang)
    else:
        _download(result, robust, lang)


def _weight_inputs(ruleset: RuleSet, lang: str) -> tuple[WeightChoice, int, int]:
    with st.expander(say(lang, "weights"), expanded=True):
        mode = common.choose(
            st,
            "radio",
            say(lang, "mode"),
            list(shape.MODES),
            keys.R_MODE,
            lang,
            lambda m: say(lang, f"mode_{m}"),
            horizontal=True,
        )
        choice = WeightChoice(mode)
        if mode == "spread":
            spread = st.slider(say(lang, "spread"), 5.0, 100.0, shape.DEFAULT_SPREAD, 5.0, key=keys.R_SPREAD)
            choice = WeightChoice(mode, spread_percent=float(spread))
        elif mode == "ranges":
            choice = WeightChoice(mode, ranges=_ranges(ruleset, lang))
        elif mode == "orders":
            choice = WeightChoice(mode, orders=_orders(ruleset, lang))
        left, right = st.columns(2)
        samples = left.number_input(say(lang, "samples"), 500, 50_000, 10_000, 500, key=keys.R_SAMPLES)
        seed = right.number_input(say(lang, "seed"), 0, 2**31 - 1, 0, 1, key=keys.R_SEED)
    return choice, int(samples), int(seed)


def _ranges(ruleset: RuleSet, lang: str) -> tuple[tuple[str, float, float], ...]:
    """A range slider per criterion, in points on the rule file's scale, starting at the standard ± 20 %."""
    found = shape.criteria(ruleset, lang)
    several = len({c.scoring_set for c in found}) > 1
    columns = st.columns(2)
    ranges = []
    for i, crit in enumerate(found):  # a loop over criteria
        prefix = say(lang, "range_set", set=crit.scoring_set) if several else ""
        low, high = columns[i % 2].slider(
            prefix + say(lang, "range", label=crit.label, weight=crit.weight),
            0.0,
            crit.total,
            shape.default_range(crit),
            step=0.5,
            key=keys.weight_range(crit.key),
        )
        ranges.append((crit.key, float(low), float(high)))
    return tuple(ranges)


def _orders(ruleset: RuleSet, lang: str) -> tuple[tuple[str, ...], ...]:
    """Per working-group department, criteria picked heaviest first (the pick order is the rank order)."""
    found = {c.key: c.label for c in shape.criteria(ruleset, lang)}
    columns = st.columns(2)
    chains = []
    for i, department in enumerate(WORKING_GROUP):  # four departments
        picked = common.choose(
            columns[i % 2],
            "multiselect",
            say(lang, "order", department=department.label(lang)),
            list(found),
            keys.weight_order(department.value),
            lang,
            found.get,
            help=say(lang, "order_help"),
        )
        chains.append(tuple(picked))
    return tuple(chains)


def _headline(result: Result, robust: RobustnessResult, lang: str) -> None:
    for message in robust.issues["message_zh" if lang == "zh" else "message_en"]:
        st.warning(plain(message))  # the library's words already ask the departments for ranges
    if result.is_evaluation:
        st.caption(say(lang, "evaluation_note"))
    found = shape.counts(result, robust)
    for column, (label, count) in zip(st.columns(len(found)), found.items(), strict=True):
        column.metric(label.label(lang), f"{count:,}")


def _table(result: Result, robust: RobustnessResult, lang: str) -> None:
    st.caption(say(lang, "table_note"))
    frame = shape.firm_table(result, robust, lang)
    bars = {
        column: st.column_config.ProgressColumn(column, min_value=0.0, max_value=1.0, format="percent")
        for column in shape.probability_columns(frame, lang)
    }
    common.table(frame, key="robustness:table", height=460, config=bars)


def _bars(result: Result, robust: RobustnessResult, lang: str) -> None:
    if result.is_evaluation:
        found = shape.class_bars(result, robust, lang)
        words = {"title": say(lang, "class_bars_title", count=len(found["names"])), "axis": say(lang, "axis_class")}
        figure = charts.class_bars(found["names"], found["shares"], words)
    else:
        found = shape.admission_bars(robust, lang)
        if not found["names"]:
            st.caption(say(lang, "bars_none"))
            return
        words = {"title": say(lang, "bars_title", count=len(found["names"])), "axis": say(lang, "axis_admit")}
        figure = charts.probability_bars(found["names"], found["values"], found["labels"], words)
    st.plotly_chart(figure, key="robustness:bars", config=charts.CONFIG)


def _dominance(robust: RobustnessResult, lang: str) -> None:
    frame = shape.dominance_table(robust, lang)
    if frame.empty:
        st.success(say(lang, "dominance_none"))
        return
    st.warning(say(lang, "dominance_note"))
    common.table(frame)


def _gap(result: Result, key: tuple, lang: str) -> None:
    choices = shape.firm_choices(result, lang)
    if not choices:
        return
    row = common.choose(
        st,
        "selectbox",
        say(lang, "gap_firm"),
        list(choices),
        keys.R_FIRM,
        lang,
        choices.get,
        default=shape.first_to_explain(result),
    )
    try:
        with st.spinner(say(lang, "gap_computing"), show_time=True):
            found = _gaps(key, int(row), _result=result)
    except ScreeningError as exc:
        common.refusal(exc, lang)
        return
    frame = gap_table(result, found, int(row), lang)
    if frame.empty:
        st.info(say(lang, "gap_none"))
        return
    st.caption(say(lang, "gap_note"))
    numbers = {c: st.column_config.NumberColumn(c, format="%,.2f") for c in frame.columns[2:5]}
    common.table(frame, config=numbers)


def _download(result: Result, robust: RobustnessResult, lang: str) -> None:
    st.caption(say(lang, "download_note"))
    st.download_button(
        say(lang, "download"),
        lambda: write_analysis_xlsx(result, robust=robust, lang=lang),  # built only when clicked
        file_name=f"{result.ruleset.model.park.id}-robustness.xlsx",
        mime=common.XLSX_MIME,
        key=keys.R_DOWNLOAD,
        type="primary",
        on_click="ignore",
    )
