"""A tiny app that runs the three standalone pages the way the app will (language switch, the sign-in
gate, navigation), for the browser test and for looking at them by hand:

    .venv/bin/streamlit run tests/ui/pages_harness.py

The real app (``app.py``) registers the same ``render`` functions in its own navigation.
"""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from anywhere: the project's packages

st.set_page_config(page_title="入园甄别 · pages", layout="wide")

from ui import access  # noqa: E402
from ui.pages import district, robustness, workspace  # noqa: E402

lang = st.sidebar.radio(
    "语言 / Language",
    ["zh", "en"],
    key="lang",
    horizontal=True,
    format_func=lambda c: "中文" if c == "zh" else "English",
)
access.gate(lang)
pages = [
    st.Page(lambda: district.render(lang), title="全区统筹" if lang == "zh" else "District", url_path="district"),
    st.Page(lambda: robustness.render(lang), title="稳健性" if lang == "zh" else "Robustness", url_path="robustness"),
    st.Page(lambda: workspace.render(lang), title="工作组" if lang == "zh" else "Working group", url_path="workspace"),
]
st.navigation(pages).run()
