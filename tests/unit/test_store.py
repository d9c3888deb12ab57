"""ingest.store: the SQLite chunk store."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from ingest.schema import Chunk, Provenance, SourceDocument
from ingest.store import ChunkStore, DocumentInfo


def _doc(doc_id: str, text: str, content_hash: str = "h1") -> SourceDocument:
    return SourceDocument(doc_id=doc_id, path=f"/corpus/{doc_id}.txt", text=text,
                          provenance=Provenance(title=f"題 {doc_id}", publisher="環境省", url="https://x"),
                          content_hash=content_hash)


def _chunks(doc: SourceDocument, n: int, tag: str = "a") -> list[Chunk]:
    out = []
    for i in range(n):
        out.append(Chunk(chunk_id=f"{doc.doc_id}:{i:04d}:{tag}", doc_id=doc.doc_id, text=doc.text[i:i + 1],
                         start=i, end=i + 1, index_text=f"本文{i}", embed_text=f"題: 本文{i}",
                         title=doc.provenance.title, kind="row" if i else "text", meeting_number=i or None,
                         year=2016 if i else None, extra={"k": "v"}))
    return out


def test_upsert_and_read_back(tmp_path):
    store = ChunkStore(tmp_path)
    doc = _doc("d1", "abcdef")
    chunks = _chunks(doc, 3)
    store.upsert_document(doc, chunks, chunker_version="v1", source_root="/corpus")
    assert (tmp_path / "store.sqlite").is_file()
    assert store.document("d1") == doc
    assert store.document("missing") is None
    assert store.chunks("d1") == chunks
    assert store.chunk(chunks[1].chunk_id) == chunks[1]
    assert store.chunk("nope") is None
    assert store.content_hash("d1") == "h1"
    assert store.content_hash("nope") is None
    [info] = store.documents()
    assert isinstance(info, DocumentInfo)
    assert (info.doc_id, info.title, info.chunk_count, info.content_hash, info.chunker_version,
            info.source_root) == ("d1", "題 d1", 3, "h1", "v1", "/corpus")


def test_upsert_replaces_chunks(tmp_path):
    store = ChunkStore(tmp_path)
    doc = _doc("d1", "abcdef")
    store.upsert_document(doc, _chunks(doc, 4, "old"), chunker_version="v1")
    new = _doc("d1", "xyz", "h2")
    store.upsert_document(new, _chunks(new, 2, "new"), chunker_version="v1")
    assert [c.chunk_id for c in store.chunks()] == ["d1:0000:new", "d1:0001:new"]
    assert store.content_hash("d1") == "h2"
    assert store.chunk_count() == 2


def test_chunks_by_ids_preserves_order_and_skips_unknown(tmp_path):
    store = ChunkStore(tmp_path)
    a, b = _doc("a", "aaaa"), _doc("b", "bbbb")
    store.upsert_document(a, _chunks(a, 3), chunker_version="v1")
    store.upsert_document(b, _chunks(b, 3), chunker_version="v1")
    ids = ["b:0002:a", "a:0000:a", "zzz", "b:0000:a"]
    assert [c.chunk_id for c in store.chunks_by_ids(ids)] == ["b:0002:a", "a:0000:a", "b:0000:a"]
    many = [f"x{i}" for i in range(1200)] + ["a:0001:a"]  # beyond SQLite's parameter limit per query
    assert [c.chunk_id for c in store.chunks_by_ids(many)] == ["a:0001:a"]
    assert [c.doc_id for c in store.chunks()] == ["a"] * 3 + ["b"] * 3


def test_delete_and_clear(tmp_path):
    store = ChunkStore(tmp_path)
    a, b = _doc("a", "aaaa"), _doc("b", "bbbb")
    store.upsert_document(a, _chunks(a, 2), chunker_version="v1")
    store.upsert_document(b, _chunks(b, 2), chunker_version="v1")
    assert store.delete_document("a") is True
    assert store.delete_document("a") is False
    assert store.doc_ids() == {"b"}
    assert store.chunks("a") == []
    store.record_failure("/corpus/bad.txt", "abc", "empty file")
    assert store.failures() == {"/corpus/bad.txt": "abc"}
    store.clear()
    assert store.documents() == [] and store.chunk_count() == 0 and store.failures() == {}


def test_failed_upsert_leaves_previous_state(tmp_path):
    store = ChunkStore(tmp_path)
    a = _doc("a", "aaaa")
    store.upsert_document(a, _chunks(a, 2), chunker_version="v1")
    b = _doc("b", "bbbb")
    dup = _chunks(b, 1) * 2  # duplicate chunk ids violate the primary key mid-transaction
    with pytest.raises(sqlite3.IntegrityError):
        store.upsert_document(b, dup, chunker_version="v1")
    assert store.doc_ids() == {"a"} and store.chunk_count() == 2


def test_persistence_and_threads(tmp_path):
    store = ChunkStore(tmp_path)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for j in range(10):
                d = _doc(f"t{n}_{j}", "abc")
                store.upsert_document(d, _chunks(d, 2), chunker_version="v1")
                store.chunks()
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    store.close()
    with ChunkStore(tmp_path) as again:
        assert len(again.documents()) == 40 and again.chunk_count() == 80
        mode = again._conn.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"
