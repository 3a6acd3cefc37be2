"""入园甄别 · park-entry screening — start with: streamlit run app.py"""

import streamlit as st

st.set_page_config(page_title="入园甄别 · Park-entry screening", page_icon="🏭", layout="wide")

from ui.main import render  # noqa: E402 - set_page_config must come first

render()
