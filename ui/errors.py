"""What a client is told when a part an answer needs is down: 503 naming the part, never where it runs.

One place for every route and UI handler: a failure is classified by its type and where it was raised,
so a Chroma server that is down reads the same whether the client was built just now (IndexUnavailableError)
or the server died mid-session (a connection error inside chromadb). Host, port and paths stay in the log.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi.exceptions import RequestValidationError

log = logging.getLogger(__name__)

# The part, and what the client is told about it.
_PARTS = {
    "chroma": "chroma (the vector index) is unavailable: cannot connect to it",
    "index": "no index yet: ingest documents first (`shiori ingest`, or upload them)",
}


@dataclass(frozen=True)
class Unavailable:
    """A part that is down, and the message a client may see."""

    part: str
    message: str

    def as_json(self) -> dict[str, object]:
        """The 503 body: the message, the part, and where to look for more."""
        return {"detail": f"{self.message}. GET /api/health shows each part's state.", "down": [self.part]}


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and the ones it was raised from or during (each once)."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo.extend(x for x in (e.__cause__, e.__context__) if x is not None)


def _raised_in(exc: BaseException, package: str) -> bool:
    tb = exc.__traceback__
    while tb is not None:
        if str(tb.tb_frame.f_globals.get("__name__", "")).startswith(package):
            return True
        tb = tb.tb_next
    return False


def _is_connection_error(exc: BaseException) -> bool:
    if isinstance(exc, ConnectionError | TimeoutError):
        return True
    try:
        import httpx
    except ImportError:  # pragma: no cover - httpx comes with chromadb
        return False
    return isinstance(exc, httpx.TransportError)


def unavailable(exc: BaseException) -> Unavailable | None:
    """The part a failure says is down (Chroma unreachable, no index yet), or None for any other failure."""
    from ingest.dense import IndexNotFoundError, IndexUnavailableError

    for e in _causes(exc):
        if isinstance(e, IndexUnavailableError) or (_is_connection_error(e) and _raised_in(e, "chromadb")):
            return Unavailable("chroma", _PARTS["chroma"])
        if isinstance(e, IndexNotFoundError):
            return Unavailable("index", _PARTS["index"])
    return None


def shorten(text: object, limit: int = 300) -> str:
    """Text for a message or a log line: at most `limit` characters, lone surrogates escaped."""
    s = str(text)
    s = s.encode("utf-8", "backslashreplace").decode("utf-8")
    return s if len(s) <= limit else f"{s[:limit]}… ({len(s):,} characters)"


def public_message(exc: BaseException) -> str:
    """A failure as a client may read it: the part that is down, else the exception's type and text."""
    down = unavailable(exc)
    return down.message if down is not None else shorten(f"{type(exc).__name__}: {exc}")


# What Gradio's request handlers raise on a body they cannot use (an unknown parameter, endpoint or
# function index, data of the wrong shape). They run before any of our functions (those run in Gradio's
# queue), so such an exception is the request's fault: a 400, not a 500 with a traceback in the log.
MALFORMED = (TypeError, KeyError, IndexError, ValueError, AttributeError)


def guard_gradio(gradio_app: Any) -> None:
    """Answer malformed calls to Gradio's routes with 400, and its 422s without echoing the input."""
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse

    async def malformed(request: Any, exc: Exception) -> JSONResponse:
        log.warning("malformed request to %s: %s", request.url.path, shorten(f"{type(exc).__name__}: {exc}", 500))
        return JSONResponse({"detail": f"malformed request: {shorten(f'{type(exc).__name__}: {exc}', 200)}"},
                            status_code=400)

    async def invalid(request: Any, exc: RequestValidationError) -> JSONResponse:

        return JSONResponse({"detail": validation_errors(exc)}, status_code=422)

    for kind in MALFORMED:
        gradio_app.add_exception_handler(kind, malformed)
    gradio_app.add_exception_handler(RequestValidationError, invalid)


def validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """422 details that never echo the input back (no `input`, no `ctx`), each message bounded."""
    out = []
    for err in exc.errors():
        loc = [x if isinstance(x, int) else shorten(x, 60) for x in err.get("loc", ())]
        msg = err.get("msg", "invalid")
        if err.get("type") == "string_unicode":
            msg = "Input should be valid Unicode text (lone surrogates are not text)"
        out.append({"loc": loc, "msg": shorten(msg, 200), "type": shorten(err.get("type", ""), 60)})
    return out[:20]
