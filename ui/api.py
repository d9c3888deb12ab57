"""The REST API beside the UI (FastAPI), with the Gradio UI mounted at `/`.

`/api/ask` and `/api/check` return exactly the `Answer` / `Verdict` the CLI prints, as JSON.
Documents are served only by id and only if ingested: an id is looked up in the store, never
turned into a path.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import secrets
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from pydantic import BaseModel, Field

from shiori.discovery import NONCE_HEADER, proof
from shiori.settings import Settings

log = logging.getLogger(__name__)

DOC_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}$")


class AskRequest(BaseModel):
    """Body of POST /api/ask."""

    question: str = Field(min_length=1, max_length=20000)
    history: list[tuple[str, str]] = Field(default_factory=list, max_length=50)


class CheckRequest(BaseModel):
    """Body of POST /api/check."""

    claim: str = Field(min_length=1, max_length=20000)


def parse_auth(value: Any) -> tuple[str, str] | None:
    """`user:password` (str or SecretStr) → (user, password); None when unset; ValueError when malformed."""
    if value is None:
        return None
    raw = value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)
    user, sep, password = raw.partition(":")
    if not sep or not user or not password:
        raise ValueError("ui_auth must be 'user:password' with both parts non-empty")
    return user, password


def _plain(obj: Any) -> Any:
    """pydantic models and dataclasses → JSON-ready dicts."""
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json")
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(obj).items()}
    return obj


def document_info_json(info: Any) -> dict[str, Any]:
    """A listed document without server paths (only the file name)."""
    chunks = getattr(info, "chunks", None)
    if chunks is None:
        chunks = getattr(info, "chunk_count", 0)
    path = str(getattr(info, "path", "") or "")
    return {
        "doc_id": info.doc_id,
        "title": info.title,
        "file_name": re.split(r"[\\/]", path)[-1] if path else None,
        "chunks": int(chunks or 0),
        "content_hash": getattr(info, "content_hash", None),
    }


def health_of(service: Any) -> dict[str, Any]:
    """The service's own health, or one computed from its document list."""
    own: dict[str, Any] | None = None
    if hasattr(service, "health"):
        try:
            own = dict(service.health())
        except Exception as e:  # noqa: BLE001 - health must answer, not raise
            own = {"status": "error", "error": f"{type(e).__name__}: {e}"}
        own.setdefault("status", "ok")
        if own["status"] == "ok":
            return own
    # No health of its own, or it failed: the document list is the ground truth of "up".
    try:
        docs = [document_info_json(d) for d in service.documents()]
    except Exception as e:  # noqa: BLE001
        return own or {"status": "error", "error": f"{type(e).__name__}: {e}"}
    data = {"status": "ok", "documents": len(docs), "chunks": sum(d["chunks"] for d in docs)}
    if own:
        data["service_health"] = own  # kept visible: the service's own check failed
    return data


def create_api(service: Any, settings: Settings, token: str | None = None) -> FastAPI:
    """The FastAPI app with /api/* routes (HTTP Basic on them when settings.ui_auth is set).

    `token` is the secret of the announced service (shiori.discovery): /api/health proves it holds it.
    """
    app = FastAPI(title="Shiori API", version="0.1.0",
                  description="Answers about Japanese documents with verified citations.")
    credentials = parse_auth(settings.ui_auth)
    basic = HTTPBasic(auto_error=False)

    def require_auth(given: HTTPBasicCredentials | None = Depends(basic)) -> None:
        if credentials is None:
            return
        ok = given is not None and secrets.compare_digest(given.username, credentials[0]) and \
            secrets.compare_digest(given.password, credentials[1])
        if not ok:
            raise HTTPException(401, "credentials required", headers={"WWW-Authenticate": "Basic"})

    @app.exception_handler(Exception)
    async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
        # A message, never a traceback; the log keeps the details.
        log.exception("API error on %s", request.url.path)
        return JSONResponse({"detail": f"internal error: {type(exc).__name__}: {exc}"}, status_code=500)

    def _question(body: AskRequest) -> str:
        question = body.question.strip()
        if not question:
            raise HTTPException(422, "question is empty")
        if len(question) > settings.question_max_chars:
            raise HTTPException(422, f"question is longer than {settings.question_max_chars} characters")
        return question

    @app.post("/api/ask", dependencies=[Depends(require_auth)])
    def ask(body: AskRequest) -> dict[str, Any]:
        """Answer a question (with optional (user, assistant) history); returns the Answer as JSON."""
        return _plain(service.answer(_question(body), history=[tuple(h) for h in body.history]))

    @app.post("/api/ask/stream", dependencies=[Depends(require_auth)])
    def ask_stream(body: AskRequest) -> StreamingResponse:
        """The answer as NDJSON: {"type": "token", "text"} lines, then {"type": "answer", "answer"}."""
        question, history = _question(body), [tuple(h) for h in body.history]

        def events():
            try:
                for item in service.stream(question, history=history):
                    event = {"type": "token", "text": item} if isinstance(item, str) else \
                        {"type": "answer", "answer": _plain(item)}
                    yield json.dumps(event, ensure_ascii=False) + "\n"
            except Exception as e:  # noqa: BLE001 - headers are sent: the error travels as the last line
                log.exception("API error while streaming an answer")
                yield json.dumps({"type": "error", "detail": f"{type(e).__name__}: {e}"}) + "\n"

        return StreamingResponse(events(), media_type="application/x-ndjson")

    @app.post("/api/check", dependencies=[Depends(require_auth)])
    def check(body: CheckRequest) -> dict[str, Any]:
        """Check a claim against the documents; returns the Verdict as JSON."""
        claim = body.claim.strip()
        if not claim:
            raise HTTPException(422, "claim is empty")
        if len(claim) > settings.question_max_chars:
            raise HTTPException(422, f"claim is longer than {settings.question_max_chars} characters")
        return _plain(service.check(claim))

    @app.get("/api/health", dependencies=[Depends(require_auth)])
    def health(request: Request) -> dict[str, Any]:
        """Whether the service is up, and how many documents and chunks it has."""
        data = health_of(service)
        nonce = request.headers.get(NONCE_HEADER)
        if token and nonce:
            data["proof"] = proof(token, nonce[:128])  # the CLI's check that it reached the announced service
        return data

    @app.get("/api/documents", dependencies=[Depends(require_auth)])
    def documents() -> list[dict[str, Any]]:
        """The ingested documents with their chunk counts."""
        return [document_info_json(d) for d in service.documents()]

    @app.get("/api/documents/{doc_id}", dependencies=[Depends(require_auth)])
    def document(doc_id: str) -> dict[str, Any]:
        """One ingested document's text (the text citation offsets index into), by id."""
        if not DOC_ID.match(doc_id) or ".." in doc_id:
            raise HTTPException(400, "invalid document id")
        if doc_id not in {d.doc_id for d in service.documents()}:
            raise HTTPException(404, "no such document")
        doc = service.document(doc_id)
        if doc is None:
            raise HTTPException(404, "no such document")
        prov = _plain(getattr(doc, "provenance", None)) or {}
        return {"doc_id": doc.doc_id, "title": prov.get("title") or doc.doc_id, "text": doc.text,
                "provenance": prov, "content_hash": getattr(doc, "content_hash", None)}

    return app


def create_app(service: Any, settings: Settings, token: str | None = None) -> FastAPI:
    """The whole server: the REST API plus the Gradio UI mounted at `/`."""
    import gradio as gr

    from ui.app import HEAD, build_ui, theme
    from ui.render import CSS

    app = create_api(service, settings, token)
    blocks = build_ui(service, settings)
    auth = parse_auth(settings.ui_auth)
    return gr.mount_gradio_app(
        app, blocks, path="/", auth=auth, css=CSS, head=HEAD, theme=theme(),
        max_file_size=f"{settings.upload_max_mb:g}mb", footer_links=["api"],
        server_name=settings.ui_host, server_port=settings.ui_port,
    )
