"""The served app as `shiori ui` runs it (uvicorn on 127.0.0.1, REST API + Gradio), and a small client for it."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def served(app: Any) -> Iterator[str]:
    """Serve an ASGI app with uvicorn on 127.0.0.1 in a thread; yield its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


def upload(base: str, name: str, data: bytes, auth: tuple[str, str] | None = None) -> dict[str, Any]:
    """Upload bytes through Gradio's upload route, as the browser does; returns the FileData to send."""
    r = httpx.post(f"{base}/gradio_api/upload", files={"files": (name, data, "application/octet-stream")},
                   auth=auth, timeout=30)
    r.raise_for_status()
    [path] = r.json()
    return {"path": path, "orig_name": name, "meta": {"_type": "gradio.FileData"}}


def gradio_call(base: str, api_name: str, data: list[Any], *, timeout: float = 60.0,
                auth: tuple[str, str] | None = None) -> tuple[str, Any]:
    """Call a Gradio event through /gradio_api/call/<api_name>; returns (the last SSE event, its data)."""
    with httpx.Client(base_url=base, timeout=timeout, auth=auth) as client:
        # ensure_ascii: a lone surrogate travels as the JSON escape \ud800, as a hostile client sends it
        r = client.post(f"/gradio_api/call/{api_name}", content=json.dumps({"data": data}),
                        headers={"content-type": "application/json"})
        r.raise_for_status()
        event_id = r.json()["event_id"]
        event, payload = "", None
        with client.stream("GET", f"/gradio_api/call/{api_name}/{event_id}") as stream:
            for line in stream.iter_lines():
                if line.startswith("event:"):
                    event = line.split(":", 1)[1].strip()
                elif line.startswith("data:"):
                    raw = line.split(":", 1)[1].strip()
                    try:
                        payload = json.loads(raw)
                    except ValueError:
                        payload = raw
                    if event in ("complete", "error"):
                        return event, payload
    return event, payload


def files_containing(folder: Path, needle: bytes) -> list[Path]:
    """Files under `folder` whose bytes contain `needle` (to find copies of a secret)."""
    found = []
    if not folder.exists():
        return found
    for p in folder.rglob("*"):
        try:
            if p.is_file() and not p.is_symlink() and needle in p.read_bytes():
                found.append(p)
        except OSError:
            continue
    return found
