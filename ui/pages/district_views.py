"""The 全区统筹 page's views, one at a time: the allocation, the optimum against the rank-order fill,
the firm × park matrix, the parks, the land frontier, the money, the data issues, the download."""

from __future__ import annotations

import streamlit as st

from screening.district import DISTRICT, DistrictPlan, Frontier
from screening.report.district_sheets import issues_frame, write_district_xlsx
from screening.vocabulary import IssueSeverity

from ..shape import district as shape
from ..text import plain
from . import charts, common, keys
from .district_words import WORDS

TABLE_HEIGHT = 460
FRONTIER_SECONDS = 3.0


def say(lang: str, key: str, **values) -> str:
    return common.say(WORDS, lang, key, **values)


def show(view: str, plan: DistrictPlan, cache_key: tuple, lang: str) -> None:
    """``cache_key``: (file digests, parks, settings) — what the plan was computed from."""
    if view == "allocation":
        _allocation(plan, lang)
    elif view == "compare":
        _compare(plan, lang)
    elif view == "matrix":
        _matrix(plan, lang)
    elif view == "parks":
        common.table(shape.parks_table(plan, lang))
    elif view == "frontier":
        _frontier(plan, cache_key, lang)
    elif view == "money":
        _money(plan, lang)
    elif view == "issues":
        _issues(plan, lang)
    else:
        _download(plan, cache_key, lang)


def _reason_column(frame, lang: str) -> dict:
    column = "说明" if lang == "zh" else "Reasons"
    return {column: st.column_config.TextColumn(column, width="large")} if column in frame else {}


def _allocation(plan: DistrictPlan, lang: str) -> None:
    st.markdown(f"#### {say(lang, 'outcomes')}")
    common.table(shape.out_counts(plan, lang), width="content")
    st.caption(say(lang, "allocation_note"))
    frame = shape.allocation_table(plan, lang)
    common.table(frame, key="district:allocation_table", height=TABLE_HEIGHT, config=_reason_column(frame, lang))


def _compare(plan: DistrictPlan, lang: str) -> None:
    common.table(shape.comparison(plan, lang))
    words = {
        "optimum": say(lang, "optimum"),
        "greedy": say(lang, "greedy"),
        "quota": say(lang, "quota_mark"),
        "unit": say(lang, "mu"),
        "title": say(lang, "land_chart"),
    }
    st.plotly_chart(
        charts.park_land(shape.park_bars(plan, lang), words), key="district:land_chart", config=charts.CONFIG
    )
    st.markdown(f"#### {say(lang, 'differences')}")
    frame = shape.differences_table(plan, lang)
    if frame.empty:
        st.caption(say(lang, "differences_none"))
        return
    common.table(frame, config=_reason_column(frame, lang))


def _matrix(plan: DistrictPlan, lang: str) -> None:
    show = common.choose(
        st,
        "radio",
        say(lang, "matrix_show"),
        list(shape.MATRIX_SHOWS),
        keys.D_MATRIX_SHOW,
        lang,
        lambda s: say(lang, f"show_{s}"),
        horizontal=True,
    )
    common.table(shape.matrix_table(plan, show, lang), key="district:matrix_table", height=TABLE_HEIGHT)


@st.cache_resource(show_spinner=False, max_entries=8)
def _frontier_of(cache_key: tuple, scope: str, step: float, steps: int, _plan: DistrictPlan) -> Frontier:
    return _plan.frontier(scope, step, steps, time_limit=FRONTIER_SECONDS)


def _frontier(plan: DistrictPlan, cache_key: tuple, lang: str) -> None:
    names = shape.park_names(plan, lang)
    left, middle, right = st.columns([3, 1, 1])
    scope = common.choose(
        left,
        "selectbox",
        say(lang, "frontier_scope"),
        [DISTRICT, *names],
        keys.D_FRONTIER_SCOPE,
        lang,
        lambda s: say(lang, "district_wide") if s == DISTRICT else names[s],
    )
    step = middle.number_input(say(lang, "frontier_step"), 5.0, 1000.0, 50.0, 5.0, "%.0f", keys.D_FRONTIER_STEP)
    steps = right.number_input(say(lang, "frontier_steps"), 1, 40, 20, 1, key=keys.D_FRONTIER_STEPS)
    wanted = (cache_key, scope, float(step), int(steps))
    if st.button(say(lang, "frontier_run"), key=keys.D_FRONTIER_RUN, type="primary"):
        st.session_state[keys.D_FRONTIER_ASKED] = wanted
    if st.session_state.get(keys.D_FRONTIER_ASKED) != wanted:
        st.caption(say(lang, "frontier_hint", step=step))
        return
    with st.spinner(say(lang, "frontier_computing"), show_time=True):
        frontier = _frontier_of(*wanted, _plan=plan)
    words = {key: say(lang, f"frontier_{key}") for key in ("value", "bound", "tax", "firms", "compensation", "title")}
    figure = charts.frontier(shape.frontier_figure(frontier, lang), words)
    st.plotly_chart(figure, key="district:frontier_chart", config=charts.CONFIG)
    common.table(shape.frontier_table(frontier, lang))


def asked_frontier(plan: DistrictPlan, cache_key: tuple) -> Frontier | None:
    """The frontier computed for these settings, if the user asked for one (it goes in the workbook)."""
    asked = st.session_state.get(keys.D_FRONTIER_ASKED)
    if not asked or asked[0] != cache_key:
        return None
    return _frontier_of(*asked, _plan=plan)


def _money(plan: DistrictPlan, lang: str) -> None:
    st.markdown(f"#### {say(lang, 'speech')}")
    for line in shape.speech(plan, lang):
        st.markdown(f"- {plain(line)}")
    st.markdown(f"#### {say(lang, 'batch_summary')}")
    common.table(shape.batch_summary(plan, lang))
    if plan.options.retention.share is None:
        st.caption(say(lang, "money_note"))
    elif plan.options.years is None:
        st.caption(say(lang, "money_years_note"))
    st.markdown(f"#### {say(lang, 'per_firm')}")
    common.table(shape.money_table(plan, lang), key="district:money_table", height=TABLE_HEIGHT)


def _issues(plan: DistrictPlan, lang: str) -> None:
    frame = issues_frame(plan, lang)
    if frame.empty:
        st.success(say(lang, "issues_none"))
        return
    severity = frame.columns[1]
    frame[severity] = frame[severity].map({s.value: s.label(lang) for s in IssueSeverity})
    common.table(frame, key="district:issues_table", height=TABLE_HEIGHT)


def _download(plan: DistrictPlan, cache_key: tuple, lang: str) -> None:
    st.caption(say(lang, "download_note"))
    frontier = asked_frontier(plan, cache_key)
    st.download_button(
        say(lang, "download"),
        lambda: write_district_xlsx(plan, lang, frontier),  # built only when clicked
        file_name="district-allocation.xlsx",
        mime=common.XLSX_MIME,
        key=keys.D_DOWNLOAD,
        type="primary",
        on_click="ignore",
    )
