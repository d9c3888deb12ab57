"""`serve(settings)`: run the API (+ UI) with uvicorn, refusing to expose it without credentials.

Once it listens and its models are loaded, the server announces itself in `<index_dir>/service.json`
(see shiori.discovery) so `shiori ask`/`check` answer through it; the file goes when the server stops.
"""

from __future__ import annotations

import ipaddress
import logging
import threading
import time
from dataclasses import replace
from typing import Any

from shiori.settings import Settings
from ui.api import parse_auth

log = logging.getLogger(__name__)


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


def build(settings: Settings, service: Any = None, *, ui: bool = True, token: str | None = None) -> Any:
    """The ASGI app for these settings (a real `Shiori` unless a service is given); `ui=False`: API only."""
    check_exposure(settings)
    if service is None:
        from rag.service import Shiori

        service = Shiori(settings)
    if not ui:
        from ui.api import create_api

        return create_api(service, settings, token=token)
    from ui.api import create_app

    return create_app(service, settings, token)


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


def _client_host(host: str) -> str:
    """The address a local client dials for a server bound to `host` (the wildcard means loopback)."""
    try:
        if ipaddress.ip_address(host.strip("[]")).is_unspecified:
            return "127.0.0.1"
    except ValueError:
        pass
    return host


def _announce(server: Any, service: Any, settings: Settings, state: Any) -> None:
    """Wait until uvicorn listens, load the models, then write the state file the CLI discovers."""
    from shiori.discovery import write_state

    while not server.started:
        if server.should_exit:
            return
        time.sleep(0.05)
    port = state.port
    for srv in getattr(server, "servers", []):
        for sock in srv.sockets:
            port = sock.getsockname()[1]  # the real port when asked for port 0
    warm = getattr(service, "warm_up", None)
    if warm is not None:
        try:
            warm()
        except Exception:  # noqa: BLE001 - the first question will report it; the server still serves
            log.exception("warm-up failed")
    if not server.should_exit:
        path = write_state(settings, replace(state, port=port))
        log.info("Shiori service ready on port %s (announced in %s)", port, path)


def prepare(settings: Settings, service: Any = None, *, ui: bool = True) -> tuple[Any, Any, Any]:
    """(uvicorn server, service, state to announce) for these settings; refuses a second service."""
    import uvicorn

    from shiori.discovery import discover, new_state, remove_state

    check_exposure(settings)
    running = discover(settings).service
    if running is not None:
        raise ServeError(f"a Shiori service for this index is already running at {running.url} "
                         f"(pid {running.pid}); stop it first or use it.")
    if service is None:
        from rag.service import Shiori

        service = Shiori(settings)
    state = new_state(settings, _client_host(settings.ui_host), settings.ui_port, "ui" if ui else "serve")
    app = build(settings, service, ui=ui, token=state.token)

    class Server(uvicorn.Server):
        async def shutdown(self, sockets=None) -> None:
            # Withdrawn here, not only after run(): on SIGTERM uvicorn re-raises the signal once it has
            # shut down, and the process dies before any `finally` of ours runs.
            remove_state(settings, state.token)
            await super().shutdown(sockets)
            end_children()

    server = Server(uvicorn.Config(app, host=settings.ui_host, port=settings.ui_port, log_level="info",
                                   log_config=log_config()))
    return server, service, state


def end_children() -> None:
    """Kill the multiprocessing children a library started in this process. A child forked from the server
    holds its listening socket and its SIGTERM handler (which only asks a loop it does not run to stop), so
    it would outlive the server, keep the port and ignore SIGTERM: SIGKILL is the only ending it heeds."""
    import multiprocessing

    for child in multiprocessing.active_children():
        log.warning("ending child process %s (%s) left by a library", child.pid, child.name)
        child.kill()
        child.join(5)


def run(server: Any, service: Any, settings: Settings, state: Any) -> None:
    """Run a prepared server until it stops; announced once ready, the announcement removed on the way out."""
    from shiori.discovery import remove_state

    threading.Thread(target=_announce, args=(server, service, settings, state), daemon=True,
                     name="shiori-announce").start()
    try:
        server.run()
    finally:
        remove_state(settings, state.token)


def serve(settings: Settings, service: Any = None, *, ui: bool = True) -> None:
    """Serve the REST API (and the Gradio UI unless `ui=False`) on settings.ui_host:ui_port (blocks)."""
    server, service, state = prepare(settings, service, ui=ui)
    run(server, service, settings, state)
