"""The access check and the sign-in gate: the first thing on the page, before any data.

The library decides (``screening.store.access``): served on this machine only and without accounts,
the local user goes straight in; served beyond localhost without accounts, the app refuses to
start; with accounts, nothing is shown or accepted until someone signs in. The workspace views
get the signed-in actor from :func:`current_actor` and the workspace from :func:`workspace`.
"""

from __future__ import annotations

import streamlit as st

from screening.issues.record import ScreeningError
from screening.store.access import Actor, has_accounts, is_local_address, local_actor, serving_problem, sign_in
from screening.store.workspace import Workspace, default_path, open_workspace

from . import state
from .text import plain

WORDS = {
    "zh": {
        "sign_in": "登录工作台",
        "name": "账号",
        "password": "密码",
        "submit": "登录",
        "wrong": "账号或密码不正确。",
        "signed_in": "已登录：{name}",
        "sign_out": "退出登录",
        "refused": "已拒绝启动",
        "no_workspace": "工作台数据库不可用，甄别仍可使用，但无法保存：",
    },
    "en": {
        "sign_in": "Sign in to the workspace",
        "name": "Account",
        "password": "Password",
        "submit": "Sign in",
        "wrong": "Wrong account or password.",
        "signed_in": "Signed in: {name}",
        "sign_out": "Sign out",
        "refused": "Refused to start",
        "no_workspace": "The workspace database is unavailable; screening works but nothing can be saved:",
    },
}


@st.cache_resource(show_spinner=False)
def _open(path: str) -> Workspace:
    return open_workspace(path)  # checked and migrated once per server process and file


def workspace() -> Workspace:
    return _open(str(default_path()))


def server_address() -> str | None:
    """Where the server listens: ``server.address`` from .streamlit/config.toml or the command line."""
    return st.get_option("server.address")


def current_actor() -> Actor | None:
    return st.session_state.get(state.ACTOR)


def gate(lang: str) -> Actor:
    """The actor this session acts as; stops the page (nothing else rendered) when it may not go on."""
    words = WORDS[lang]
    address = server_address()
    try:
        ws = workspace()
    except ScreeningError as exc:
        if not is_local_address(address):
            _refuse(exc, lang)
        st.warning(f"{words['no_workspace']} {plain(exc.one_line(lang))}")
        return local_actor()
    problem = serving_problem(ws, address)
    if problem is not None:
        _refuse(problem, lang)
    if not has_accounts(ws):
        return local_actor()
    actor = current_actor()
    if actor is None:
        _sign_in_form(ws, lang)
        st.stop()
    st.sidebar.caption(words["signed_in"].format(name=plain(actor.name)))
    if st.sidebar.button(words["sign_out"], key=state.SIGN_OUT):
        del st.session_state[state.ACTOR]
        st.rerun()
    return actor


def _refuse(error: ScreeningError, lang: str) -> None:
    st.error(WORDS[lang]["refused"])
    for issue in error.issues:
        st.markdown(f"- {plain(issue.message(lang))} `{issue.code}`")
    st.stop()


def _sign_in_form(ws: Workspace, lang: str) -> None:
    words = WORDS[lang]
    with st.form(state.SIGN_IN, clear_on_submit=True):
        st.subheader(words["sign_in"])
        name = st.text_input(words["name"], key=state.SIGN_IN_NAME)
        password = st.text_input(words["password"], type="password", key=state.SIGN_IN_PASSWORD)
        submitted = st.form_submit_button(words["submit"], key=state.SIGN_IN_SUBMIT)
    if submitted:
        actor = sign_in(ws, name, password)
        if actor is None:
            st.error(words["wrong"])
            return
        st.session_state[state.ACTOR] = actor
        st.rerun()
