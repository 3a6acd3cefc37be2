"""The Streamlit front end: it shows what ``screening`` decides, and decides nothing itself."""
