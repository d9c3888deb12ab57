"""HTTP Basic credentials for the whole served app: every route, the API, its docs and Gradio's own."""

from __future__ import annotations

import base64
import binascii
import secrets
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send


def parse_auth(value: Any) -> tuple[str, str] | None:
    """`user:password` (str or SecretStr) → (user, password); None when unset; ValueError when malformed."""
    if value is None:
        return None
    raw = value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)
    user, sep, password = raw.partition(":")
    if not sep or not user or not password:
        raise ValueError("ui_auth must be 'user:password' with both parts non-empty")
    return user, password


def _given(scope: Scope) -> tuple[bytes, bytes] | None:
    for key, value in scope.get("headers", []):
        if key == b"authorization":
            scheme, _, token = value.partition(b" ")
            if scheme.lower() != b"basic":
                return None
            try:
                user, sep, password = base64.b64decode(token.strip(), validate=True).partition(b":")
            except (binascii.Error, ValueError):
                return None
            return (user, password) if sep else None
    return None


class BasicAuth:
    """ASGI middleware: without the configured credentials, every HTTP request is a 401 and every
    WebSocket is closed; so no route (present or added later by FastAPI or Gradio) answers strangers."""

    def __init__(self, app: ASGIApp, credentials: tuple[str, str]) -> None:
        self.app = app
        self.user = credentials[0].encode()
        self.password = credentials[1].encode()

    def _ok(self, scope: Scope) -> bool:
        given = _given(scope)
        if given is None:
            return False
        # Both compared in full, so timing tells nothing about which part was wrong.
        user_ok = secrets.compare_digest(given[0], self.user)
        password_ok = secrets.compare_digest(given[1], self.password)
        return user_ok and password_ok

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self._ok(scope):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        body = b'{"detail":"credentials required"}'
        await send({"type": "http.response.start", "status": 401,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"www-authenticate", b'Basic realm="Shiori", charset="UTF-8"')]})
        await send({"type": "http.response.body", "body": body})
