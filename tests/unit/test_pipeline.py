"""ingest.pipeline incremental behaviour, with a hashing fake `Embeddings` (only for speed)."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from ingest.dense import DenseIndex, IndexMismatchError, IndexNotFoundError
from ingest.loaders import LoadError, discover, load_document
from ingest.pipeline import BM25_DIR, ingest, needs_ingest, open_indexes, print_report
from ingest.splitter import CHUNKER_VERSION, split_document
from ingest.store import ChunkStore
from shiori.settings import PROJECT_ROOT, Settings
from tests.fakes import HashEmbeddings

CORPUS = PROJECT_ROOT / "corpus"
MN = "003_0055bfdbdfe2e4b0"
VN = "000_8985a77eb798b76a"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    dst = tmp_path / "corpus"
    shutil.copytree(CORPUS, dst)
    return dst


def _settings(tmp_path: Path, corpus: Path, **kw) -> Settings:
    model = tmp_path / "models" / "fake-model"
    model.mkdir(parents=True, exist_ok=True)
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedding_model_path=model,
                    cache_dir=tmp_path / "cache", **kw)


def _expected_chunks(corpus: Path) -> set[str]:
    out = set()
    for p in discover([corpus]):
        try:
            doc = load_document(p)
        except LoadError:
            continue
        out |= {c.chunk_id for c in split_document(doc, 400)}
    return out


def _state(settings: Settings, emb: Embeddings) -> tuple[set[str], set[str], set[str]]:
    """(store chunk ids, Chroma chunk ids, BM25 chunk ids)."""
    idx = open_indexes(settings, embeddings=emb)
    store_ids = {c.chunk_id for c in idx.store.chunks()}
    dense_ids = idx.dense.chunk_ids()
    sparse_ids = set(idx.sparse.chunk_ids)
    idx.store.close()
    return store_ids, dense_ids, sparse_ids


def _assert_clean(settings: Settings, emb: Embeddings, corpus: Path) -> None:
    expected = _expected_chunks(corpus)
    store_ids, dense_ids, sparse_ids = _state(settings, emb)
    assert store_ids == expected
    assert dense_ids == expected
    assert sparse_ids == expected


def test_first_ingest_then_reingest_adds_nothing(tmp_path, corpus):
    s, emb = _settings(tmp_path, corpus), HashEmbeddings()
    r1 = ingest(None, s, embeddings=emb, progress=False)
    assert (r1.documents_seen, r1.added, r1.updated, r1.unchanged, r1.removed) == (3, 3, 0, 0, 0)
    assert r1.failed == []
    assert r1.chunks_written == r1.chunks_total == r1.vectors_total == len(_expected_chunks(corpus))
    _assert_clean(s, emb, corpus)
    calls = emb.calls
    r2 = ingest(None, s, embeddings=emb, progress=False)
    assert (r2.added, r2.updated, r2.unchanged, r2.removed, r2.chunks_written) == (0, 0, 3, 0, 0)
    assert r2.chunks_total == r1.chunks_total == r2.vectors_total
    assert emb.calls == calls  # nothing was embedded again
    _assert_clean(s, emb, corpus)


def test_changed_file_replaces_its_chunks(tmp_path, corpus):
    s, emb = _settings(tmp_path, corpus), HashEmbeddings()
    ingest(None, s, embeddings=emb, progress=False)
    with ChunkStore(s.index_dir) as store:
        old_ids = {c.chunk_id for c in store.chunks(MN)}
    path = corpus / f"{MN}.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("ウランバートル", "ウラーンバータル"), encoding="utf-8")
    r = ingest(None, s, embeddings=emb, progress=False)
    assert (r.added, r.updated, r.unchanged, r.removed) == (0, 1, 2, 0)
    _assert_clean(s, emb, corpus)
    with ChunkStore(s.index_dir) as store:
        new_ids = {c.chunk_id for c in store.chunks(MN)}
        assert "ウラーンバータル" in store.document(MN).text
    assert old_ids != new_ids
    idx = open_indexes(s, embeddings=emb)
    assert idx.sparse.has_token("ウラーンバータル")


def test_removed_file_disappears(tmp_path, corpus):
    s, emb = _settings(tmp_path, corpus), HashEmbeddings()
    ingest(None, s, embeddings=emb, progress=False)
    (corpus / f"{VN}.txt").unlink()
    r = ingest(None, s, embeddings=emb, progress=False)
    assert (r.removed, r.unchanged) == (1, 2)
    _assert_clean(s, emb, corpus)
    idx = open_indexes(s, embeddings=emb)
    assert idx.store.document(VN) is None
    assert VN not in idx.dense.doc_ids()
    assert not idx.sparse.has_token("ハノイ") or all(not c.startswith(VN) for c in idx.sparse.chunk_ids)


def test_single_file_ingest_does_not_remove_others(tmp_path, corpus):
    s, emb = _settings(tmp_path, corpus), HashEmbeddings()
    ingest(None, s, embeddings=emb, progress=False)
    upload = tmp_path / "uploads" / "upload_note.txt"
    upload.parent.mkdir()
    upload.write_text("堺市の脱炭素メモ\n\n堺市はバリアブントウ省と覚書を結んだ。JCMの案件形成を進める。\n", encoding="utf-8")
    r = ingest([upload], s, embeddings=emb, progress=False)
    assert (r.added, r.removed) == (1, 0)
    with ChunkStore(s.index_dir) as store:
        assert len(store.documents()) == 4
    # A later folder ingest of the corpus keeps the upload: it lives outside the corpus root.
    r2 = ingest(None, s, embeddings=emb, progress=False)
    assert (r2.removed, r2.unchanged) == (0, 3)


def test_corrupt_files_are_skipped_with_a_reason(tmp_path, corpus):
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (corpus / "empty.txt").write_bytes(b"")
    s, emb = _settings(tmp_path, corpus), HashEmbeddings()
    r = ingest(None, s, embeddings=emb, progress=False)
    assert r.added == 3
    failed = dict((Path(p).name, reason) for p, reason in r.failed)
    assert set(failed) == {"binary.txt", "empty.txt"}
    assert "not a text file" in failed["binary.txt"]
    assert "empty" in failed["empty.txt"]
    assert r.chunks_total == r.vectors_total == len(_expected_chunks(corpus))
    # Known-bad files with unchanged bytes do not make the set-up script re-ingest every time.
    assert needs_ingest(s) is False


def test_needs_ingest(tmp_path, corpus):
    s, emb = _settings(tmp_path, corpus), HashEmbeddings()
    assert needs_ingest(s) is True
    ingest(None, s, embeddings=emb, progress=False)
    assert needs_ingest(s) is False
    (corpus / "new.md").write_text("# 新しい文書\n\n本文です。\n", encoding="utf-8")
    assert needs_ingest(s) is True
    ingest(None, s, embeddings=emb, progress=False)
    assert needs_ingest(s) is False
    (corpus / "new.md").unlink()
    assert needs_ingest(s) is True


def test_open_indexes_before_ingest_says_what_to_do(tmp_path, corpus):
    s = _settings(tmp_path, corpus)
    with pytest.raises(IndexNotFoundError, match="shiori ingest"):
        open_indexes(s, embeddings=HashEmbeddings())


def test_model_mismatch_raises_clear_error(tmp_path, corpus):
    s, emb = _settings(tmp_path, corpus), HashEmbeddings(64)
    ingest(None, s, embeddings=emb, progress=False)
    other = _settings(tmp_path, corpus, embedding_model_name="intfloat/multilingual-e5-small")
    with pytest.raises(IndexMismatchError) as info:
        open_indexes(other, embeddings=HashEmbeddings(64))
    msg = str(info.value)
    assert "google/embeddinggemma-300m" in msg and "intfloat/multilingual-e5-small" in msg
    assert "shiori ingest --rebuild" in msg and "SHIORI_INDEX_DIR" in msg
    with pytest.raises(IndexMismatchError, match="dim 64.*dim 32"):
        ingest(None, s, embeddings=HashEmbeddings(32), progress=False)
    with pytest.raises(IndexMismatchError, match="chunker"):
        DenseIndex(s, emb, chunker_version="some-other-chunker")
    # --rebuild is the fix.
    r = ingest(None, other, embeddings=HashEmbeddings(32), rebuild=True, progress=False)
    assert r.rebuilt and r.added == 3 and r.chunks_total == r.vectors_total
    _assert_clean(other, HashEmbeddings(32), corpus)


def test_reconcile_after_crash_before_store_commit(tmp_path, corpus):
    s, emb = _settings(tmp_path, corpus), HashEmbeddings()
    ingest(None, s, embeddings=emb, progress=False)
    # Crash 1: a new document's vectors reached Chroma, its store row never committed.
    ghost = tmp_path / "ghost.txt"
    ghost.write_text("幽霊文書\n\nこの文書は書き込みの途中で落ちた。JCM。\n", encoding="utf-8")
    dense = DenseIndex(s, emb, chunker_version=CHUNKER_VERSION)
    dense.add_chunks(split_document(load_document(ghost), 400))
    # Crash 2: an update deleted a document's old vectors and wrote new ones, then died before the store.
    path = corpus / f"{MN}.txt"
    text = path.read_text(encoding="utf-8")
    dense.delete_document(MN)
    path.write_text(text + "\n追記。\n", encoding="utf-8")
    dense.add_chunks(split_document(load_document(path), 400))
    path.write_text(text, encoding="utf-8")  # and the file went back to what the store has
    r = ingest(None, s, embeddings=emb, progress=False)
    assert r.reconciled == 2
    assert r.unchanged == 3
    _assert_clean(s, emb, corpus)


def test_crash_mid_ingest_then_rerun_matches_clean_build(tmp_path, corpus, monkeypatch):
    s, emb = _settings(tmp_path, corpus), HashEmbeddings()
    calls = {"n": 0}
    real = ChunkStore.upsert_document

    def crashing(self, *a, **kw):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt("simulated crash after the Chroma write")
        return real(self, *a, **kw)

    monkeypatch.setattr(ChunkStore, "upsert_document", crashing)
    with pytest.raises(KeyboardInterrupt):
        ingest(None, s, embeddings=emb, progress=False)
    monkeypatch.setattr(ChunkStore, "upsert_document", real)
    r = ingest(None, s, embeddings=emb, progress=False)
    assert r.added == 2 and r.unchanged == 1 and r.reconciled == 1
    _assert_clean(s, emb, corpus)


def test_rebuild_wipes_and_matches_clean_build(tmp_path, corpus):
    s, emb = _settings(tmp_path, corpus), HashEmbeddings()
    ingest(None, s, embeddings=emb, progress=False)
    r = ingest(None, s, embeddings=emb, rebuild=True, progress=False)
    assert r.rebuilt and r.added == 3 and r.unchanged == 0
    _assert_clean(s, emb, corpus)
    assert (s.index_dir / BM25_DIR).is_dir()


def test_concurrent_ingests_do_not_interleave(tmp_path, corpus):
    s, emb = _settings(tmp_path, corpus), HashEmbeddings()
    reports, errors = [], []

    def run() -> None:
        try:
            reports.append(ingest(None, s, embeddings=emb, progress=False))
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted((r.added, r.unchanged) for r in reports) == [(0, 3), (3, 0)]
    _assert_clean(s, emb, corpus)


def test_dense_search_and_print_report(tmp_path, corpus, capsys):
    s, emb = _settings(tmp_path, corpus), HashEmbeddings()
    r = ingest(None, s, embeddings=emb, progress=True)
    idx = open_indexes(s, embeddings=emb)
    hits = idx.dense.search("日・モンゴル環境政策対話 第10回", k=5)
    assert len(hits) == 5 and all(-1.0 <= score <= 1.0 for _, score in hits)
    assert hits == sorted(hits, key=lambda h: -h[1])
    only_mn = idx.dense.search("対話", k=50, where={"doc_id": MN})
    assert only_mn and all(cid.startswith(MN) for cid, _ in only_mn)
    assert idx.dense.search("", k=5) == []
    assert idx.sparse.search("モンゴルとの対話でJCMが初めて取り上げられたのはいつ？", 3)
    print_report(r)
    out = capsys.readouterr().out
    assert "added" in out and "chunks in index" in out


def test_chunker_change_rechunks_everything_without_rebuild(tmp_path, corpus, monkeypatch):
    import ingest.pipeline as pipeline

    s, emb = _settings(tmp_path, corpus), HashEmbeddings()
    ingest(None, s, embeddings=emb, progress=False)
    monkeypatch.setattr(pipeline, "CHUNKER_VERSION", "rows-v999")
    assert needs_ingest(s) is True
    r = ingest(None, s, embeddings=emb, progress=False)
    assert (r.updated, r.unchanged) == (3, 0)
    assert DenseIndex(s, emb, chunker_version="rows-v999").collection.metadata["chunker_version"] == "rows-v999"
    with ChunkStore(s.index_dir) as store:
        assert {d.chunker_version for d in store.documents()} == {"rows-v999"}
    assert needs_ingest(s) is False


def test_unsupported_and_missing_paths_are_reported(tmp_path, corpus):
    s, emb = _settings(tmp_path, corpus), HashEmbeddings()
    doc = tmp_path / "notes.docx"
    doc.write_bytes(b"PK\x03\x04")
    r = ingest([doc, tmp_path / "nowhere"], s, embeddings=emb, progress=False)
    reasons = dict((Path(p).name, reason) for p, reason in r.failed)
    assert "unsupported" in reasons["notes.docx"]
    assert "no such file" in reasons["nowhere"]
    assert r.added == 0 and r.chunks_total == 0


# ---- issue 14, failure 4: a file never takes another file's id without an explicit replace


def _doc(settings: Settings, doc_id: str):
    with ChunkStore(settings.index_dir) as store:
        return store.document(doc_id), len(store.chunks(doc_id))


def test_same_stem_from_another_folder_gets_a_distinct_id(tmp_path, corpus):
    from ingest.ids import distinct_doc_id

    s, emb = _settings(tmp_path, corpus), HashEmbeddings()
    ingest(None, s, embeddings=emb, progress=False)
    original, n = _doc(s, VN)
    other = tmp_path / "other" / f"{VN}.md"
    other.parent.mkdir()
    other.write_text("別の文書\n\nこれは同じ名前の別の文書です。\n", encoding="utf-8")
    r = ingest([other], s, embeddings=emb, progress=False)
    assert (r.added, r.updated, r.failed) == (1, 0, [])
    assert _doc(s, VN) == (original, n) and n > 1  # the corpus document is untouched
    new_id = distinct_doc_id(VN, other)
    assert new_id != VN and _doc(s, new_id)[0].text.startswith("別の文書")
    assert [(Path(p).name, i) for p, i, _ in r.renamed] == [(other.name, new_id)]
    # Ids stay put: the same file again is unchanged under its id, the corpus keeps its ids.
    assert ingest([other], s, embeddings=emb, progress=False).unchanged == 1
    again = ingest(None, s, embeddings=emb, progress=False)
    assert (again.unchanged, again.added, again.removed, again.updated) == (3, 0, 0, 0)
    assert not needs_ingest(s)


def test_two_files_with_one_stem_in_one_run_both_get_indexed(tmp_path, corpus):
    s, emb = _settings(tmp_path, corpus), HashEmbeddings()
    (corpus / "a").mkdir()
    (corpus / "b").mkdir()
    (corpus / "a" / "notes.txt").write_text("メモA\n\n一つ目のメモです。\n", encoding="utf-8")
    (corpus / "b" / "notes.md").write_text("メモB\n\n二つ目のメモです。\n", encoding="utf-8")
    r = ingest(None, s, embeddings=emb, progress=False)
    assert r.added == 5 and not r.failed, r.failed
    assert ingest(None, s, embeddings=emb, progress=False).unchanged == 5


def test_replace_takes_the_id_on_purpose(tmp_path, corpus):
    s, emb = _settings(tmp_path, corpus), HashEmbeddings()
    ingest(None, s, embeddings=emb, progress=False)
    other = tmp_path / "other" / f"{VN}.md"
    other.parent.mkdir()
    other.write_text("差し替え\n\nこの文書で置き換えます。\n", encoding="utf-8")
    r = ingest([other], s, embeddings=emb, progress=False, replace=True)
    assert (r.added, r.updated) == (0, 1)
    doc, n = _doc(s, VN)
    assert doc.text.startswith("差し替え") and doc.path == str(other) and n == 1


def test_cli_ingest_replace_flag(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    import ingest.pipeline as pipeline
    from ui.cli import app

    seen = {}

    def fake_ingest(paths, settings, **kw):
        seen.update(kw, paths=paths)
        return pipeline.IngestReport(added=1)

    monkeypatch.setattr(pipeline, "ingest", fake_ingest)
    f = tmp_path / "x.txt"
    f.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(f), "--replace"])
    assert result.exit_code == 0, result.output
    assert seen["replace"] is True and seen["paths"] == [f]


def test_a_moved_corpus_keeps_its_ids(tmp_path, corpus):
    s, emb = _settings(tmp_path, corpus), HashEmbeddings()
    ingest(None, s, embeddings=emb, progress=False)
    moved = tmp_path / "moved"
    corpus.rename(moved)
    s = s.model_copy(update={"corpus_dir": moved})
    r = ingest(None, s, embeddings=emb, progress=False)
    assert (r.unchanged, r.added, r.removed) == (3, 0, 0) and not r.renamed
    assert not needs_ingest(s)
