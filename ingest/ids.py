"""Document ids: one grammar, ids from file stems, and a distinct id when a stem is already taken."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

MAX_LEN = 200
# Letters, digits, "_", "." and "-"; not starting with "." or "-" (a hidden name, a command option);
# never ".." anywhere. Everything the store hands out matches this, so every listed id opens by URL.
DOC_ID = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_-]|\.(?!\.)){0,199}$")


def is_valid_doc_id(doc_id: str) -> bool:
    """Whether `doc_id` follows the id grammar (what the document route accepts)."""
    return bool(DOC_ID.match(doc_id)) and len(doc_id) <= MAX_LEN


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def safe_doc_id(stem: str) -> str:
    """A doc id from a file stem: the stem itself when it follows the grammar, else a cleaned form plus a
    hash of the stem (so two stems that clean alike still differ)."""
    if is_valid_doc_id(stem):
        return stem
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", stem)
    safe = re.sub(r"\.{2,}", ".", safe)
    safe = re.sub(r"^[.-]", "_", safe)[: MAX_LEN - 9]
    return f"{safe}_{_digest(stem)}"


def path_key(path: Path | str) -> str:
    """The identity of a source file: its resolved absolute path."""
    try:
        return str(Path(path).resolve())
    except OSError:
        return str(Path(path).absolute())


def distinct_doc_id(stem_id: str, path: Path | str) -> str:
    """The id for a file whose stem id belongs to another file: the stem id plus a hash of its path."""
    return f"{stem_id[: MAX_LEN - 9]}-{_digest(path_key(path))}"
