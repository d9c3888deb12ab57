"""Uploads: check type and size, give the file a safe name, save it under uploads/, ingest it."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from shiori.settings import Settings
from ui.errors import public_message

ALLOWED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")


class UploadError(ValueError):
    """An upload that is refused (type, size, name)."""


class _Ingests(Protocol):
    def ingest(self, paths: list[Path], **kwargs: Any) -> Any: ...


@dataclass
class UploadResult:
    """What happened to one uploaded file."""

    name: str
    ok: bool
    message: str
    path: Path | None = None
    doc_id: str | None = None


def uploads_dir(settings: Settings) -> Path:
    """Where accepted uploads are kept (beside the index, so they survive restarts)."""
    return settings.index_dir.parent / "uploads"


def safe_filename(name: str) -> str:
    """A file name with no path parts, no control characters and no leading dots; unicode letters kept."""
    # Both separators: a Windows browser may send "C:\\x\\y.txt".
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r'[<>:"|?*]', "_", base).strip().strip(".").strip()
    base = re.sub(r"\s+", " ", base)
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = stem.strip(" .")[:120] or "upload"
    return f"{stem}.{suffix.lower()}" if suffix else stem


def received_file(path: str | Path, upload_root: str | Path) -> Path:
    """The path of a file the client uploaded, or UploadError: only regular files inside `upload_root`."""
    # Gradio hands the handler a path; whatever the mounting, only its own upload folder is trusted.
    real = Path(os.path.realpath(path))
    root = Path(os.path.realpath(upload_root))
    if not real.is_relative_to(root) or real == root:
        raise UploadError("the file did not come from an upload")
    try:
        mode = os.stat(real).st_mode
    except OSError:
        raise UploadError("the uploaded file is gone; upload it again") from None
    if not stat.S_ISREG(mode):
        raise UploadError("not a regular file")
    return real


def discard_received(path: Path, upload_root: str | Path) -> None:
    """Delete a received upload (a path `received_file` returned) and its folder once empty: the file was
    staged or refused, and Gradio would otherwise keep it for as long as the server runs."""
    root = Path(os.path.realpath(upload_root))
    path = Path(os.path.realpath(path))
    if not path.is_relative_to(root) or path == root:
        return  # never anything outside Gradio's folder
    path.unlink(missing_ok=True)
    folder = path.parent
    if folder != root:
        with contextlib.suppress(OSError):  # not empty: another upload of the same bytes is there
            folder.rmdir()


def validate(name: str, size_bytes: int, settings: Settings) -> str:
    """The safe name for an upload, or UploadError saying why it is refused."""
    safe = safe_filename(name)
    suffix = Path(safe).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise UploadError(f"unsupported file type {suffix or '(none)'}: allowed {', '.join(ALLOWED_SUFFIXES)}")
    if size_bytes <= 0:
        raise UploadError("the file is empty")
    limit = settings.upload_max_mb * 1024 * 1024
    if size_bytes > limit:
        raise UploadError(f"the file is {size_bytes / 1048576:.1f} MB; the limit is {settings.upload_max_mb:g} MB")
    return safe


def save(src: Path, name: str, settings: Settings) -> Path:
    """Validate and copy an uploaded temp file into the uploads folder; returns the saved path."""
    staged = stage(src, name, settings)
    target = staged.target
    os.replace(staged.path, target)
    shutil.rmtree(staged.path.parent, ignore_errors=True)
    return target


@dataclass
class Staged:
    """An upload copied beside the uploads folder under a hidden name, not yet in place."""

    name: str  # as the user named it
    path: Path  # the staged copy (.uploads-staging/<random>/<safe name>, beside uploads/)
    target: Path  # where it goes once accepted (uploads/<safe name>)


RECORD = "upload.json"  # in a staging folder: what the upload is and was asked for, once fully copied
BACKUP = ".previous"  # in a staging folder: the earlier file of the same name while a replacement is indexed


def stage(src: Path, name: str, settings: Settings, *, replace: bool = False) -> Staged:
    """Validate type/size/name and copy the upload to a staging name; nothing visible changes yet.

    Once the copy is complete, a record (name, target, replace) is written beside it, so a server killed
    before the upload was indexed can finish it on its next start (ui.recovery)."""
    with Path(src).open("rb") as f:  # one open file: the size checked is the size copied
        safe = validate(name, os.fstat(f.fileno()).st_size, settings)
        target_dir = uploads_dir(settings)
        target_dir.mkdir(parents=True, exist_ok=True)
        target = (target_dir / safe).resolve()
        # safe_filename already removed path parts; this guards the invariant anyway.
        if target.parent != target_dir.resolve():
            raise UploadError("invalid file name")
        staging = Path(tempfile.mkdtemp(prefix="upload-", dir=staging_root(settings)))
        path = staging / safe
        with path.open("wb") as out:
            shutil.copyfileobj(f, out)
    record = staging / f".{RECORD}.tmp"
    record.write_text(json.dumps({"name": name, "target": str(target), "replace": replace}), encoding="utf-8")
    os.replace(record, staging / RECORD)  # present only for a complete copy
    return Staged(name, path, target)


def staging_root(settings: Settings) -> Path:
    """Where uploads wait to be put in place (created when missing)."""
    # Beside uploads/ (same file system, so the final move is atomic), never inside it: a folder ingest
    # of uploads/ must not see a half-done upload.
    root = uploads_dir(settings).parent / ".uploads-staging"
    root.mkdir(parents=True, exist_ok=True)
    return root


def _failed_reason(report: Any, path: Path) -> str | None:
    for failed_path, reason in getattr(report, "failed", []) or []:
        if Path(failed_path).name == path.name:
            return str(reason)
    return None


def _same_bytes(a: Path, b: Path) -> bool:
    return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()


def commit(staged: Staged, service: _Ingests, settings: Settings, *, replace: bool = False,
           on_progress: Any = None, errors: str = "report") -> UploadResult:
    """Check the staged file loads, put it in place atomically and ingest it. A refused upload changes
    nothing: an earlier file of the same name is kept (restored if the ingestion refuses the new one).

    With `errors="raise"`, a failure of the service itself propagates and the staging folder is kept,
    so the upload can be finished later (ui.recovery)."""
    from ingest.loaders import ExtractLimits, LoadError, load_document

    name, target = staged.name, staged.target
    backup: Path | None = None
    existed = target.exists()
    keep = False
    try:
        try:  # the loader's verdict before anything is touched: not text, corrupt PDF, too big, ...
            load_document(staged.path, limits=ExtractLimits.from_settings(settings))
        except LoadError as e:
            return UploadResult(name, False, e.reason)
        if existed:
            if _same_bytes(staged.path, target):
                staged.path.unlink()
            elif not replace:
                return UploadResult(name, False, f"an earlier upload is named {target.name}; choose "
                                                 "“replace” to replace it (nothing was changed)")
            else:
                backup = staged.path.with_name(BACKUP)
                backup.unlink(missing_ok=True)
                os.link(target, backup)  # a second name for the old bytes until the new ones are indexed
        if staged.path.exists():
            os.replace(staged.path, target)  # atomic: readers see the old file or the new one
        try:
            return index_in_place(name, target, service, replace=replace, backup=backup, existed=existed,
                                  on_progress=on_progress, errors=errors)
        except Exception:
            keep = True
            raise
    finally:
        if not keep:
            shutil.rmtree(staged.path.parent, ignore_errors=True)


def index_in_place(name: str, target: Path, service: _Ingests, *, replace: bool, backup: Path | None,
                   existed: bool, on_progress: Any = None, errors: str = "report") -> UploadResult:
    """Ingest an upload already in place. Refused: the earlier file comes back from `backup`, or a new
    file (not `existed`) is removed, so uploads/ holds what is indexed. `errors="raise"` lets a failure
    of the service itself (not a verdict on the file) propagate with every file left as it is."""
    try:
        kwargs = {"replace": True} if replace else {}
        if on_progress is not None:
            kwargs["on_progress"] = on_progress
        report = service.ingest([target], **kwargs)
        reason = _failed_reason(report, target)
    except Exception as e:  # noqa: BLE001 - shown per file instead of a traceback
        if errors == "raise":
            raise
        report, reason = None, public_message(e)
    if reason:
        if backup is not None:
            os.replace(backup, target)  # the earlier good file, as it was
        elif not existed:
            target.unlink(missing_ok=True)  # keep uploads/ to what is actually indexed
        return UploadResult(name, False, reason, None)
    chunks = getattr(report, "chunks_written", None)
    message = f"ingested ({chunks} chunks)" if chunks else "ingested"
    doc_id = (getattr(report, "doc_ids", None) or {}).get(str(target))
    for path, new_id, why in getattr(report, "renamed", None) or []:
        if Path(path) == target:
            message += f" as document {new_id}: {why}"
    return UploadResult(name, True, message, target, doc_id)


def save_and_ingest(files: list[tuple[Path, str]], service: _Ingests, settings: Settings,
                    progress: Any = None, *, replace: bool = False, on_progress: Any = None) -> list[UploadResult]:
    """Stage each (temp path, original name) upload, then put it in place and ingest it; one result per file."""
    results: list[UploadResult] = []
    total = len(files)
    for i, (src, name) in enumerate(files):
        if progress is not None:
            progress((i, total), desc=f"{name}")
        try:
            staged = stage(Path(src), name, settings)
        except (UploadError, OSError) as e:
            results.append(UploadResult(name, False, str(e)))
            continue
        results.append(commit(staged, service, settings, replace=replace, on_progress=on_progress))
    if progress is not None:
        progress((total, total), desc="done")
    return results
