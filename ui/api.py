"""The REST API beside the UI (FastAPI), with the Gradio UI mounted at `/`.

`/api/ask` and `/api/check` return exactly the `Answer` / `Verdict` the CLI prints, as JSON.
Documents are served only by id and only if ingested: an id is looked up in the store, never
turned into a path.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import logging
import re
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from ingest.ids import is_valid_doc_id
from shiori.discovery import NONCE_HEADER, proof
from shiori.settings import Settings
from ui.auth import BasicAuth, parse_auth
from ui.errors import public_message, shorten, unavailable, validation_errors
from ui.limits import BodyLimit

log = logging.getLogger(__name__)

__all__ = ["create_api", "create_app", "parse_auth", "shorten", "SafeJSONResponse"]

HISTORY_TURNS = 50
# Gradio's upload routes: bounded per request by BodyLimit, per file by Gradio itself (upload_max_mb).
UPLOAD_ROUTES = ("/gradio_api/upload", "/upload")


class SafeJSONResponse(JSONResponse):
    """JSON that always encodes: a lone surrogate (which JSON text may carry) is escaped, not a 500."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, allow_nan=False, indent=None,
                          separators=(",", ":")).encode("utf-8", "backslashreplace")


def encodable(text: str) -> str:
    """Text that is valid Unicode (a lone surrogate, which JSON escapes can carry, is not)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("not valid Unicode text (a lone surrogate)") from None
    return text


Encodable = Annotated[str, AfterValidator(encodable)]


def _request_models(limit: int) -> tuple[type[BaseModel], type[BaseModel]]:
    """The bodies of /api/ask and /api/check, bounded by settings.question_max_chars."""
    text = Annotated[str, StringConstraints(min_length=1, max_length=limit), AfterValidator(encodable)]

    class AskRequest(BaseModel):
        """Body of POST /api/ask."""

        question: text
        history: list[tuple[Encodable, Encodable]] = Field(default_factory=list, max_length=HISTORY_TURNS)

    class CheckRequest(BaseModel):
        """Body of POST /api/check."""

        claim: text

    return AskRequest, CheckRequest


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


def health_of(service: Any) -> tuple[int, dict[str, Any]]:
    """(HTTP status, body): 200 when every part is up, 503 naming the parts that are down."""
    if hasattr(service, "health"):
        try:
            data = dict(service.health())
        except Exception as e:  # noqa: BLE001 - health must answer, not raise
            log.exception("health check failed")
            return 503, {"status": "down", "error": public_message(e)}
        data.setdefault("status", "ok")
        return (200 if data["status"] == "ok" else 503), data
    # A service without its own check (a fake): the document list is the ground truth of "up".
    try:
        docs = [document_info_json(d) for d in service.documents()]
    except Exception as e:  # noqa: BLE001
        return 503, {"status": "down", "error": public_message(e)}
    return 200, {"status": "ok", "documents": len(docs), "chunks": sum(d["chunks"] for d in docs)}


def create_api(service: Any, settings: Settings, jobs: Any = None, token: str | None = None) -> FastAPI:
    """The FastAPI app with /api/* routes; with settings.ui_auth set, every route needs the credentials.

    `token` is the secret of the announced service (shiori.discovery): /api/health proves it holds it.
    """
    app = FastAPI(title="Shiori API", version="0.1.0", default_response_class=SafeJSONResponse,
                  description="Answers about Japanese documents with verified citations.")
    credentials = parse_auth(settings.ui_auth)
    # Outermost first: strangers get a 401 before any body is read; then the body bound.
    app.add_middleware(BodyLimit, max_bytes=int(settings.request_max_kb * 1024), uploads=UPLOAD_ROUTES,
                       upload_max_bytes=int(settings.upload_max_request_mb * 1024 * 1024),
                       upload_max_files=settings.upload_max_files)
    if credentials is not None:
        app.add_middleware(BasicAuth, credentials=credentials)
    AskRequest, CheckRequest = _request_models(settings.question_max_chars)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> SafeJSONResponse:
        log.info("422 on %s: %s", request.url.path, shorten([e.get("type") for e in exc.errors()], 200))
        return SafeJSONResponse({"detail": validation_errors(exc)}, status_code=422)

    @app.exception_handler(Exception)
    async def _unhandled(request: Request, exc: Exception) -> SafeJSONResponse:
        down = unavailable(exc)
        if down is not None:  # a part is down: 503 naming it; where it runs stays in the log
            log.warning("%s on %s: %s", down.part, request.url.path, shorten(f"{type(exc).__name__}: {exc}", 2000))
            return SafeJSONResponse(down.as_json(), status_code=503, headers={"Retry-After": "30"})
        # A message, never a traceback; the log keeps the details (bounded).
        log.error("API error on %s: %s", request.url.path, shorten(f"{type(exc).__name__}: {exc}", 2000),
                  exc_info=(type(exc), exc, None))
        return SafeJSONResponse({"detail": f"internal error: {shorten(f'{type(exc).__name__}: {exc}')}"},
                                status_code=500)

    def ask(body: AskRequest) -> dict[str, Any]:
        """Answer a question (with optional (user, assistant) history); returns the Answer as JSON."""
        question = body.question.strip()
        if not question:
            raise HTTPException(422, "question is empty")
        return _plain(service.answer(question, history=[tuple(h) for h in body.history]))

    def ask_stream(body: AskRequest) -> StreamingResponse:
        """The answer as NDJSON: {"type": "token", "text"} lines as it is written, then {"type": "answer",
        "answer"}, whose text replaces the tokens shown (a model sentence code's checks refused is not kept)."""
        question = body.question.strip()
        if not question:
            raise HTTPException(422, "question is empty")
        history = [tuple(h) for h in body.history]
        stream = service.stream(question, history=history)
        pieces = iter(stream)
        # The first piece is taken before the response starts: a failure to open the indexes or retrieve
        # (a part down) is then an HTTP status like on /api/ask, not a line in a 200 stream.
        first = next(pieces, None)

        def events():
            try:
                for piece in itertools.chain([] if first is None else [first], pieces):
                    yield _line({"type": "token", "text": piece})
                yield _line({"type": "answer", "answer": _plain(stream.answer())})
            except Exception as e:  # noqa: BLE001 - headers are sent: the error travels as the last line
                log.error("API error while streaming an answer: %s", shorten(f"{type(e).__name__}: {e}", 2000))
                yield json.dumps({"type": "error", "detail": public_message(e)}).encode() + b"\n"

        return StreamingResponse(events(), media_type="application/x-ndjson")

    def _line(event: dict[str, Any]) -> bytes:
        return json.dumps(event, ensure_ascii=False).encode("utf-8", "backslashreplace") + b"\n"

    def check(body: CheckRequest) -> dict[str, Any]:
        """Check a claim against the documents; returns the Verdict as JSON."""
        claim = body.claim.strip()
        if not claim:
            raise HTTPException(422, "claim is empty")
        return _plain(service.check(claim))

    # The body models are built per settings, so FastAPI is handed the classes, not their names.
    ask.__annotations__["body"] = AskRequest
    ask_stream.__annotations__["body"] = AskRequest
    check.__annotations__["body"] = CheckRequest
    app.post("/api/ask")(ask)
    app.post("/api/ask/stream")(ask_stream)
    app.post("/api/check")(check)

    @app.get("/api/health")
    def health(request: Request) -> SafeJSONResponse:
        """Every part's state: 200 when all are up, 503 naming the parts that are down."""
        status, body = health_of(service)
        nonce = request.headers.get(NONCE_HEADER)
        if token and nonce:
            body["proof"] = proof(token, nonce[:128])  # the CLI's check that it reached the announced service
        return SafeJSONResponse(body, status_code=status)

    @app.get("/api/documents")
    def documents() -> list[dict[str, Any]]:
        """The ingested documents with their chunk counts."""
        return [document_info_json(d) for d in service.documents()]

    @app.get("/api/documents/{doc_id}")
    def document(doc_id: str) -> dict[str, Any]:
        """One ingested document's text (the text citation offsets index into), by id."""
        known = {d.doc_id for d in service.documents()}
        # Looked up, never turned into a path: every id the store hands out opens, nothing else does.
        if doc_id not in known:
            if not is_valid_doc_id(doc_id):
                raise HTTPException(400, "invalid document id")
            raise HTTPException(404, "no such document")
        doc = service.document(doc_id)
        if doc is None:
            raise HTTPException(404, "no such document")
        prov = _plain(getattr(doc, "provenance", None)) or {}
        return {"doc_id": doc.doc_id, "title": prov.get("title") or doc.doc_id, "text": doc.text,
                "provenance": prov, "content_hash": getattr(doc, "content_hash", None)}

    if jobs is not None:
        @app.get("/api/ingest")
        def ingest_status() -> dict[str, Any]:
            """The current (or last) background ingestion: state, progress, estimate, per-file results."""
            return jobs.status().as_json()

    return app


def create_app(service: Any, settings: Settings, token: str | None = None) -> FastAPI:
    """The whole server: the REST API plus the Gradio UI mounted at `/`."""
    import gradio as gr

    from ui.app import HEAD, build_ui, theme
    from ui.jobs import IngestJobs
    from ui.render import CSS

    jobs = IngestJobs(service, settings)
    app = create_api(service, settings, jobs, token)
    blocks = build_ui(service, settings, jobs)
    # No Gradio login: the BasicAuth middleware of create_api guards every route, Gradio's included.
    app = gr.mount_gradio_app(
        app, blocks, path="/", css=CSS, head=HEAD, theme=theme(),
        max_file_size=f"{settings.upload_max_mb:g}mb", footer_links=["api"],
        server_name=settings.ui_host, server_port=settings.ui_port,
    )
    # Gradio checks that a file input's path came from an upload only once the app "has launched";
    # mount_gradio_app never says so, so any server path (/etc/passwd, /dev/zero) would be copied and
    # hashed. Mark it as `launch()` does: from now on only files in Gradio's upload folder are taken.
    blocks.has_launched = True
    blocks.is_running = True
    from starlette.routing import Mount

    from ui.errors import guard_gradio

    for route in app.routes:
        if isinstance(route, Mount) and isinstance(route.app, gr.routes.App):
            guard_gradio(route.app)
    jobs.resume_interrupted()  # uploads a killed server left half-done are finished now, in the background
    return app
