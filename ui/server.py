"""`serve(settings)`: run the API + UI with uvicorn, refusing to expose it without credentials."""

from __future__ import annotations

import logging
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


class BoundedRecords(logging.Filter):
    """Cuts every log record's text (message, arguments, traceback) to `limit` characters: a hostile
    request must not write megabytes of its own input into the log."""

    def __init__(self, limit: int = 2000) -> None:
        super().__init__()
        self.limit = limit

    def _cut(self, value: Any) -> Any:
        if isinstance(value, str) and len(value) > self.limit:
            return f"{value[:self.limit]}… ({len(value):,} characters)"
        return value

    def filter(self, record: logging.LogRecord) -> bool:
        """Shorten the record in place; never drops it."""
        record.msg = self._cut(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(self._cut(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: self._cut(v) for k, v in record.args.items()}
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and len(record.exc_text) > 2 * self.limit:  # the frames, then the last words
            record.exc_text = f"{record.exc_text[:self.limit]}\n…\n{record.exc_text[-self.limit:]}"
        return True


def log_config(limit: int = 2000) -> dict[str, Any]:
    """uvicorn's logging set-up with every handler bounded, and the app's own warnings shown the same way."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"bounded": {"()": BoundedRecords, "limit": limit}}
    for handler in config["handlers"].values():
        handler["filters"] = ["bounded"]
    config["root"] = {"handlers": ["default"], "level": "WARNING"}
    return config


def serve(settings: Settings, service: Any = None) -> None:
    """Serve the REST API and the Gradio UI on settings.ui_host:ui_port (blocks)."""
    import uvicorn

    app = build(settings, service)
    uvicorn.run(app, host=settings.ui_host, port=settings.ui_port, log_level="info", log_config=log_config())
