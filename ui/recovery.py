"""Uploads a killed server left half-done, finished on its next start (or dropped, and said so).

An upload is copied into `.uploads-staging/<folder>/` with a record of what was asked (ui.upload.stage),
then moved into uploads/ and indexed (ui.upload.commit); the folder goes once that is over. A folder
still there on start is a job that was cut short, and the record tells where it stopped:

- the staged copy is there: it never reached uploads/; it is committed as it was asked for;
- only the earlier file (`.previous`) is there: a replacement was being indexed; it is indexed again,
  and if refused the earlier file comes back;
- neither: the file was put in place (new, or the same bytes); it is indexed (a no-op if it already is);
- no record: the copy itself was cut short; the folder is dropped and the upload reported lost.

Files in uploads/ that are not indexed with their current bytes (left by a version without records) are
indexed too, unless the index already refused those very bytes. A failure of the service itself (Chroma
down) leaves everything as it was, for the next start.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from shiori.settings import Settings
from ui.errors import public_message
from ui.upload import (
    BACKUP,
    RECORD,
    Staged,
    UploadResult,
    commit,
    index_in_place,
    staging_root,
    uploads_dir,
)

log = logging.getLogger(__name__)

AFTER_RESTART = "resumed after a restart"


def pending(settings: Settings) -> bool:
    """Whether a previous run may have left work: a staging folder, or files in uploads/ to check."""
    root = uploads_dir(settings).parent / ".uploads-staging"
    folder = uploads_dir(settings)
    return any(root.iterdir() if root.is_dir() else ()) or any(folder.iterdir() if folder.is_dir() else ())


def _digest(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with path.open("rb") as f:
            while block := f.read(1 << 20):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


def _indexed(settings: Settings) -> tuple[dict[str, str], dict[str, str | None]]:
    """(path key -> content hash of each indexed document, path -> hash of each refused file)."""
    from ingest.ids import path_key
    from ingest.store import ChunkStore

    if not ChunkStore.exists(settings.index_dir):
        return {}, {}
    with ChunkStore(settings.index_dir) as store:
        return {path_key(d.path): d.content_hash for d in store.documents()}, store.failures()


def _record(folder: Path, settings: Settings) -> tuple[str, Path, bool] | None:
    """(name, target, replace) of a staging folder, or None without a usable record."""
    try:
        data = json.loads((folder / RECORD).read_text(encoding="utf-8"))
        name, target, replace = str(data["name"]), Path(data["target"]), bool(data.get("replace", False))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    # Written by us, but still: a target is only ever a file directly inside uploads/.
    if target.parent != uploads_dir(settings).resolve() or target.name in ("", ".", ".."):
        return None
    return name, target, replace


def _resume_staged(folder: Path, service: Any, settings: Settings, progress: Any) -> UploadResult | None:
    """Finish one staging folder (see the module's doc); None when there was nothing left to do."""
    from ingest.ids import path_key

    record = _record(folder, settings)
    if record is None:
        names = [p.name for p in folder.iterdir() if not p.name.startswith(".")] if folder.is_dir() else []
        shutil.rmtree(folder, ignore_errors=True)
        return UploadResult(names[0] if names else folder.name, False,
                            "the server stopped while this upload was being received; upload it again")
    name, target, replace = record
    staged, backup = folder / target.name, folder / BACKUP
    if staged.exists():
        backup.unlink(missing_ok=True)  # the move had not happened: uploads/ still holds the earlier file
        return commit(Staged(name, staged, target), service, settings, replace=replace, on_progress=progress,
                      errors="raise")
    if backup.exists():
        result = index_in_place(name, target, service, replace=True, backup=backup, existed=True,
                                on_progress=progress, errors="raise")
    elif target.exists():
        documents, _ = _indexed(settings)
        result = index_in_place(name, target, service, replace=replace, backup=None,
                                existed=path_key(target) in documents, on_progress=progress, errors="raise")
    else:
        result = None  # refused and cleaned up before the stop: only the folder was left
    shutil.rmtree(folder, ignore_errors=True)
    return result


def _leftovers(settings: Settings, skip: set[Path]) -> list[Path]:
    """Files in uploads/ not indexed with their current bytes, and not refused with those bytes before
    (`skip`: the targets a staging folder's record already accounts for)."""
    from ingest.ids import path_key
    from ingest.loaders import discover

    folder = uploads_dir(settings)
    if not folder.is_dir():
        return []
    documents, failures = _indexed(settings)
    out = []
    for path in discover([folder]):
        path = path.resolve()
        if path in skip:
            continue
        digest = _digest(path)
        if digest is not None and digest != documents.get(path_key(path)) and digest != failures.get(str(path)):
            out.append(path)
    return out


def resume(service: Any, settings: Settings, progress: Any = None,
           on_files: Callable[[list[str]], None] | None = None) -> Iterator[UploadResult]:
    """Finish what a killed server left (see the module's doc); one result per upload, said to be resumed."""
    root = staging_root(settings)
    folders = sorted(p for p in root.iterdir() if p.is_dir())
    for stray in (p for p in root.iterdir() if not p.is_dir()):
        stray.unlink(missing_ok=True)
    recorded = {record[1] for folder in folders if (record := _record(folder, settings)) is not None}
    leftovers = _leftovers(settings, recorded)
    if on_files is not None:
        on_files([_name(f) for f in folders] + [p.name for p in leftovers])
    for folder in folders:
        try:
            result = _resume_staged(folder, service, settings, progress)
        except Exception as e:  # noqa: BLE001 - the service failed, not the file: kept for the next start
            log.warning("could not resume %s: %s", folder.name, e)
            result = UploadResult(_name(folder), False, f"{public_message(e)}; kept, and tried again at the "
                                                        "next start")
        if result is not None:
            yield _resumed(result)
    for path in leftovers:
        try:
            # Refused: the file stays and the refusal is recorded with its bytes, so it is not retried.
            result = index_in_place(path.name, path, service, replace=False, backup=None, existed=True,
                                    on_progress=progress, errors="raise")
        except Exception as e:  # noqa: BLE001
            log.warning("could not index the leftover upload %s: %s", path.name, e)
            result = UploadResult(path.name, False, f"{public_message(e)}; kept, and tried again at the next start")
        yield _resumed(result)


def _name(folder: Path) -> str:
    try:
        return str(json.loads((folder / RECORD).read_text(encoding="utf-8"))["name"])[:200]
    except (OSError, ValueError, KeyError, TypeError):
        return folder.name


def _resumed(result: UploadResult) -> UploadResult:
    result.message = f"{result.message} ({AFTER_RESTART})"
    return result
