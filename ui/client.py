"""A small client of a running Shiori service's REST API: streamed answers and claim checks.

http.client and the answer types only: a CLI that answers through a service loads no model, no torch and
no HTTP framework. Answers arrive as NDJSON from /api/ask/stream: {"type": "token", "text": …} lines,
then one {"type": "answer", "answer": {…}} whose text replaces the tokens (or {"type": "error", "detail": …}).
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Generator, Sequence
from typing import Any

from rag.types import Answer, AnswerStream
from shiori.discovery import ServiceState, basic_auth_header
from shiori.settings import Settings


class ServiceError(RuntimeError):
    """The service refused or failed a request; `before_output` tells whether nothing was shown yet, and
    `status` is the HTTP status when the service answered one."""

    def __init__(self, message: str, *, before_output: bool = True, status: int | None = None) -> None:
        super().__init__(message)
        self.before_output = before_output
        self.status = status

    @property
    def refused(self) -> bool:
        """The service refused the request itself (a 4xx): asking again in-process would not help."""
        return self.status is not None and 400 <= self.status < 500


def detail_text(detail: Any) -> str:
    """The `detail` of an error response as one line (a 422's list of problems as "field: message")."""
    if isinstance(detail, list):
        parts = []
        for item in detail[:5]:
            if isinstance(item, dict):
                loc = [str(x) for x in item.get("loc", ()) if x != "body"]
                parts.append(f"{'.'.join(loc)}: {item.get('msg', '')}" if loc else str(item.get("msg", "")))
            else:
                parts.append(str(item))
        return "; ".join(parts)
    return str(detail)


class ServiceClient:
    """Requests to one discovered service."""

    def __init__(self, state: ServiceState, settings: Settings) -> None:
        self.state = state
        self.settings = settings
        # Long enough for a whole answer on a busy CPU; connection failures still surface at once.
        self.timeout = settings.llm_timeout_s + 60.0

    def _request(self, path: str, body: dict[str, Any]) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection(self.state.host, self.state.port, timeout=self.timeout)
        try:
            conn.request("POST", path, body=json.dumps(body).encode(),
                         headers={"Content-Type": "application/json", **basic_auth_header(self.settings)})
            resp = conn.getresponse()
        except OSError as e:
            conn.close()
            raise ServiceError(f"the service at {self.state.url} did not answer ({type(e).__name__}: {e})") from e
        if resp.status != 200:
            try:
                detail = json.loads(resp.read()).get("detail")
            except (OSError, ValueError, AttributeError):
                detail = None
            conn.close()
            raise ServiceError(f"the service answered HTTP {resp.status}: {detail_text(detail or resp.reason)}",
                               status=resp.status)
        return resp

    def stream(self, question: str, history: Sequence[tuple[str, str]] = ()) -> AnswerStream:
        """The answer as the service streams it: text pieces, then the final `Answer` (whose text replaces them)."""
        return AnswerStream(self._events(question, history))

    def _events(self, question: str, history: Sequence[tuple[str, str]]) -> Generator[str, None, Answer]:
        resp = self._request("/api/ask/stream", {"question": question, "history": [list(h) for h in history]})
        shown = False
        try:
            for raw in resp:
                if not raw.strip():
                    continue
                event = json.loads(raw)
                kind = event.get("type")
                if kind == "token":
                    shown = True
                    yield str(event.get("text", ""))
                elif kind == "answer":
                    return Answer.model_validate(event["answer"])
                elif kind == "error":
                    raise ServiceError(f"the service failed: {event.get('detail')}", before_output=not shown)
        except (OSError, ValueError, http.client.HTTPException) as e:
            raise ServiceError(f"the answer stream broke off ({type(e).__name__})", before_output=not shown) from e
        finally:
            resp.close()
        raise ServiceError("the answer stream ended without an answer", before_output=not shown)

    def answer(self, question: str, history: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
        """The final Answer as a dict (POST /api/ask)."""
        resp = self._request("/api/ask", {"question": question, "history": [list(h) for h in history]})
        try:
            return json.loads(resp.read())
        finally:
            resp.close()

    def check(self, claim: str) -> dict[str, Any]:
        """The Verdict as a dict (POST /api/check)."""
        resp = self._request("/api/check", {"claim": claim})
        try:
            return json.loads(resp.read())
        finally:
            resp.close()
