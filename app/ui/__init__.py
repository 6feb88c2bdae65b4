"""Pieces of the Streamlit page. Only this package and ``streamlit_app.py`` import streamlit."""
