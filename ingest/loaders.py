"""Files → `SourceDocument`: discovery, encoding detection, HTML/PDF text extraction, provenance."""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import logging
import os
import re
import stat
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bs4.dammit import EncodingDetector
from charset_normalizer import from_bytes

from ingest.cleaner import is_boilerplate_line, normalize
from ingest.dates import find_dates
from ingest.html_text import html_text
from ingest.ids import safe_doc_id
from ingest.limits import DEFAULT_MAX_BYTES, Budget, ExtractLimits, OverLimit
from ingest.schema import Provenance, SourceDocument
from ingest.tables import find_tables

log = logging.getLogger(__name__)

__all__ = ["ExtractLimits", "LoadError", "discover", "load_document", "read_regular_file", "safe_doc_id",
           "title_from_text"]

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".pdf"})
SIDECAR_SUFFIX = ".meta.json"
_JAPANESE_LEGACY = ["cp932", "shift_jis", "euc_jp"]
_SIDECAR_KEYS = ("title", "title_en", "publisher", "kind", "language", "url")


class LoadError(Exception):
    """A file that cannot be turned into a document, with the path and a human reason."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def _is_ignored_name(name: str) -> bool:
    return name.startswith(("_", ".")) or name.endswith(SIDECAR_SUFFIX)


def _is_candidate(path: Path) -> bool:
    return not _is_ignored_name(path.name) and path.suffix.lower() in SUPPORTED_SUFFIXES


def discover(paths: Iterable[Path]) -> list[Path]:
    """Files to ingest under `paths` (files or folders, recursive), sorted, hidden/sidecar files skipped."""
    found: set[Path] = set()
    for raw in paths:
        root = Path(raw)
        if root.is_file():
            if _is_candidate(root):
                found.add(root)
        elif root.is_dir():
            for path in root.rglob("*"):
                rel = path.relative_to(root)
                # A hidden or underscored folder (".git", "_drafts") hides everything below it.
                if any(_is_ignored_name(part) for part in rel.parts[:-1]):
                    continue
                if path.is_file() and _is_candidate(path):
                    found.add(path)
        elif root.exists():
            raise LoadError(root, "not a regular file (a device, FIFO or socket is never read)")
        else:
            raise LoadError(root, "no such file or directory")
    return sorted(found)


def read_regular_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most max_bytes; OSError, or LoadError for anything else."""
    # Opened without blocking and checked on the open descriptor: a FIFO would block the open itself,
    # a device (/dev/zero) never ends, and a check by name could be raced by a swap.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise LoadError(path, "not a regular file (a device, FIFO or socket is never read)")
        if st.st_size > max_bytes:
            raise LoadError(path, f"file is larger than the {_size_label(max_bytes)} limit ({st.st_size:,} bytes)")
        raw = f.read(max_bytes + 1)
    if len(raw) > max_bytes:  # grew while being read
        raise LoadError(path, f"file is larger than the {_size_label(max_bytes)} limit")
    return raw


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_binary(text: str) -> bool:
    """Mostly control/unassigned characters means the bytes were not text in that encoding."""
    if not text:
        return False
    bad = sum(
        1 for ch in text if ch not in "\t\n\r\f" and unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs")
    )
    return bad / len(text) > 0.05


def _japanese_ratio(text: str) -> float:
    good = sum(
        1
        for ch in text
        if ch.isascii()
        or "\u3000" <= ch <= "\u30ff"
        or "\u4e00" <= ch <= "\u9fff"
        or "\uff00" <= ch <= "\uffef"
    )
    return good / max(len(text), 1)


def _decode_legacy(raw: bytes, path: Path) -> tuple[str, str]:
    """Shift_JIS/CP932 or EUC-JP: charset-normalizer decides, strict decoding is the fallback."""
    best = from_bytes(raw, cp_isolation=_JAPANESE_LEGACY).best()
    if best is not None:
        return str(best), best.encoding
    # charset-normalizer gives up on short or symbol-heavy text; a strict decode that yields
    # mostly Japanese/ASCII characters is still a safe answer.
    decoded = []
    for encoding in ("cp932", "euc_jp"):
        try:
            decoded.append((_japanese_ratio(text := raw.decode(encoding)), text, encoding))
        except UnicodeDecodeError:
            continue
    if decoded:
        ratio, text, encoding = max(decoded, key=lambda item: item[0])
        if ratio > 0.9:
            return text, encoding
    raise LoadError(path, "not a text file (not UTF-8, Shift_JIS/CP932 or EUC-JP)")


def decode_text(raw: bytes, path: Path) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with/without BOM) or a Japanese legacy encoding; returns (text, encoding)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise LoadError(path, f"invalid UTF-8 after a UTF-8 BOM ({exc.reason})") from exc
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise LoadError(path, "invalid UTF-16 text") from exc
    if b"\x00" in raw:
        raise LoadError(path, "not a text file (contains NUL bytes)")
    try:
        text, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = _decode_legacy(raw, path)
    if _looks_binary(text):
        raise LoadError(path, "not a text file (mostly non-printable characters)")
    return text, encoding


def _decode_html(raw: bytes, path: Path) -> tuple[str, str]:
    """(text, encoding) of an HTML file: its declared charset when that decodes, else detection."""
    declared = EncodingDetector.find_declared_encoding(raw, is_html=True)
    if declared:
        try:
            # Pages labelled Shift_JIS are really CP932 (browsers decode them so, e.g. "①").
            if codecs.lookup(declared).name == "shift_jis":
                declared = "cp932"
            return raw.decode(declared), declared.lower()
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; fall back to detection
    return decode_text(raw, path)


def _extract_html(raw: bytes, path: Path, budget: Budget) -> tuple[str, str, str | None]:
    html, encoding = _decode_html(raw, path)
    text, title = html_text(html, budget)
    if not text:
        raise LoadError(path, "no visible text in HTML")
    return text, encoding, title


def _page_text(page: Any, budget: Budget) -> str:
    """One PDF page's text, its characters and time counted as they come (a page can be huge)."""
    operators = 0

    def before(*_: Any) -> None:
        nonlocal operators
        operators += 1
        if operators % 1024 == 0:
            budget.tick()

    def text(piece: str, *_: Any) -> None:
        budget.spend(len(piece))

    return page.extract_text(visitor_operand_before=before, visitor_text=text) or ""


def _extract_pdf(raw: bytes, path: Path, budget: Budget) -> tuple[str, str | None]:
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError

    if b"%PDF-" not in raw[:1024]:
        raise LoadError(path, "not a PDF file (no %PDF header)")
    # pypdf silently rebuilds a truncated file's cross-reference table; a missing end marker is the tell.
    if b"%%EOF" not in raw[-2048:]:
        raise LoadError(path, "corrupt or truncated PDF (no %%EOF marker)")
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError(path, "encrypted PDF")
        budget.pages(len(reader.pages))  # before any page is read: pages can share one huge stream
        pages = [_page_text(page, budget) for page in reader.pages]
        meta_title = reader.metadata.title if reader.metadata else None
    except (LoadError, OverLimit):
        raise
    except LimitReachedError as exc:  # pypdf's own bounds (decoded stream size, tokens per stream)
        raise LoadError(path, f"PDF too large to read safely ({exc})") from exc
    except Exception as exc:  # pypdf raises many exception types on broken files
        raise LoadError(path, f"corrupt or truncated PDF ({type(exc).__name__}: {exc})") from exc
    text = "\n\n".join(p.strip("\n") for p in pages)
    if not text.strip():
        raise LoadError(path, "no text layer; OCR is not supported")
    title = normalize(str(meta_title)) if meta_title and str(meta_title).strip() else None
    return text, title


def _extract(raw: bytes, path: Path, suffix: str, budget: Budget) -> tuple[str, str, str | None]:
    """(text, encoding, title from the file's own markup) of a file's bytes; LoadError when refused."""
    try:
        if suffix == ".pdf":
            text, title = _extract_pdf(raw, path, budget)
            return text, "pdf", title
        if suffix in (".html", ".htm"):
            return _extract_html(raw, path, budget)
        text, encoding = decode_text(raw, path)
        return text, encoding, None
    except OverLimit as exc:
        raise LoadError(path, exc.reason) from None


class _Extracted:
    """The last few extractions by content: the upload job checks that a file loads before putting it in
    place, then the pipeline loads it again; without this a costly document is extracted twice."""

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, str, ExtractLimits], tuple[str, str, str | None]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str, ExtractLimits]) -> tuple[str, str, str | None] | None:
        """The stored extraction for key, or None."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[str, str, ExtractLimits], value: tuple[str, str, str | None]) -> None:
        """Store an extraction, dropping the oldest past `size`."""
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)


_EXTRACTED = _Extracted()


def _read_sidecar(path: Path) -> dict[str, str]:
    sidecar = path.with_name(path.stem + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return {}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LoadError(sidecar, f"unreadable provenance sidecar ({exc})") from exc
    if not isinstance(data, dict):
        raise LoadError(sidecar, "provenance sidecar is not a JSON object")
    return {k: str(data[k]) for k in _SIDECAR_KEYS if data.get(k) not in (None, "")}


_SENTENCE_LINE = re.compile(r"[。．.!?！？][」』）)\"”’]*$")
_LABELLED_LINE = re.compile(r"^[^:：]{1,12}[:：]\s*\S")
_MARKED_LINE = re.compile(r"^[■□◆◇●○▼▽▶►◎]")


def _heading_like(raw: str, limit: int) -> str | None:
    """The line as a title if it reads as a heading: not boilerplate, a sentence, a table row, a list
    item or a date alone."""
    line = normalize(raw.lstrip("#").strip())
    if is_boilerplate_line(line) or len(line) > limit or "。" in line or line.endswith("."):
        return None
    if "|" in raw or "\t" in raw.strip() or raw.lstrip()[:1] in ("•", "・", "-", "*", "▲", "△", "※"):
        return None
    if _LABELLED_LINE.match(line) or _MARKED_LINE.match(line):
        return None  # "日程：…", "■第1回": the body's fields and headings, not the page's title
    dates = find_dates(line)
    if dates and not re.sub(r"[\s()（）,]", "", line[: dates[0].start] + line[dates[0].end:]):
        return None
    return line


def title_from_text(text: str) -> str | None:
    """The page's heading: the last heading-like line before the first sentence or table (navigation and
    breadcrumb lines come before it), else the first heading-like line (≤ 60 chars) anywhere."""
    tables = find_tables(text)
    stop = tables[0].start if tables else len(text)
    before: list[str] = []
    pos = 0
    for raw in text.split("\n"):
        if pos >= stop or _SENTENCE_LINE.search(normalize(raw)) or _MARKED_LINE.match(raw.strip()):
            break
        pos += len(raw) + 1
        if (line := _heading_like(raw, 120)) is not None:
            before.append(line)
    if before:
        return before[-1]
    return next((line for raw in text.split("\n") if (line := _heading_like(raw, 60)) is not None), None)


def _size_label(n: int) -> str:
    mib = 1024 * 1024
    return f"{n // mib} MB" if n >= mib and n % mib == 0 else f"{n:,}-byte"


def load_document(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, *,
                  limits: ExtractLimits | None = None) -> SourceDocument:
    """Read one file into a `SourceDocument` (raises `LoadError` with a human reason).

    `limits` bounds the bytes read, the characters extracted, a PDF's pages and the time spent (default:
    `max_bytes` and ExtractLimits' defaults); the first bound passed stops the work and is the reason.
    """
    path = Path(path)
    limits = limits or ExtractLimits(max_bytes=max_bytes)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(path, f"unsupported file type {suffix or '(none)'}")
    try:
        raw = read_regular_file(path, limits.max_bytes)
    except OSError as exc:
        raise LoadError(path, f"cannot read file ({exc.strerror or exc})") from exc
    if not raw:
        raise LoadError(path, "empty file")

    content_hash = hashlib.sha256(raw).hexdigest()
    key = (content_hash, ".html" if suffix == ".htm" else suffix, limits)
    extracted = _EXTRACTED.get(key)
    if extracted is None:
        text, encoding, doc_title = _extract(raw, path, suffix, limits.budget())
        text = _normalize_newlines(text).lstrip("\ufeff")
        if len(text) > limits.max_chars:
            raise LoadError(path, f"{len(text):,} characters of text; the limit is {limits.max_chars:,} "
                                  "per document (ingest_max_chars)")
        extracted = (text, encoding, doc_title)
        _EXTRACTED.put(key, extracted)
    text, encoding, doc_title = extracted
    if not text.strip():
        raise LoadError(path, "no text content")

    meta = _read_sidecar(path)
    from_text = title_from_text(text)
    title, title_from = next((t, f) for t, f in ((meta.pop("title", None), "sidecar"),
                                                 (doc_title, suffix.lstrip(".")), (from_text, "text"),
                                                 (path.stem, "file")) if t)
    provenance = Provenance(title=title, title_from=title_from, **meta)
    return SourceDocument(
        doc_id=safe_doc_id(path.stem),
        path=str(path),
        text=text,
        provenance=provenance,
        content_hash=content_hash,
        encoding=encoding,
    )
