"""The OpenAI-compatible backend, against a small local server speaking the chat-completions protocol."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse

from rag.llm.backends import build_chat_model
from rag.llm.prompts import RENDER_SYSTEM
from rag.llm.render import render_english

SOURCE = "令和5年12月6日、両市は脱炭素に関する覚書を締結した。"
REPLY = "On 6 December 2023 (令和5年), the two cities signed a memorandum on decarbonisation."


def _app(seen: list[dict]) -> FastAPI:
    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def completions(request: Request):
        body = await request.json()
        seen.append(body)
        if not body.get("stream"):
            return {"id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": REPLY}}]}

        def events():
            for piece in (REPLY[:4], REPLY[4:]):
                chunk = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": body["model"],
                         "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
                yield f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    return app


@pytest.fixture
def openai_server():
    seen: list[dict] = []
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(_app(seen), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 10
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/v1", seen
    server.should_exit = True
    thread.join(timeout=5)


def test_openai_backend_renders_a_passage_in_english(fake_index, openai_server):
    url, seen = openai_server
    settings = fake_index.model_copy(update={"llm_backend": "openai", "llm_base_url": url, "llm_model": "m",
                                             "llm_timeout_s": 10})
    steps = render_english(build_chat_model(settings), SOURCE)
    pieces = []
    while True:
        try:
            pieces.append(next(steps))
        except StopIteration as end:
            english = end.value
            break
    assert seen, "the OpenAI-compatible server was asked"
    assert seen[-1]["model"] == "m" and seen[-1]["temperature"] == 0.0
    assert seen[-1]["messages"][0] == {"role": "system", "content": RENDER_SYSTEM}
    assert SOURCE in seen[-1]["messages"][-1]["content"]
    # The server's text keeps the passage's date, so it is the rendering; it arrived in pieces.
    assert english == REPLY and "".join(pieces).strip() == REPLY and len(pieces) >= 2
