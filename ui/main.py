"""The page: sidebar choices -> cached load and screening -> headline figures -> the chosen view."""

from __future__ import annotations

import streamlit as st

from screening.issues.record import ScreeningError

from . import access, data, sidebar, state, views
from .text import plain, t

VIEWS = ["view_table", "view_firm", "view_charts", "view_issues", "view_export"]


def render() -> None:
    lang = sidebar.language()
    access.gate(lang)  # refuses, or asks to sign in, before anything is read or shown
    parks, broken = data.profiles()
    st.title(t(lang, "title"))
    st.caption(t(lang, "subtitle"))
    for issue in broken:
        st.error(f"{t(lang, 'error_rules')}: {plain(issue.one_line(lang))}")
    if not parks:
        st.stop()
    park = sidebar.park_picker(parks, lang)
    ruleset = parks[park]
    upload = sidebar.upload(lang)
    table_id = f"{upload.sha256[:16]}:{park}"
    manual = state.manual_mapping(st.session_state, table_id)
    sheet = st.session_state.get(state.SHEET)
    try:
        table = data.table(upload.sha256, upload.name, park, sheet, manual, _upload=upload, _ruleset=ruleset)
    except ScreeningError as exc:
        _explain_refusal(exc, lang)
        st.stop()
    sidebar.sheet_picker(table, lang)
    applicants_only = sidebar.applicants_only(table, ruleset, lang)
    sidebar.mapping_review(table, ruleset, table_id, lang)
    overrides = sidebar.sliders(ruleset, lang)
    table_key = (upload.sha256, park, table.sheet, manual)
    changes = tuple(sorted(overrides.items()))
    result = data.screened(table_key, changes, applicants_only, _table=table, _ruleset=ruleset)
    _park_header(ruleset, lang)
    if table.mapping.required_missing:
        st.warning(t(lang, "mapping_needed"))
    views.headline(result, lang)
    view = st.radio(
        t(lang, "view"),
        VIEWS,
        horizontal=True,
        key=state.VIEW,
        format_func=lambda k: t(lang, k),
        label_visibility="collapsed",
    )
    if view == "view_table":
        views.ranked_table(result, lang)
    elif view == "view_firm":
        views.firm_view(result, lang)
    elif view == "view_charts":
        views.charts_view(result, ruleset, overrides, (table_key, applicants_only), lang)
    elif view == "view_issues":
        views.issues_view(result, lang)
    else:
        views.export_view(result, lang)
    st.caption(t(lang, "footer"))


def _park_header(ruleset, lang: str) -> None:
    park = ruleset.model.park
    st.subheader(f"{plain(park.name.get(lang))} · {ruleset.model.version}")
    if park.description:
        st.caption(plain(park.description.get(lang)))


def _explain_refusal(error: ScreeningError, lang: str) -> None:
    st.error(t(lang, "error_title"))
    for issue in error.issues:
        st.markdown(f"- {plain(issue.message_zh if lang == 'zh' else issue.message_en)} `{issue.code}`")
    st.info(t(lang, "error_hint"))
