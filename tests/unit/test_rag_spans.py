"""rag.find.spans: a cited span (document offsets) turned into the passage a citation opens."""

from __future__ import annotations

import pytest

from ingest.schema import Chunk, Provenance, SourceDocument
from ingest.store import ChunkStore
from rag.find.spans import SpanLocator

TEXT = ("オストラバ市とフリードニア環境省の協力について\n"
        "1. 日時 2019年11月5日\n"
        "2. 会場 オストラバ市庁舎\n"
        "3. 概要 両者は廃棄物の分別について意見を交換した。\n"
        "4. 今後 次回はブルノで開催する予定である。\n")


def _chunk(doc_id: str, cid: str, start: int, end: int, section: str | None = None) -> Chunk:
    text = TEXT[start:end]
    return Chunk(chunk_id=cid, doc_id=doc_id, text=text, start=start, end=end, index_text=text, embed_text=text,
                 title="協力について", section=section)


def _at(line: int) -> tuple[int, int]:
    """Offsets of one line of TEXT (without its newline)."""
    lines = TEXT.split("\n")
    start = sum(len(x) + 1 for x in lines[:line])
    return start, start + len(lines[line])


@pytest.fixture
def store(tmp_path):
    s = ChunkStore(tmp_path / "index")
    doc = SourceDocument(doc_id="D", path="d.txt", text=TEXT, provenance=Provenance(title="協力について"),
                         content_hash="h")
    head_end = _at(2)[1]
    chunks = [
        _chunk("D", "D:0", 0, head_end, section="案内"),  # title, date and venue
        _chunk("D", "D:1", _at(1)[0], _at(1)[1], section="案内 / 日時"),  # a smaller chunk inside the first
        _chunk("D", "D:2", _at(3)[0], _at(3)[1], section="概要"),
        # line 4 is in no chunk
    ]
    s.upsert_document(doc, chunks, chunker_version="test")
    yield s
    s.close()


def test_a_span_inside_a_chunk_opens_the_smallest_chunk_holding_it(store):
    start = TEXT.index("2019年11月5日")
    p = SpanLocator(store).passage("D", start, start + len("2019年11月5日"))
    assert p.chunk_id == "D:1" and p.section == "案内 / 日時"
    assert p.text == TEXT[p.start:p.end] == "1. 日時 2019年11月5日"
    assert p.score == 1.0


def test_a_span_only_the_larger_chunk_holds(store):
    start = TEXT.index("オストラバ市庁舎")
    p = SpanLocator(store).passage("D", start, start + len("オストラバ市庁舎"))
    assert p.chunk_id == "D:0" and p.start == 0 and p.text == TEXT[: _at(2)[1]]


def test_a_span_across_chunks_opens_one_passage_over_them(store):
    start = TEXT.index("オストラバ市庁舎")
    end = TEXT.index("分別") + 2
    p = SpanLocator(store).passage("D", start, end)
    assert p.chunk_id == "D:0+D:2"  # the date line is before the span
    assert (p.start, p.end) == (0, _at(3)[1])
    assert p.text == TEXT[p.start:p.end] and TEXT[start:end] in p.text
    assert p.title == "協力について" and p.section == "案内"  # the first chunk's


def test_a_span_no_chunk_holds_opens_the_document_text_itself(store):
    start, end = _at(4)
    p = SpanLocator(store).passage("D", start, end)
    assert p.chunk_id == f"D:{start}-{end}"
    assert p.text == TEXT[start:end] == "4. 今後 次回はブルノで開催する予定である。"
    assert p.doc_id == "D" and p.title == "協力について"


def test_a_span_reaching_past_a_chunk_keeps_the_chunk_and_the_rest(store):
    start = TEXT.index("分別")
    end = _at(4)[1]
    p = SpanLocator(store).passage("D", start, end)
    assert p.chunk_id == "D:2"
    assert (p.start, p.end) == (_at(3)[0], end) and p.text == TEXT[p.start:p.end]


def test_chunks_and_text_of_a_document_are_read_once(store):
    calls = {"chunks": 0, "document": 0}

    class Counting:
        def chunks(self, doc_id):
            calls["chunks"] += 1
            return store.chunks(doc_id)

        def document(self, doc_id):
            calls["document"] += 1
            return store.document(doc_id)

    locator = SpanLocator(Counting())
    for line in (1, 3, 4, 4):
        locator.passage("D", *_at(line))
    assert calls == {"chunks": 1, "document": 1}
