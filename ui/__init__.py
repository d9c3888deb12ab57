"""Shiori's web UI (Gradio) and REST API: a thin layer that renders `rag`'s objects."""
