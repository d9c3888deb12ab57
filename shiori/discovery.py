"""Finding a running Shiori service (`shiori ui` / `shiori serve`) for this index, safely.

A service writes `<index_dir>/service.json` (mode 0600) once it is ready: pid, address, the Shiori version
and a fingerprint of its code and answer settings, the index dir, and a random token; it removes the file
on exit. A client uses the service only if every one of those matches its own and the live server proves,
in its /api/health answer, that it holds the token (an HMAC of a fresh nonce), so a stale file, another
checkout's code, other settings or another program on a reused port are never trusted. Otherwise the
client answers in-process and says why in one line.

Only the standard library is imported here: the CLI reads this before deciding what else to load.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import os
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import shiori
from shiori.settings import PROJECT_ROOT, Settings

STATE_FILE = "service.json"
NONCE_HEADER = "X-Shiori-Nonce"
CODE_DIRS = ("shiori", "ingest", "rag", "ui")
# Settings that change how a service is reached, not what it answers.
SERVING_FIELDS = {"ui_host", "ui_port", "ui_auth", "upload_max_mb", "upload_max_files", "upload_max_request_mb",
                  "upload_temp_max_age_s", "service_discovery", "service_connect_timeout_s"}


@dataclass(frozen=True)
class ServiceState:
    """What a ready service writes to `<index_dir>/service.json`."""

    pid: int
    host: str
    port: int
    version: str
    code: str
    settings: str
    index_dir: str
    token: str
    kind: str  # "ui" | "serve"
    started: float

    @property
    def url(self) -> str:
        """The base URL of the service."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"


@dataclass(frozen=True)
class Discovery:
    """A usable service, or why there is none (`note` is None when no service was ever announced)."""

    service: ServiceState | None
    note: str | None = None


def code_fingerprint(root: Path = PROJECT_ROOT) -> str:
    """A hash of the project's Python sources: a service running other code is not used."""
    h = hashlib.sha256()
    for folder in CODE_DIRS:
        for path in sorted((root / folder).rglob("*.py")):
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def settings_fingerprint(settings: Settings) -> str:
    """A hash of every setting that can change an answer (paths, models, retrieval, LLM)."""
    data = settings.model_dump(mode="json", exclude=SERVING_FIELDS)
    data["index_dir"] = str(Path(settings.index_dir).resolve())
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def state_path(settings: Settings) -> Path:
    """Where a service of this index announces itself."""
    return Path(settings.index_dir) / STATE_FILE


def proof(token: str, nonce: str) -> str:
    """The answer to a health challenge: only the holder of the token can compute it."""
    return hmac.new(token.encode(), nonce.encode(), hashlib.sha256).hexdigest()


def new_state(settings: Settings, host: str, port: int, kind: str) -> ServiceState:
    """The state a service about to announce itself will write (with a fresh token)."""
    return ServiceState(pid=os.getpid(), host=host, port=port, version=shiori.__version__,
                        code=code_fingerprint(), settings=settings_fingerprint(settings),
                        index_dir=str(Path(settings.index_dir).resolve()), token=secrets.token_hex(16),
                        kind=kind, started=time.time())


def write_state(settings: Settings, state: ServiceState) -> Path:
    """Announce a ready service (atomically, readable by this user only)."""
    path = state_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{STATE_FILE}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(asdict(state), fh)
    os.replace(tmp, path)
    return path


def remove_state(settings: Settings, token: str) -> None:
    """Withdraw the announcement, only if it is still ours (another service may have replaced it)."""
    path = state_path(settings)
    current = read_state(path)
    if current is not None and hmac.compare_digest(current.token, token):
        path.unlink(missing_ok=True)


def read_state(path: Path) -> ServiceState | None:
    """The announced state, or None when there is none or it is unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return ServiceState(**{k: data[k] for k in ServiceState.__dataclass_fields__})
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive, and the health proof decides
    return True


def basic_auth_header(settings: Settings) -> dict[str, str]:
    """HTTP Basic credentials from settings.ui_auth, when the service requires them."""
    import base64

    if settings.ui_auth is None:
        return {}
    raw = settings.ui_auth.get_secret_value().encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


def check_health(state: ServiceState, settings: Settings) -> str | None:
    """None when the live service answers /api/health with a valid proof; else what is wrong."""
    nonce = secrets.token_hex(16)
    conn = http.client.HTTPConnection(state.host, state.port, timeout=settings.service_connect_timeout_s)
    try:
        conn.request("GET", "/api/health", headers={NONCE_HEADER: nonce, **basic_auth_header(settings)})
        resp = conn.getresponse()
        body = resp.read()
    except OSError as e:
        return f"it does not answer ({type(e).__name__})"
    finally:
        conn.close()
    if resp.status == 401:
        return "it requires credentials (set SHIORI_UI_AUTH)"
    if resp.status != 200:
        return f"/api/health answered HTTP {resp.status}"
    try:
        data = json.loads(body)
    except ValueError:
        return "/api/health did not answer JSON"
    if not hmac.compare_digest(str(data.get("proof", "")), proof(state.token, nonce)):
        return "it could not prove it is the service that wrote the state file"
    if data.get("status") != "ok":
        return f"it reports {data.get('status')}: {data.get('error', '')}".strip()
    return None


def discover(settings: Settings) -> Discovery:
    """The running service of this index that this code can trust, or why not."""
    path = state_path(settings)
    state = read_state(path)
    if state is None:
        return Discovery(None, "unreadable service state file" if path.exists() else None)
    where = f"the Shiori service at {state.url} (pid {state.pid})"
    if not _alive(state.pid):
        path.unlink(missing_ok=True)  # it died without removing its file
        return Discovery(None, f"{where} is gone")
    if state.index_dir != str(Path(settings.index_dir).resolve()):
        return Discovery(None, f"{where} serves another index ({state.index_dir})")
    if state.version != shiori.__version__:
        return Discovery(None, f"{where} runs Shiori {state.version}, this is {shiori.__version__}")
    if state.code != code_fingerprint():
        return Discovery(None, f"{where} runs other code (restart it to pick up changes)")
    if state.settings != settings_fingerprint(settings):
        return Discovery(None, f"{where} runs with other settings")
    problem = check_health(state, settings)
    if problem:
        return Discovery(None, f"{where}: {problem}")
    return Discovery(state)
