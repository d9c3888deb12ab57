"""Uploads: check type and size, give the file a safe name, save it under uploads/, ingest it."""

from __future__ import annotations

import os
import re
import shutil
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from shiori.settings import Settings

ALLOWED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")


class UploadError(ValueError):
    """An upload that is refused (type, size, name)."""


class _Ingests(Protocol):
    def ingest(self, paths: list[Path]) -> Any: ...


@dataclass
class UploadResult:
    """What happened to one uploaded file."""

    name: str
    ok: bool
    message: str
    path: Path | None = None


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
    safe = validate(name, src.stat().st_size, settings)
    target_dir = uploads_dir(settings)
    target_dir.mkdir(parents=True, exist_ok=True)
    target = (target_dir / safe).resolve()
    # safe_filename already removed path parts; this guards the invariant anyway.
    if target.parent != target_dir.resolve():
        raise UploadError("invalid file name")
    shutil.copyfile(src, target)
    return target


def _failed_reason(report: Any, path: Path) -> str | None:
    for failed_path, reason in getattr(report, "failed", []) or []:
        if Path(failed_path).name == path.name:
            return str(reason)
    return None


def save_and_ingest(files: list[tuple[Path, str]], service: _Ingests, settings: Settings,
                    progress: Any = None) -> list[UploadResult]:
    """Save each (temp path, original name) upload and ingest it; one result per file, errors included."""
    results: list[UploadResult] = []
    total = len(files)
    for i, (src, name) in enumerate(files):
        if progress is not None:
            progress((i, total), desc=f"{name}")
        try:
            path = save(Path(src), name, settings)
        except (UploadError, OSError) as e:
            results.append(UploadResult(name, False, str(e)))
            continue
        try:
            report = service.ingest([path])
        except Exception as e:  # noqa: BLE001 - shown per file instead of a traceback
            results.append(UploadResult(name, False, f"{type(e).__name__}: {e}", path))
            continue
        reason = _failed_reason(report, path)
        if reason:
            path.unlink(missing_ok=True)  # keep uploads/ to what is actually indexed
            results.append(UploadResult(name, False, reason, path))
        else:
            chunks = getattr(report, "chunks_written", None)
            extra = f" ({chunks} chunks)" if chunks else ""
            results.append(UploadResult(name, True, f"ingested{extra}", path))
    if progress is not None:
        progress((total, total), desc="done")
    return results
