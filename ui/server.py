"""`serve(settings)`: run the API + UI with uvicorn, refusing to expose it without credentials."""

from __future__ import annotations

from typing import Any

from shiori.settings import Settings
from ui.api import parse_auth


class ServeError(RuntimeError):
    """The server refuses to start (e.g. a public address without credentials)."""


def check_exposure(settings: Settings) -> None:
    """Refuse a non-loopback host unless settings.ui_auth holds 'user:password'."""
    try:
        auth = parse_auth(settings.ui_auth)
    except ValueError as e:
        raise ServeError(f"SHIORI_UI_AUTH is malformed: {e}") from None
    if not settings.is_loopback and auth is None:
        raise ServeError(
            f"refusing to serve on {settings.ui_host}: that address is reachable from other machines, "
            "so credentials are required. Set SHIORI_UI_AUTH='user:password' (or ui_auth in shiori.toml), "
            "or bind to 127.0.0.1."
        )


def build(settings: Settings, service: Any = None) -> Any:
    """The ASGI app for these settings (a real `Shiori` unless a service is given)."""
    check_exposure(settings)
    if service is None:
        from rag.service import Shiori

        service = Shiori(settings)
    from ui.api import create_app

    return create_app(service, settings)


def serve(settings: Settings, service: Any = None) -> None:
    """Serve the REST API and the Gradio UI on settings.ui_host:ui_port (blocks)."""
    import uvicorn

    app = build(settings, service)
    uvicorn.run(app, host=settings.ui_host, port=settings.ui_port, log_level="info")
