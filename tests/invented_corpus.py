"""A small invented corpus for the answer-pipeline unit tests (rag.series.catalog, rag.series.records, rag.series.sentences,
rag.find.evidence): documents written here, read and indexed the way ingest does, with fake embeddings.

Every name is invented (no word of the seed documents): the Japan–Freedonia Policy Dialogue in three
documents, two languages and two layouts; the Japan–Ruritania series (a pipe table holding two series,
and a prose history); the Japan–Osterlich Marine Forum (an English tab-separated table).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.pipeline import bm25_text, ingest, open_indexes
from ingest.records import read_document
from ingest.schema import Provenance, Record, SourceDocument
from ingest.sparse import SparseIndex
from ingest.splitter import attach_chunks, split_document
from ingest.store import ChunkStore
from ingest.translation import translate_document
from rag.series.catalog import Catalog
from shiori.settings import Settings
from tests.fakes import HashEmbeddings

FR_JA = "日・フリードニア政策対話"
FR_EN = "Japan–Freedonia Policy Dialogue"
RU_JA = "日・ルリタニア環境対話"
RU_EN = "Japan–Ruritania Environment Dialogue"  # the translator's rendering (stored in the glossary)
RU_WEEK = "日本・ルリタニア環境ウィーク"
OS_EN = "Japan–Osterlich Marine Forum"
OS_JA = "日本・オスターリッチ海洋フォーラム"  # the translator's rendering (stored in the glossary)


@dataclass(frozen=True)
class Doc:
    """One invented document: its file name, text and sidecar titles."""

    doc_id: str
    text: str
    title: str
    title_en: str | None = None


# The Freedonia table, in the block layout of flattened ministry pages; the 3rd and 4th met in one year.
FREEDONIA_TABLE = Doc("fr1_table", """日・フリードニア政策対話

環境省は、2012年より「日本・フリードニア政策対話」を実施しています。第10回日本・フリードニア政策対話に向けて準備を進めています。

開催年 開催地 会議概要
第1回
(2012年)
オストラヴァ 森林保全について意見交換を行い、両国の協力の方向性を確認した。
第1回 日本・フリードニア政策対話の結果について
第2回
(2014年)
札幌 廃棄物管理と循環経済について政策及び経験を共有した。
第2回 日本・フリードニア政策対話の結果について
第3回
(2016年)
オストラヴァ 海洋ごみ対策と森林保全の進展について議論した。
第3回 日本・フリードニア政策対話の結果について
第4回
(2016年)
オンライン 大気汚染対策について意見交換を行った。
第4回 日本・フリードニア政策対話の結果について
第5回
(2019年)
札幌 再生可能エネルギーの導入促進について協力を確認した。
第5回 日本・フリードニア政策対話の結果について
""", FR_JA, FR_EN)

# An English press release about the 6th meeting, announcing the 7th.
FREEDONIA_EN = Doc("fr3_en", """Results of the 6th Japan–Freedonia Policy Dialogue

The Ministry of the Environment of Japan and the Ministry of Ecology of Freedonia held the 6th Japan–Freedonia \
Policy Dialogue in Brno on May 14, 2021.
The two sides discussed forest conservation and marine litter ahead of COP31.
The 7th Japan–Freedonia Policy Dialogue will be held in Ostrava in 2023.
""", f"Results of the 6th {FR_EN}")

# The later Freedonia meetings as CSV, the series spelt "日本・…" instead of "日・…".
FREEDONIA_CSV = Doc("fr2_csv", """日本・フリードニア政策対話

回,開催年,開催地,会議概要
第7回,2023年,オストラヴァ,森林保全と生物多様性について意見交換を行った。
第8回,2024年,ブルノ,循環経済と再生可能エネルギーについて合意文書に署名した。
""", "日本・フリードニア政策対話")

# A pipe table holding two series: the dialogue, and a week whose row names itself in a link line.
RURITANIA_TABLE = Doc("ru1_table", """日・ルリタニア環境対話

| 開催年 | 開催地 | 会議概要 |
|---|---|---|
| 第1回 (2015年) | ゼンダ | 大気汚染対策について意見交換を行った。 |
| 第2回 (2017年) | 札幌 | 海洋ごみ対策について協力を確認した。 |
| 第1回 (2018年) | ゼンダ | 環境技術の展示会とセミナーを開催した。 |
第1回日本・ルリタニア環境ウィークの結果について
| 第3回 (2020年) | オンライン | 気候変動適応について議論した。 |
""", RU_JA)

# A prose history of the Ruritania dialogue: meetings told in sentences (mentions), one announced.
RURITANIA_HISTORY = Doc("ru2_history", """日本・ルリタニア環境対話のあゆみ

第1回日本・ルリタニア環境対話は2015年にゼンダで開催された。第2回日本・ルリタニア環境対話は2017年に札幌で開催され、\
海洋ごみ対策が議論された。第4回日本・ルリタニア環境対話は2025年に札幌で開催される予定である。
""", "日本・ルリタニア環境対話")

# An English table, tab-separated, with a number column and full dates.
OSTERLICH_TSV = Doc("os_tsv", "Japan–Osterlich Marine Forum\n\nNo.\tDate\tVenue\tSummary\n"
                    "1\t3 March 2011\tVienna\tThe two sides reviewed cooperation on marine protected areas.\n"
                    "2\t9 October 2013\tSapporo\tThe two sides agreed on a joint plan on coastal wetlands.\n"
                    "3\t21 June 2016\tSalzburg\tExperts exchanged views on fisheries and marine litter.\n", OS_EN)

CORPUS = (FREEDONIA_TABLE, FREEDONIA_EN, FREEDONIA_CSV, RURITANIA_TABLE, RURITANIA_HISTORY, OSTERLICH_TSV)


class DictTranslator:
    """Stands in for the LLM name translator: fixed renderings (ingest still checks each by sound)."""

    RENDERINGS = {("日・ルリタニア環境対話", "en"): RU_EN, (OS_EN, "ja"): OS_JA}

    def translate_names(self, names: Sequence[str], target: str) -> dict[str, str]:
        """name -> its rendering, for the names this translator knows."""
        return {n: self.RENDERINGS[(n, target)] for n in names if (n, target) in self.RENDERINGS}


def source_document(d: Doc) -> SourceDocument:
    """The document as the loader would give it (title from a sidecar)."""
    return SourceDocument(d.doc_id, f"{d.doc_id}.txt", d.text, Provenance(title=d.title, title_en=d.title_en),
                          "0" * 64)


def write_corpus(folder: Path, docs: Sequence[Doc] = CORPUS) -> Path:
    """The documents as files with provenance sidecars."""
    folder.mkdir(parents=True, exist_ok=True)
    for d in docs:
        (folder / f"{d.doc_id}.txt").write_text(d.text, encoding="utf-8")
        meta = {"title": d.title, **({"title_en": d.title_en} if d.title_en else {})}
        (folder / f"{d.doc_id}.meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return folder


def index_corpus(root: Path, docs: Sequence[Doc] = CORPUS) -> Settings:
    """The documents ingested (fake embeddings, dictionary translator) into an index under `root`."""
    model = root / "models" / "fake-model"
    model.mkdir(parents=True, exist_ok=True)
    settings = Settings(corpus_dir=write_corpus(root / "corpus", docs), index_dir=root / "index",
                        embedding_model_path=model, cache_dir=root / "cache")
    ingest(None, settings, embeddings=HashEmbeddings(), translator=DictTranslator(), progress=False)
    return settings


def page_service(root: Path, pages: dict[str, str]):
    """A Shiori over plain text pages (file name → text) ingested as a user would drop them in (fake embeddings, no
    translator), with a model that finds nothing: what code alone answers and judges."""
    from rag.service import Shiori
    from tests.fakes import ScriptedChatModel

    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in pages.items():
        (corpus / name).write_text(text, encoding="utf-8")
    (root / "models" / "fake").mkdir(parents=True)
    settings = Settings(corpus_dir=corpus, index_dir=root / "index", embedding_model_path=root / "models" / "fake",
                        cache_dir=root / "cache")
    embeddings = HashEmbeddings()
    ingest(None, settings, embeddings=embeddings, progress=False)
    return Shiori(settings, embeddings=embeddings, llm=ScriptedChatModel(reply="NOT FOUND", prompts=[]))


def open_catalog(settings: Settings) -> tuple[Catalog, ChunkStore, SparseIndex]:
    """The catalog of an index as the answer chain builds it (its `has_token` is the BM25 vocabulary's)."""
    idx = open_indexes(settings, embeddings=HashEmbeddings())
    return Catalog(idx.store, idx.sparse.has_token), idx.store, idx.sparse


def store_catalog(folder: Path, docs: Sequence[Doc], translator=None) -> Catalog:
    """A catalog over a store of these documents only (no Chroma): records, subjects, names as ingest
    stores them; `has_token` from a BM25 index over their chunks."""
    store = ChunkStore(folder)
    chunks_all = []
    for d in docs:
        doc = source_document(d)
        model = read_document(doc)
        chunks = split_document(doc, 400, model)
        translated = translate_document(doc, model, translator)
        store.upsert_document(doc, chunks, chunker_version="test", source_root=str(folder),
                              records=attach_chunks(model.records, chunks), subject=translated.subject,
                              glossary=translated.glossary, names=translated.names)
        chunks_all += chunks
    sparse = SparseIndex.build([c.chunk_id for c in chunks_all], [bm25_text(c) for c in chunks_all])
    return Catalog(store, sparse.has_token)


def by_number(records: Sequence[Record]) -> list[int | None]:
    """The meeting numbers of records, in their order."""
    return [r.number for r in records]
