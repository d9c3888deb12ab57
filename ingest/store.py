"""The chunk store (SQLite): documents with their hashes and text, and their chunks."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from ingest.schema import Chunk, Provenance, Record, SourceDocument, Subject

STORE_FILE = "store.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    title TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    text TEXT NOT NULL,
    provenance TEXT NOT NULL,
    encoding TEXT NOT NULL DEFAULT 'utf-8',
    chunker_version TEXT NOT NULL,
    source_root TEXT,
    ingested_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_by_doc ON chunks(doc_id, ordinal);
CREATE TABLE IF NOT EXISTS records (
    record_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_by_doc ON records(doc_id, ordinal);
CREATE TABLE IF NOT EXISTS subjects (
    doc_id TEXT PRIMARY KEY REFERENCES documents(doc_id) ON DELETE CASCADE,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS glossary (
    source TEXT NOT NULL,
    lang TEXT NOT NULL,
    target TEXT NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    PRIMARY KEY (source, lang, doc_id)
);
CREATE TABLE IF NOT EXISTS failures (
    path TEXT PRIMARY KEY,
    content_hash TEXT,
    reason TEXT NOT NULL,
    seen_at REAL NOT NULL
);
"""


@dataclass(frozen=True)
class DocumentInfo:
    """A document as listed by the store (no text)."""

    doc_id: str
    title: str
    path: str
    chunk_count: int
    content_hash: str
    chunker_version: str
    source_root: str | None
    ingested_at: float


def _chunk_to_json(chunk: Chunk) -> str:
    return json.dumps(asdict(chunk), ensure_ascii=False)


def _chunk_from_json(data: str) -> Chunk:
    return Chunk(**json.loads(data))


class ChunkStore:
    """SQLite at index_dir/store.sqlite; WAL mode, one connection shared by threads behind a lock."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.index_dir / STORE_FILE
        self._lock = threading.RLock()
        # One connection for every thread: sqlite objects are safe to share when calls are serialized.
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(_SCHEMA)

    @classmethod
    def exists(cls, index_dir: Path) -> bool:
        """Whether a store file is present under `index_dir`."""
        return (Path(index_dir) / STORE_FILE).is_file()

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> ChunkStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writes

    def upsert_document(self, doc: SourceDocument, chunks: Sequence[Chunk], *, chunker_version: str,
                        source_root: str | None = None, records: Sequence[Record] = (),
                        subject: Subject | None = None, glossary: dict[tuple[str, str], str] | None = None) -> None:
        """Insert or replace a document with its chunks, records, subject and name translations at once."""
        for c in chunks:
            if c.doc_id != doc.doc_id:
                raise ValueError(f"chunk {c.chunk_id} belongs to {c.doc_id}, not {doc.doc_id}")
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute("DELETE FROM chunks WHERE doc_id = ?", (doc.doc_id,))
                self._conn.execute(
                    "INSERT OR REPLACE INTO documents (doc_id, path, title, content_hash, text, provenance,"
                    " encoding, chunker_version, source_root, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (doc.doc_id, doc.path, doc.provenance.title, doc.content_hash, doc.text,
                     json.dumps(asdict(doc.provenance), ensure_ascii=False), doc.encoding,
                     chunker_version, source_root, time.time()),
                )
                self._conn.executemany(
                    "INSERT INTO chunks (chunk_id, doc_id, ordinal, data) VALUES (?,?,?,?)",
                    [(c.chunk_id, c.doc_id, i, _chunk_to_json(c)) for i, c in enumerate(chunks)],
                )
                for table in ("records", "subjects", "glossary"):
                    self._conn.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc.doc_id,))
                self._conn.executemany(
                    "INSERT INTO records (record_id, doc_id, ordinal, data) VALUES (?,?,?,?)",
                    [(r.record_id, doc.doc_id, i, json.dumps(r.to_json(), ensure_ascii=False))
                     for i, r in enumerate(records)],
                )
                if subject is not None:
                    self._conn.execute("INSERT INTO subjects (doc_id, data) VALUES (?,?)",
                                       (doc.doc_id, json.dumps(asdict(subject), ensure_ascii=False)))
                self._conn.executemany(
                    "INSERT OR REPLACE INTO glossary (source, lang, target, doc_id) VALUES (?,?,?,?)",
                    [(src, lang, tgt, doc.doc_id) for (src, lang), tgt in (glossary or {}).items()],
                )
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def delete_document(self, doc_id: str) -> bool:
        """Remove a document and its chunks; True if it was there."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                for table in ("chunks", "records", "subjects", "glossary"):
                    self._conn.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
                cur = self._conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        return cur.rowcount > 0

    def clear(self) -> None:
        """Remove every document and chunk."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            for table in ("chunks", "records", "subjects", "glossary", "documents"):
                self._conn.execute(f"DELETE FROM {table}")
            self._conn.execute("DELETE FROM failures")
            self._conn.execute("COMMIT")

    def record_failure(self, path: str, content_hash: str | None, reason: str) -> None:
        """Remember that a file (with these bytes) could not be ingested, so it is not retried blindly."""
        with self._lock:
            self._conn.execute("INSERT OR REPLACE INTO failures (path, content_hash, reason, seen_at)"
                               " VALUES (?,?,?,?)", (path, content_hash, reason, time.time()))

    def forget_failure(self, path: str) -> None:
        """Drop a recorded failure (the file loaded, or is gone)."""
        with self._lock:
            self._conn.execute("DELETE FROM failures WHERE path = ?", (path,))

    def failures(self) -> dict[str, str | None]:
        """Recorded failures: path -> content hash of the bytes that failed."""
        return dict(self._rows("SELECT path, content_hash FROM failures"))

    # --- reads

    def _rows(self, sql: str, params: Iterable[object] = ()) -> list[tuple]:
        with self._lock:
            return self._conn.execute(sql, tuple(params)).fetchall()

    def documents(self) -> list[DocumentInfo]:
        """Every document with its chunk count, ordered by doc_id."""
        rows = self._rows(
            "SELECT d.doc_id, d.title, d.path, COUNT(c.chunk_id), d.content_hash, d.chunker_version,"
            " d.source_root, d.ingested_at FROM documents d LEFT JOIN chunks c ON c.doc_id = d.doc_id"
            " GROUP BY d.doc_id ORDER BY d.doc_id"
        )
        return [DocumentInfo(*r) for r in rows]

    def doc_ids(self) -> set[str]:
        """The ids of all stored documents."""
        return {r[0] for r in self._rows("SELECT doc_id FROM documents")}

    def document(self, doc_id: str) -> SourceDocument | None:
        """The stored document with its original text, or None."""
        rows = self._rows(
            "SELECT doc_id, path, text, provenance, content_hash, encoding FROM documents WHERE doc_id = ?",
            (doc_id,),
        )
        if not rows:
            return None
        did, path, text, prov, content_hash, encoding = rows[0]
        return SourceDocument(doc_id=did, path=path, text=text, provenance=Provenance(**json.loads(prov)),
                              content_hash=content_hash, encoding=encoding)

    def content_hash(self, doc_id: str) -> str | None:
        """The stored content hash of a document, or None if it is not stored."""
        rows = self._rows("SELECT content_hash FROM documents WHERE doc_id = ?", (doc_id,))
        return rows[0][0] if rows else None

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        """All chunks (of one document when `doc_id` is given), in document and reading order."""
        if doc_id is None:
            rows = self._rows("SELECT data FROM chunks ORDER BY doc_id, ordinal")
        else:
            rows = self._rows("SELECT data FROM chunks WHERE doc_id = ? ORDER BY ordinal", (doc_id,))
        return [_chunk_from_json(r[0]) for r in rows]

    def chunk(self, chunk_id: str) -> Chunk | None:
        """One chunk by id, or None."""
        rows = self._rows("SELECT data FROM chunks WHERE chunk_id = ?", (chunk_id,))
        return _chunk_from_json(rows[0][0]) if rows else None

    def chunks_by_ids(self, chunk_ids: Sequence[str]) -> list[Chunk]:
        """The chunks for these ids in the order given; unknown ids are left out."""
        ids = list(dict.fromkeys(chunk_ids))
        found: dict[str, Chunk] = {}
        for i in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
            part = ids[i:i + 500]
            marks = ",".join("?" * len(part))
            for cid, data in self._rows(f"SELECT chunk_id, data FROM chunks WHERE chunk_id IN ({marks})", part):
                found[cid] = _chunk_from_json(data)
        return [found[c] for c in chunk_ids if c in found]

    def chunk_count(self) -> int:
        """How many chunks are stored."""
        return int(self._rows("SELECT COUNT(*) FROM chunks")[0][0])

    def records(self, doc_id: str | None = None) -> list[Record]:
        """Every record (of one document when given), in document and reading order."""
        if doc_id is None:
            rows = self._rows("SELECT data FROM records ORDER BY doc_id, ordinal")
        else:
            rows = self._rows("SELECT data FROM records WHERE doc_id = ? ORDER BY ordinal", (doc_id,))
        return [Record.from_json(json.loads(r[0])) for r in rows]

    def subjects(self) -> dict[str, Subject]:
        """doc_id -> what the document is about."""
        out = {}
        for doc_id, data in self._rows("SELECT doc_id, data FROM subjects"):
            d = json.loads(data)
            d["aliases"] = tuple(d.get("aliases") or ())
            out[doc_id] = Subject(**d)
        return out

    def glossary(self) -> dict[tuple[str, str], str]:
        """(name, target language) -> the name in that language, from every document's stored translations."""
        return {(src, lang): tgt for src, lang, tgt in self._rows("SELECT source, lang, target FROM glossary")}
