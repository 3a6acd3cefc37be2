"""工作组 · the working group's workspace: save a round, list rounds, open one, compare two; the
departments' opinions and the meeting (``workspace_group.py``).

The workspace is ``ui.access.workspace()``; whoever acts is ``ui.access.current_actor()`` (the
sign-in gate runs first on every page). With accounts configured and nobody signed in, the page
shows nothing — a second lock behind the gate. Nothing here is cached: after a write, the next
read shows it. Everything the users typed (round names, notes, firm names) is shown as plain text.
"""

from __future__ import annotations

import streamlit as st

from screening.issues.record import ScreeningError
from screening.store.access import Actor, has_accounts, local_actor
from screening.store.compare import compare_rounds
from screening.store.meeting import final_decisions
from screening.store.opinions import opinions_frame
from screening.store.rounds import InputFile, list_rounds, round_info, round_snapshot, save_round
from screening.store.workspace import Workspace

from .. import access, data
from ..shape import workspace as shape
from ..shape.workspace import CurrentScreening
from ..text import plain
from . import common, keys, workspace_group
from .workspace_words import WORDS

VIEWS = ("save", "rounds", "round", "compare", "opinions", "meeting")
PREFIX = keys.WORKSPACE


def say(lang: str, key: str, **values) -> str:
    return common.say(WORDS, lang, key, **values)


def render(lang: str) -> None:
    st.title(say(lang, "title"))
    st.caption(say(lang, "subtitle"))
    try:
        ws = access.workspace()
    except ScreeningError as exc:
        common.refusal(exc, lang, say(lang, "no_workspace"))
        return
    actor = _actor(ws, lang)
    if actor is None:
        return
    view = common.view_picker(PREFIX, VIEWS, WORDS, lang)
    if view == "save":
        _save(ws, actor, lang)
        return
    rounds = list_rounds(ws)
    if rounds.empty:
        st.info(say(lang, "no_rounds"))
        return
    names = rounds["name"].tolist()
    if view == "rounds":
        common.table(shape.rounds_table(rounds, _park_names(lang), lang))
    elif view == "compare":
        _compare(ws, names, lang)
    else:
        chosen = st.selectbox(say(lang, "round"), names, key=keys.W_ROUND)
        if view == "round":
            _round(ws, chosen, lang)
        elif view == "opinions":
            workspace_group.opinions(ws, chosen, actor, lang)
        else:
            workspace_group.meeting(ws, chosen, actor, lang)


def _actor(ws: Workspace, lang: str) -> Actor | None:
    """The signed-in actor; the local user when there are no accounts; None (and nothing shown) when
    accounts exist and nobody signed in."""
    actor = access.current_actor()
    if actor is None:
        if has_accounts(ws):
            st.warning(say(lang, "sign_in_first"))
            return None
        actor = local_actor()
    department = actor.account.department if actor.account else None
    if department is None:
        st.caption(plain(say(lang, "who", name=actor.name)))
    else:
        st.caption(plain(say(lang, "who_department", name=actor.name, department=department.label(lang))))
    return actor


def _park_names(lang: str) -> dict[str, str]:
    profiles, _ = data.profiles()
    return {pid: r.model.park.name.get(lang) for pid, r in profiles.items()}


def _what_to_save(lang: str) -> CurrentScreening | None:
    """The main page's current screening if it left one; else this page's own list and park."""
    current = st.session_state.get(keys.CURRENT_SCREENING)
    profiles, _ = data.profiles()
    if isinstance(current, CurrentScreening) and current.park in profiles:
        park = profiles[current.park].model.park.name.get(lang)
        files = "、".join(name for name, _ in current.files)
        st.info(plain(say(lang, "current", park=park, files=files, changes=len(current.overrides))))
        return current
    if not profiles:
        return None
    files = common.uploads(PREFIX, lang)
    park = common.park_picker(PREFIX, profiles, lang)
    applicants_only = common.applicants_toggle(PREFIX, lang)
    return CurrentScreening(tuple((f.name, f.data) for f in files), park, applicants_only=applicants_only)


def _save(ws: Workspace, actor: Actor, lang: str) -> None:
    chosen = _what_to_save(lang)
    if chosen is None:
        return
    name = st.text_input(
        say(lang, "round_name"), key=keys.W_ROUND_NAME, placeholder=say(lang, "round_name_placeholder"), max_chars=200
    )
    if not st.button(say(lang, "save"), key=keys.W_SAVE, type="primary"):
        return
    profiles, _ = data.profiles()
    try:
        with st.spinner(say(lang, "saving")):
            info = save_round(
                ws,
                name,
                [InputFile(file_name, content) for file_name, content in chosen.files],
                profiles[chosen.park],
                dict(chosen.overrides),
                actor,
                sheet=chosen.sheet,
                manual=dict(chosen.manual) or None,
                applicants_only=chosen.applicants_only,
            )
    except ScreeningError as exc:
        common.refusal(exc, lang)
        return
    counts = {k: info.counts.get(k, 0) for k in ("admit", "review", "reject")}
    st.success(plain(say(lang, "saved", name=info.name, **counts)))


def _round(ws: Workspace, name: str, lang: str) -> None:
    """What the round was and what it decided (the stored snapshot, whatever the rule files say today)."""
    info = round_info(ws, name)
    profiles, _ = data.profiles()
    columns = st.columns(4)
    for column, key in zip(columns, ("admit", "review", "reject", "not_scored"), strict=True):
        column.metric(shape.decision_words(lang)[key], f"{info.counts.get(key, 0):,}")
    st.markdown(f"#### {say(lang, 'facts')}")
    common.table(shape.round_facts(info, _park_names(lang), profiles.get(info.park), lang))
    st.markdown(f"#### {say(lang, 'decided')}")
    frame = shape.snapshot_table(round_snapshot(ws, name), opinions_frame(ws, name), final_decisions(ws, name), lang)
    common.table(frame, key="workspace:snapshot_table", height=460)


def _compare(ws: Workspace, names: list[str], lang: str) -> None:
    left, right = st.columns(2)
    a = left.selectbox(say(lang, "compare_a"), names, index=min(1, len(names) - 1), key=keys.W_COMPARE_A)
    b = right.selectbox(say(lang, "compare_b"), names, index=0, key=keys.W_COMPARE_B)
    if a == b:
        st.info(say(lang, "same_round"))
        return
    try:
        diff = compare_rounds(ws, a, b, lang)
    except ScreeningError as exc:
        common.refusal(exc, lang)
        return
    profiles, _ = data.profiles()
    tables = shape.comparison_tables(diff, profiles.get(diff["b"]["park"]), lang)
    why = "原因" if lang == "zh" else "Why"
    for key in ("entered", "left", "parameters"):
        st.markdown(f"#### {say(lang, key)}")
        if tables[key].empty:
            st.caption(say(lang, "none_moved"))
            continue
        common.table(tables[key], config={why: st.column_config.TextColumn(why, width="large")})
