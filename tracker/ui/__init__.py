"""The Streamlit layer: the only part of tracker/ that imports streamlit."""
