"""Plain shaping for the standalone pages: frames, dicts and chart data — no Streamlit here."""
