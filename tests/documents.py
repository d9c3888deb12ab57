"""The seed documents and the extra real pages (tests/data/extra_corpus), loaded once per test session."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ingest.loaders import load_document
from ingest.records import DocumentModel, read_document
from ingest.schema import Provenance, SourceDocument

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus"
EXTRA = Path(__file__).resolve().parent / "data" / "extra_corpus"  # copies of ../shared/extra-corpus

VIETNAM = SEEDS / "000_8985a77eb798b76a.txt"
SAKAI = SEEDS / "002_926e63bc45885766.txt"
MONGOLIA = SEEDS / "003_0055bfdbdfe2e4b0.txt"
INDONESIA = EXTRA / "env_japan_indonesia_dialogue_ja.txt"
SINGAPORE_JA = EXTRA / "env_japan_singapore_dialogue_ja.txt"
SINGAPORE_EN = EXTRA / "env_japan_singapore_7th_dialogue_en.txt"
KITAKYUSHU = EXTRA / "kitakyushu_surabaya_ja.txt"
TEMM = EXTRA / "tcs_temm19_suwon_en.txt"


@cache
def doc(path: Path) -> SourceDocument:
    """A corpus file loaded with its sidecar."""
    return load_document(path)


@cache
def model(path: Path) -> DocumentModel:
    """The document model of a corpus file."""
    return read_document(doc(path))


def text_doc(text: str, title: str = "テスト対話", title_from: str = "sidecar", doc_id: str = "t") -> SourceDocument:
    """A document made from a string (title as a sidecar would give it, unless `title_from` says otherwise)."""
    return SourceDocument(doc_id, f"{doc_id}.txt", text, Provenance(title=title, title_from=title_from), "0" * 64)

# A question the model takes part in answering: its answer is a Japanese passage (the 10th meeting's summary),
# rendered in English for the English asker. Tests of model failures ask it.
NEEDS_MODEL_EN = "What was discussed at the 10th Japan–Mongolia Environmental Policy Dialogue?"
NEEDS_MODEL_EVIDENCE = "水銀管理"  # in that summary: shown (in Japanese) when the model cannot render it
