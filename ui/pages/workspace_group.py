"""The 工作组 page's two working views: the departments' opinions on a round's firms, and the meeting
(the pack to download, the filled pack uploaded back to record the decisions).

Rights are the library's (``screening.store.access``): a department account writes its own
department's opinions only, only an account that decides records decisions. The form offers a
department account its own department alone, so the refusal is rarely needed — but it is there.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from screening.issues.record import ScreeningError
from screening.store.access import Actor
from screening.store.meeting import build_pack, final_decisions, record_decisions
from screening.store.opinions import add_opinion, firm_opinions, missing_by_department, missing_opinions, opinions_frame
from screening.store.rounds import round_snapshot
from screening.store.uploads import sha256_of
from screening.store.workspace import Workspace
from screening.vocabulary import WORKING_GROUP, Department, Verdict

from ..shape import workspace as shape
from ..text import plain
from . import common, keys
from .workspace_words import WORDS


def say(lang: str, key: str, **values) -> str:
    return common.say(WORDS, lang, key, **values)


def opinions(ws: Workspace, round_name: str, actor: Actor, lang: str) -> None:
    """Who still owes an opinion; one firm's opinions beside the rules' verdict; the form to add one."""
    top = st.container()  # filled after the form, so that an opinion just recorded is counted
    snapshot = round_snapshot(ws, round_name)
    choices = shape.firm_choices(snapshot, lang)
    row = common.choose(st, "selectbox", say(lang, "firm"), list(choices), keys.W_FIRM, lang, choices.get)
    _opinion_form(ws, round_name, int(row), actor, lang)
    with top:
        _missing(ws, round_name, lang)
    firm = snapshot.firms[snapshot.firms["source_row"] == row].iloc[0]
    score = "—" if pd.isna(firm["score"]) else f"{firm['score']:.1f}"
    klass = "—" if pd.isna(firm["class"]) else firm["class"]
    decision = shape.decision_words(lang)[firm["decision"]]
    st.markdown(f"**{plain(say(lang, 'rules_verdict', decision=decision, klass=klass, score=score))}**")
    st.markdown(f"#### {say(lang, 'opinions_now')}")
    common.table(shape.opinions_table(firm_opinions(ws, round_name, int(row)), lang))
    history = opinions_frame(ws, round_name, history=True)
    with st.expander(say(lang, "history")):
        common.table(shape.opinions_table(history[history["source_row"] == row], lang))


def _missing(ws: Workspace, round_name: str, lang: str) -> None:
    st.markdown(f"#### {say(lang, 'missing')}")
    missing = missing_opinions(ws, round_name)
    if missing.empty:
        st.caption(say(lang, "missing_none"))
        return
    counts = missing_by_department(missing)
    for column, (department, count) in zip(st.columns(len(counts)), counts.items(), strict=True):
        column.metric(department.label(lang), f"{count:,}")
    common.table(shape.missing_table(missing, lang), key="workspace:missing_table")


def _departments(actor: Actor) -> list[Department]:
    """The departments this actor may speak for: its own (a department account), or any (the local user)."""
    if actor.account is None:
        return list(WORKING_GROUP)
    own = actor.account.department
    return [own] if own in WORKING_GROUP else []


def _opinion_form(ws: Workspace, round_name: str, row: int, actor: Actor, lang: str) -> None:
    allowed = _departments(actor)
    if not allowed:
        st.info(say(lang, "no_right"))
        return
    with st.form(keys.W_OPINION_FORM, clear_on_submit=True):
        st.markdown(f"#### {say(lang, 'add_opinion')}")
        left, right = st.columns([1, 2])
        department = common.choose(
            left,
            "selectbox",
            say(lang, "department"),
            [d.value for d in allowed],
            keys.W_DEPARTMENT,
            lang,
            lambda d: Department(d).label(lang),
            disabled=len(allowed) == 1,
        )
        verdict = common.choose(
            right,
            "radio",
            say(lang, "verdict"),
            [v.value for v in Verdict],
            keys.W_VERDICT,
            lang,
            lambda v: Verdict(v).label(lang),
            horizontal=True,
        )
        conditions = st.text_area(say(lang, "conditions"), key=keys.W_CONDITIONS, max_chars=2000, height=80)
        note = st.text_area(say(lang, "note"), key=keys.W_NOTE, max_chars=2000, height=80)
        submitted = st.form_submit_button(say(lang, "submit"), key=keys.W_OPINION_SUBMIT, type="primary")
    if not submitted:
        return
    try:
        add_opinion(ws, round_name, row, department, verdict, actor, conditions=conditions, note=note)
    except ScreeningError as exc:
        common.refusal(exc, lang)
        return
    words = {"department": Department(department).label(lang), "row": row, "verdict": Verdict(verdict).label(lang)}
    st.success(say(lang, "opinion_saved", **words))


def meeting(ws: Workspace, round_name: str, actor: Actor, lang: str) -> None:
    """The pack (built on request, since it reflects the opinions at that moment), the decisions read back."""
    st.caption(say(lang, "pack_note"))
    if st.button(say(lang, "build_pack"), key=keys.W_PACK_BUILD, type="primary"):
        try:
            with st.spinner(say(lang, "building")):
                st.session_state[keys.W_PACK] = (round_name, lang, build_pack(ws, round_name, lang))
        except ScreeningError as exc:
            common.refusal(exc, lang)
    built = st.session_state.get(keys.W_PACK)
    if built and built[:2] == (round_name, lang):
        st.download_button(
            say(lang, "download_pack"),
            built[2],
            file_name=f"meeting-pack-{round_name}.xlsx",
            mime=common.XLSX_MIME,
            key=keys.W_PACK_DOWNLOAD,
            on_click="ignore",
        )
    _record(ws, round_name, actor, lang)
    st.markdown(f"#### {say(lang, 'final')}")
    final = final_decisions(ws, round_name)
    if final.empty:
        st.caption(say(lang, "final_none"))
        return
    common.table(shape.decisions_table(final, round_snapshot(ws, round_name).firms, lang), key="workspace:final_table")


def _record(ws: Workspace, round_name: str, actor: Actor, lang: str) -> None:
    upload = st.file_uploader(say(lang, "upload_decisions"), type=["xlsx"], key=keys.W_DECISIONS_UPLOAD)
    if upload is None:
        return
    content = upload.getvalue()
    this = (round_name, sha256_of(content))
    if st.session_state.get(keys.W_RECORDED) == this:  # the same workbook twice would only repeat the entries
        st.caption(say(lang, "already_recorded"))
        return
    if not st.button(say(lang, "record"), key=keys.W_DECISIONS_RECORD):
        return
    try:
        with st.spinner(say(lang, "recording")):
            found = record_decisions(ws, round_name, content, upload.name, actor)
    except ScreeningError as exc:
        common.refusal(exc, lang)
        return
    st.session_state[keys.W_RECORDED] = this
    st.success(say(lang, "recorded", count=found.stored))
    if found.undecided:
        st.caption(say(lang, "undecided", rows="、".join(str(r) for r in found.undecided)))
