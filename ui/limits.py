"""Request body limits: a body over its bound is refused with 413 before it is read into memory.

Every route has `request_max_kb`; the upload routes instead have a bound on the whole request
(`upload_max_request_mb`) and on its number of files (`upload_max_files`), each file being bounded by
Gradio itself (`upload_max_mb`).
"""

from __future__ import annotations

import json
import re

from starlette.formparsers import MultiPartException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(MultiPartException):
    """Raised from `receive` once the body passes its bound. A MultiPartException, because that is what
    Gradio's upload parser answers by deleting the temp files it has written so far."""

    def __init__(self, message: str = "request body too large") -> None:
        super().__init__(message)


def _label(n: int) -> str:
    return f"{n / 1048576:g} MB" if n >= 1048576 else f"{n // 1024} KB"


class _Parts:
    """Counts the delimiter lines of a multipart body as it streams by (one per part, plus the last)."""

    def __init__(self, boundary: bytes) -> None:
        self.delimiter = b"--" + boundary
        self.tail = b""
        self.count = 0

    def feed(self, chunk: bytes) -> int:
        """Delimiters seen so far, `chunk` included (one split across chunks is counted once)."""
        data = self.tail + chunk
        self.count += data.count(self.delimiter)
        self.tail = data[-(len(self.delimiter) - 1):]
        return self.count


def _boundary(scope: Scope) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key == b"content-type":
            m = re.search(rb'boundary="?([^";,\s]+)"?', value, re.IGNORECASE)
            return m.group(1) if m else None
    return None


class BodyLimit:
    """ASGI middleware: at most `max_bytes` of request body; on the `uploads` routes instead at most
    `upload_max_bytes` and `upload_max_files` files per request."""

    def __init__(self, app: ASGIApp, max_bytes: int, uploads: tuple[str, ...] = (),
                 upload_max_bytes: int | None = None, upload_max_files: int | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.uploads = tuple(u.rstrip("/") for u in uploads)
        self.upload_max_bytes = upload_max_bytes
        self.upload_max_files = upload_max_files

    @staticmethod
    async def _refuse(send: Send, detail: str) -> None:
        body = json.dumps({"detail": detail}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = scope["path"].rstrip("/") in self.uploads
        if upload:
            max_bytes = self.upload_max_bytes
            too_large = (f"upload larger than the {_label(max_bytes or 0)} limit per request "
                         "(upload_max_request_mb)")
        else:
            max_bytes = self.max_bytes
            too_large = f"request body larger than the {_label(max_bytes)} limit"
        parts = _Parts(boundary) if upload and self.upload_max_files and (boundary := _boundary(scope)) else None
        for key, value in scope.get("headers", []):
            if key == b"content-length" and max_bytes is not None:
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > max_bytes:  # refused unread
                    await self._refuse(send, too_large)
                    return
        seen = 0
        started = False
        refused: str | None = None  # why, once the body passed a bound

        async def limited_receive() -> Message:
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                seen += len(chunk)
                reason = too_large if max_bytes is not None and seen > max_bytes else None
                # The last delimiter closes the body, so n files make n + 1 of them.
                if reason is None and parts is not None and parts.feed(chunk) > self.upload_max_files + 1:
                    reason = f"more than {self.upload_max_files} files in one upload (upload_max_files)"
                if reason is not None:
                    refused = refused or reason
                    raise BodyTooLarge(reason)
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 is the answer; whatever the app says after it is dropped
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not refused:
                raise
        except BaseExceptionGroup:  # anyio task groups wrap it
            if not refused:
                raise
        # Answered once the app has unwound (Gradio has deleted the part of the upload it wrote), and by
        # this middleware: the app would turn a failing body read into its own 400.
        if refused and not started:
            await self._refuse(send, refused)
