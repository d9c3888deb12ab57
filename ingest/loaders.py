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
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.dammit import EncodingDetector
from charset_normalizer import from_bytes

from ingest.cleaner import is_boilerplate_line, normalize
from ingest.dates import find_dates
from ingest.ids import safe_doc_id
from ingest.schema import Provenance, SourceDocument
from ingest.tables import find_tables

log = logging.getLogger(__name__)

__all__ = ["LoadError", "discover", "load_document", "read_regular_file", "safe_doc_id", "title_from_text"]

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".pdf"})
SIDECAR_SUFFIX = ".meta.json"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_JAPANESE_LEGACY = ["cp932", "shift_jis", "euc_jp"]
_SIDECAR_KEYS = ("title", "title_en", "publisher", "kind", "language", "url")

# HTML elements whose text is never part of the page's content.
_DROP_TAGS = ["script", "style", "nav", "header", "footer", "aside", "noscript", "template", "iframe", "svg"]
# Block elements become line breaks so paragraphs and table rows stay apart in the text.
_PARAGRAPH_TAGS = frozenset(
    {
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "ul",
        "ol",
        "dl",
        "section",
        "article",
        "blockquote",
        "pre",
        "figure",
        "main",
        "form",
        "hr",
    }
)
_LINE_TAGS = frozenset({"div", "li", "tr", "dt", "dd", "caption", "figcaption", "address", "thead", "tbody"})
_CELL_TAGS = frozenset({"td", "th"})


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


_BREAK = "\x01"
_WIDE = r"\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"


def _mark_break(m: re.Match[str]) -> str:
    return _BREAK if "\n" in m.group() else " "


def _join_breaks(text: str) -> str:
    """A source line break inside Japanese text is no space (CSS segment-break rule); else one space."""
    text = re.sub(rf"(?<=[{_WIDE}])[ {_BREAK}]*{_BREAK}[ {_BREAK}]*(?=[{_WIDE}])", "", text)
    return re.sub(rf"[ {_BREAK}]*{_BREAK}[ {_BREAK}]*", " ", text)


def _html_text(node: Tag, out: list[str], pre: bool = False) -> None:
    """Visible text of `node`, with HTML whitespace collapsed and block elements as line breaks."""
    for child in node.children:
        if isinstance(child, Tag):
            name = child.name.lower()
            if name == "br":
                out.append("\n")
            elif name in _PARAGRAPH_TAGS:
                out.append("\n\n")
                _html_text(child, out, pre or name == "pre")
                out.append("\n\n")
            elif name == "tr":
                out.append("\n")
                _html_row(child, out, pre)
                out.append("\n")
            elif name in _LINE_TAGS:
                out.append("\n")
                _html_text(child, out, pre)
                out.append("\n")
            elif name in _CELL_TAGS:
                # Cells as pipe-separated columns: the table reader names them by the header row.
                _html_text(child, out, pre)
                out.append(" | ")
            else:
                _html_text(child, out, pre)
        elif type(child) is NavigableString:  # skips comments, doctypes, CDATA
            # Source line breaks are marked so they can vanish between Japanese characters.
            out.append(str(child) if pre else re.sub(r"[ \t\n\r\f]+", _mark_break, str(child)))


_CELL_BREAKS = re.compile(rf"[ \t{_BREAK}]*\n[\s{_BREAK}]*")  # line breaks (and blank lines) inside a cell


def _html_row(row: Tag, out: list[str], pre: bool) -> None:
    """A table row as pipe-separated cells that stay on the row's line: line breaks inside a cell before
    the last become soft breaks (a wrapped venue is one cell), and the last cell's lines follow the row
    without blank lines (its link lines stay with the row, where the table reader takes them as notes)."""
    cells = [c for c in row.children if isinstance(c, Tag) and c.name.lower() in _CELL_TAGS]
    if not cells or any(c.find("table") is not None for c in cells):
        _html_text(row, out, pre)  # a layout table around another table: its cells are page regions
        return
    for i, cell in enumerate(cells):
        parts: list[str] = []
        _html_text(cell, parts, pre)
        text = _CELL_BREAKS.sub(_BREAK if i < len(cells) - 1 else "\n", "".join(parts))
        out.append((" | " if i else "") + text.strip(f" \t\n{_BREAK}"))


def _extract_html(raw: bytes, path: Path) -> tuple[str, str, str | None]:
    declared = EncodingDetector.find_declared_encoding(raw, is_html=True)
    html: str | None = None
    encoding = "utf-8"
    if declared:
        try:
            # Pages labelled Shift_JIS are really CP932 (browsers decode them so, e.g. "①").
            if codecs.lookup(declared).name == "shift_jis":
                declared = "cp932"
            html, encoding = raw.decode(declared), declared.lower()
        except (LookupError, UnicodeDecodeError):
            html = None  # a wrong declaration is common; fall back to detection
    if html is None:
        html, encoding = decode_text(raw, path)
    soup = BeautifulSoup(html, "lxml")
    title = None
    if soup.title and soup.title.get_text(strip=True):
        title = normalize(soup.title.get_text())
    else:
        h1 = soup.find("h1")
        if h1 and h1.get_text(strip=True):
            title = normalize(h1.get_text())
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    body = soup.body or soup
    parts: list[str] = []
    _html_text(body, parts)
    text = _join_breaks("".join(parts)).replace("\xa0", " ")
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    text = re.sub(r"[ \t]*\|[ \t]*(?=\n|$)", "", text)  # the separator after a row's last cell
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if not text:
        raise LoadError(path, "no visible text in HTML")
    return text, encoding, title


def _extract_pdf(raw: bytes, path: Path) -> tuple[str, str | None]:
    from pypdf import PdfReader

    if b"%PDF-" not in raw[:1024]:
        raise LoadError(path, "not a PDF file (no %PDF header)")
    # pypdf silently rebuilds a truncated file's cross-reference table; a missing end marker is the tell.
    if b"%%EOF" not in raw[-2048:]:
        raise LoadError(path, "corrupt or truncated PDF (no %%EOF marker)")
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError(path, "encrypted PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
        meta_title = reader.metadata.title if reader.metadata else None
    except LoadError:
        raise
    except Exception as exc:  # pypdf raises many exception types on broken files
        raise LoadError(path, f"corrupt or truncated PDF ({type(exc).__name__}: {exc})") from exc
    text = "\n\n".join(p.strip("\n") for p in pages)
    if not text.strip():
        raise LoadError(path, "no text layer; OCR is not supported")
    title = normalize(str(meta_title)) if meta_title and str(meta_title).strip() else None
    return text, title


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


def load_document(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceDocument:
    """Read one file into a `SourceDocument` (raises `LoadError` with a human reason)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(path, f"unsupported file type {suffix or '(none)'}")
    try:
        raw = read_regular_file(path, max_bytes)
    except OSError as exc:
        raise LoadError(path, f"cannot read file ({exc.strerror or exc})") from exc
    if not raw:
        raise LoadError(path, "empty file")

    doc_title: str | None = None
    if suffix == ".pdf":
        text, doc_title = _extract_pdf(raw, path)
        encoding = "pdf"
    elif suffix in (".html", ".htm"):
        text, encoding, doc_title = _extract_html(raw, path)
    else:
        text, encoding = decode_text(raw, path)
    text = _normalize_newlines(text).lstrip("\ufeff")
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
        content_hash=hashlib.sha256(raw).hexdigest(),
        encoding=encoding,
    )
