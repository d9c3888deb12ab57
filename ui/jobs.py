"""Background ingestion of uploads: one job at a time, beside questions, with progress and an estimate."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from shiori.settings import Settings
from ui.errors import public_message
from ui.upload import Staged, UploadResult, commit

State = Literal["idle", "running", "done"]


class JobBusy(RuntimeError):
    """An ingestion is already running (one at a time)."""


@dataclass
class JobStatus:
    """What the current (or last) ingestion job is doing; a snapshot, safe to hand to another thread."""

    state: State = "idle"
    job_id: int = 0
    files: list[str] = field(default_factory=list)
    file_index: int = 0  # the file being ingested (0-based)
    step: str = ""
    done: int = 0
    total: int = 0
    step_started: float = 0.0
    started: float = 0.0
    finished: float = 0.0
    results: list[UploadResult] = field(default_factory=list)
    limits: dict[str, float] = field(default_factory=dict)

    @property
    def elapsed_s(self) -> float:
        """Seconds since the job started (until it finished)."""
        if not self.started:
            return 0.0
        return (self.finished or time.time()) - self.started

    @property
    def eta_s(self) -> float | None:
        """Seconds left in the current step at its rate so far, once there is a rate to go by."""
        if self.state != "running" or not self.total or self.done <= 0 or self.done >= self.total:
            return None
        rate = self.done / max(time.time() - self.step_started, 1e-6)
        return (self.total - self.done) / rate

    def as_json(self) -> dict[str, Any]:
        """The status as JSON for /api/ingest."""
        eta = self.eta_s
        return {"state": self.state, "job_id": self.job_id, "files": self.files, "file_index": self.file_index,
                "step": self.step, "done": self.done, "total": self.total,
                "elapsed_s": round(self.elapsed_s, 1), "eta_s": None if eta is None else round(eta, 1),
                "results": [{"name": r.name, "ok": r.ok, "message": r.message, "doc_id": r.doc_id}
                            for r in self.results],
                "limits": self.limits}


class IngestJobs:
    """Runs one ingestion job at a time in a thread; questions keep being answered meanwhile."""

    def __init__(self, service: Any, settings: Settings) -> None:
        self.service = service
        self.settings = settings
        self._lock = threading.Lock()
        self._status = JobStatus(limits=self.limits())
        self._thread: threading.Thread | None = None

    def limits(self) -> dict[str, float]:
        """The bounds of one job's cost, from settings (shown in the UI and by /api/ingest)."""
        s = self.settings
        return {"upload_max_mb": s.upload_max_mb, "upload_max_files": s.upload_max_files,
                "upload_max_request_mb": s.upload_max_request_mb, "ingest_max_chunks": s.ingest_max_chunks,
                "ingest_max_chars": s.ingest_max_chars, "pdf_max_pages": s.pdf_max_pages}

    def status(self) -> JobStatus:
        """A copy of the current status."""
        with self._lock:
            s = self._status
            return JobStatus(**{**s.__dict__, "files": list(s.files), "results": list(s.results)})

    def running(self) -> bool:
        """Whether a job is running now."""
        return self.status().state == "running"

    def submit(self, staged: list[Staged], *, replace: bool = False) -> JobStatus:
        """Start ingesting staged uploads in the background; JobBusy when a job is running."""

        def work(progress: Any, _files: Any) -> Iterator[UploadResult]:
            for item in staged:
                try:
                    yield commit(item, self.service, self.settings, replace=replace, on_progress=progress)
                except Exception as e:  # noqa: BLE001 - one file's failure is its result, the job goes on
                    yield UploadResult(item.name, False, public_message(e))

        return self._start([s.name for s in staged], work)

    def resume_interrupted(self) -> JobStatus | None:
        """On start: finish, in the background, the uploads a killed server left (ui.recovery); None when
        there is nothing to look at."""
        from ui import recovery

        if not recovery.pending(self.settings):
            return None

        def work(progress: Any, files: Any) -> Iterator[UploadResult]:
            return recovery.resume(self.service, self.settings, progress, files)

        try:
            return self._start(["(uploads interrupted by a restart)"], work)
        except JobBusy:
            return None

    def _start(self, files: list[str], work: Callable[[Any, Any], Iterable[UploadResult]]) -> JobStatus:
        with self._lock:
            if self._status.state == "running":
                raise JobBusy("another ingestion is running; wait for it to finish")
            now = time.time()
            self._status = JobStatus(state="running", job_id=self._status.job_id + 1, files=list(files),
                                     started=now, step="starting", step_started=now, limits=self.limits())
            self._thread = threading.Thread(target=self._run, args=(work,), daemon=True,
                                            name=f"ingest-job-{self._status.job_id}")
            self._thread.start()
            return self._status

    def wait(self, timeout: float | None = None) -> JobStatus:
        """Wait for the running job (tests, CLI); returns the status then."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self.status()

    def _progress(self, step: str, done: int, total: int) -> None:
        with self._lock:
            s = self._status
            if step != s.step or total != s.total:
                s.step_started = time.time()
            s.step, s.done, s.total = step, done, total

    def _files(self, names: list[str]) -> None:
        with self._lock:
            self._status.files = list(names) or self._status.files

    def _run(self, work: Callable[[Any, Any], Iterable[UploadResult]]) -> None:
        try:
            for result in work(self._progress, self._files):
                with self._lock:
                    self._status.results.append(result)
                    self._status.file_index = min(len(self._status.results), max(len(self._status.files) - 1, 0))
        except Exception as e:  # noqa: BLE001 - the job ends with its reason instead of dying silently
            with self._lock:
                self._status.results.append(UploadResult("(job)", False, public_message(e)))
        finally:
            with self._lock:
                self._status.state = "done"
                self._status.finished = time.time()
                self._status.step = "done"
