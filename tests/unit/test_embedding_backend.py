"""The embedding backend is part of the index manifest: a mismatch is refused like another model is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.dense import DenseIndex, IndexManifest, IndexMismatchError
from ingest.pipeline import ingest, open_indexes
from ingest.splitter import CHUNKER_VERSION
from shiori.settings import PROJECT_ROOT, Settings
from tests.fakes import HashEmbeddings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    corpus = tmp_path / "corpus"
    shutil.copytree(PROJECT_ROOT / "corpus", corpus)
    model = tmp_path / "models" / "fake-model"
    model.mkdir(parents=True)
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedding_model_path=model,
                    cache_dir=tmp_path / "cache", embedding_backend="torch")


def test_backend_is_recorded_in_the_manifest(settings: Settings) -> None:
    ov = settings.model_copy(update={"embedding_backend": "openvino-int8"})
    ingest(None, ov, embeddings=HashEmbeddings(), progress=False)
    dense = open_indexes(ov, embeddings=HashEmbeddings()).dense
    assert IndexManifest.from_metadata(dense.collection.metadata).embedding_backend == "openvino-int8"


def test_backend_mismatch_raises_clear_error(settings: Settings) -> None:
    ingest(None, settings, embeddings=HashEmbeddings(), progress=False)  # torch
    other = settings.model_copy(update={"embedding_backend": "openvino-int8"})
    with pytest.raises(IndexMismatchError) as info:
        open_indexes(other, embeddings=HashEmbeddings())
    msg = str(info.value)
    assert "backend torch" in msg and "backend openvino-int8" in msg and "cannot be searched" in msg
    assert "shiori ingest --rebuild" in msg
    # An incremental ingest does not mix vectors of two backends either (only a chunker change is adopted).
    with pytest.raises(IndexMismatchError, match="backend"):
        ingest(None, other, embeddings=HashEmbeddings(), progress=False)
    report = ingest(None, other, embeddings=HashEmbeddings(), rebuild=True, progress=False)
    assert report.rebuilt and report.chunks_total == report.vectors_total
    open_indexes(other, embeddings=HashEmbeddings())  # now it matches


def test_indexes_from_before_the_backend_was_recorded_are_torch(settings: Settings) -> None:
    ingest(None, settings, embeddings=HashEmbeddings(), progress=False)
    dense = DenseIndex(settings, HashEmbeddings(), chunker_version=CHUNKER_VERSION)
    old = {k: v for k, v in dense.collection.metadata.items() if k != "embedding_backend"}
    dense.collection.modify(metadata=old)
    assert IndexManifest.from_metadata(old).embedding_backend == "torch"
    open_indexes(settings, embeddings=HashEmbeddings())  # still opens with the default backend
    with pytest.raises(IndexMismatchError, match="backend torch"):
        open_indexes(settings.model_copy(update={"embedding_backend": "openvino"}), embeddings=HashEmbeddings())


def test_make_run_re_embeds_an_index_of_another_backend(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from ui import cli

    ingest(None, settings, embeddings=HashEmbeddings(), progress=False)  # torch
    other = settings.model_copy(update={"embedding_backend": "openvino"})
    monkeypatch.setattr(cli, "get_settings", lambda: other)
    monkeypatch.setattr("ingest.embeddings.load_embeddings", lambda s: HashEmbeddings())
    result = CliRunner().invoke(cli.app, ["ingest", "--if-needed"])  # what `make run` does
    assert result.exit_code == 0, result.output
    assert "embedded by" in result.output and "re-embedding every document" in result.output
    open_indexes(other, embeddings=HashEmbeddings())  # the index now matches the settings
    result = CliRunner().invoke(cli.app, ["ingest", "--if-needed"])
    assert "up to date" in result.output
