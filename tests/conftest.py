"""Shared fixtures: a fake-embedded index for fast tests, one real-model index per session for slow ones."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from shiori.settings import PROJECT_ROOT, Settings
from tests.fakes import HashEmbeddings

CORPUS = PROJECT_ROOT / "corpus"


def models_ready() -> bool:
    """Whether the pinned models are assembled (they are in CI: the set-up fetches them)."""
    from shiori.models import status

    return all(r.ok for r in status(Settings()))


@pytest.fixture
def fake_settings(tmp_path: Path) -> Settings:
    """Settings with a temporary corpus copy and index, and a placeholder model folder."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    model = tmp_path / "models" / "fake-model"
    model.mkdir(parents=True)
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedding_model_path=model,
                    cache_dir=tmp_path / "cache")


@pytest.fixture
def fake_embeddings() -> HashEmbeddings:
    """Fast lexical stand-in for EmbeddingGemma."""
    return HashEmbeddings()


@pytest.fixture
def fake_index(fake_settings: Settings, fake_embeddings: HashEmbeddings) -> Settings:
    """The corpus ingested with fake embeddings."""
    from ingest.pipeline import ingest

    ingest(None, fake_settings, embeddings=fake_embeddings, progress=False)
    return fake_settings


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The corpus ingested once per session with the real EmbeddingGemma (slow tests only)."""
    if not models_ready():
        if os.environ.get("CI"):
            pytest.fail("models are not assembled: `scripts/setup.sh` should have fetched them")
        pytest.skip("models not assembled; run `shiori models fetch`")
    from ingest.pipeline import ingest

    root = tmp_path_factory.mktemp("real")
    settings = Settings(index_dir=root / "index")
    ingest(None, settings, progress=False)
    return settings


@pytest.fixture(scope="session")
def real_service(real_settings: Settings):
    """One `Shiori` over the real index and models, shared by the slow tests."""
    from rag.service import Shiori

    return Shiori(real_settings)
