"""split_document(): meeting rows, sentence-safe packing, exact offsets (with a Hypothesis fuzz test)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.cleaner import is_boilerplate_line
from ingest.loaders import load_document
from ingest.schema import Chunk, Provenance, SourceDocument
from ingest.splitter import CHUNKER_VERSION, contextualize, split_document

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
VIETNAM = CORPUS / "000_8985a77eb798b76a.txt"
SAKAI = CORPUS / "002_926e63bc45885766.txt"
MONGOLIA = CORPUS / "003_0055bfdbdfe2e4b0.txt"
SENTENCE_END = "。！？!?"
CLOSERS = "」』）)]】〕\"'”’"


def _doc(text: str, title: str = "テスト文書") -> SourceDocument:
    return SourceDocument(
        doc_id="t", path="t.txt", text=text, provenance=Provenance(title=title), content_hash="0" * 64
    )


def _rows(chunks: list[Chunk]) -> list[Chunk]:
    return [c for c in chunks if c.kind == "row"]


def assert_invariants(doc: SourceDocument, chunks: list[Chunk]) -> None:
    """Offsets are exact, chunks are ordered and disjoint, and no content character is lost."""
    covered = bytearray(len(doc.text))
    prev_end = 0
    for c in chunks:
        assert doc.text[c.start : c.end] == c.text
        assert c.text and c.text == c.text.strip()
        assert c.start >= prev_end
        prev_end = c.end
        covered[c.start : c.end] = b"\x01" * (c.end - c.start)
    pos = 0
    for line in doc.text.split("\n"):
        if not is_boilerplate_line(line):
            for k, ch in enumerate(line):
                assert ch.isspace() or covered[pos + k], f"lost {ch!r} at {pos + k} in line {line!r}"
        pos += len(line) + 1


def is_single_sentence(text: str) -> bool:
    return "\n" not in text and not re.search(rf"[{SENTENCE_END}]+[{CLOSERS}]*+(?=.)", text, re.S)


def ends_at_boundary(doc: SourceDocument, c: Chunk) -> bool:
    return c.text[-1] in SENTENCE_END + CLOSERS or bool(re.match(r"[ \t\u3000]*(\n|$)", doc.text[c.end :]))


@pytest.fixture(scope="module")
def corpus() -> dict[str, SourceDocument]:
    return {p.stem[:3]: load_document(p) for p in (VIETNAM, SAKAI, MONGOLIA)}


# --- the corpus -----------------------------------------------------------------------------------


@pytest.mark.parametrize("max_chars", [200, 300, 400, 600])
@pytest.mark.parametrize("key", ["000", "002", "003"])
def test_corpus_invariants(corpus: dict[str, SourceDocument], key: str, max_chars: int) -> None:
    doc = corpus[key]
    chunks = split_document(doc, max_chars)
    assert_invariants(doc, chunks)
    for c in chunks:
        assert ends_at_boundary(doc, c), c.text[-20:]
        if c.kind == "text":
            assert len(c.text) <= max_chars or is_single_sentence(c.text), c.text
        assert "共通ナビゲーション" not in c.index_text
        assert not {"TOP", "photo"} & set(c.index_text.split())
        assert c.title == doc.provenance.title
        assert c.embed_text.startswith(doc.provenance.title)
        assert re.fullmatch(rf"{doc.doc_id}:\d{{4}}:[0-9a-f]{{8}}", c.chunk_id)
    assert [c.chunk_id for c in chunks] == [c.chunk_id for c in split_document(doc, max_chars)]
    assert len({c.chunk_id for c in chunks}) == len(chunks)


def test_mongolia_rows(corpus: dict[str, SourceDocument]) -> None:
    rows = _rows(split_document(corpus["003"]))
    assert len(rows) == 15
    assert [r.meeting_number for r in rows] == list(range(1, 16))
    assert [r.year for r in rows] == [
        2007,
        2007,
        2008,
        2009,
        2011,
        2011,
        2012,
        2013,
        2015,
        2016,
        2017,
        2018,
        2020,
        2021,
        2023,
    ]
    tenth = rows[9]
    assert (tenth.year, tenth.venue) == (2016, "ウランバートル")
    assert "JCM" in tenth.text and "第10回日本・モンゴル環境政策対話の結果について" in tenth.text
    assert tenth.embed_text.startswith("日・モンゴル環境政策対話: 第10回 (2016年) ウランバートル ")
    assert rows[5].venue == "南ゴビ県ダランザドガド"
    assert "※本覚書については" in rows[5].text
    assert (rows[13].year, rows[13].month) == (2021, 12)
    assert [r.venue for r in rows[:4]] == ["東京", "ウランバートル", "東京", "ウランバートル"]
    assert all(
        r.dialogue == "日・モンゴル環境政策対話" for r in rows
    )  # "日モンゴル…" spelling is the same event
    assert all(r.section == "開催年 開催地 会議概要" for r in rows)


def test_vietnam_rows(corpus: dict[str, SourceDocument]) -> None:
    rows = _rows(split_document(corpus["000"]))
    assert [r.meeting_number for r in rows] == [1, 2, 3, 4, 5, 6, 7, 2, None, 8]
    assert [r.year for r in rows] == [2014, 2015, 2016, 2018, 2019, 2020, 2021, 2021, 2023, 2024]
    assert [r.venue for r in rows[:7]] == [
        "ハノイ",
        "東京",
        "ハノイ",
        "東京",
        "ハノイ",
        "ウェブ開催",
        "オンライン",
    ]
    assert "鬼木政務官とホア副大臣" in rows[1].text and "参加者集合写真" in rows[1].text  # photo captions
    assert "Joint Cooperation Plan" in rows[6].text  # link lines after blank lines stay with their row
    week = rows[7]
    assert week.dialogue == "日本・ベトナム環境ウィーク"
    assert week.text.startswith("第2回\n(2021年)") and "環境ウィークの結果について" in week.text
    assert "日本・ベトナム環境ウィーク" in week.embed_text
    no_number = rows[8]
    assert no_number.text.startswith("2023年 ハノイ") and no_number.meeting_number is None
    assert no_number.venue == "ハノイ(対面)とオンラインのハイブリッド方式"
    assert rows[4].dialogue == "日・ベトナム環境政策対話"  # a link without 第N回 names no other event
    assert rows[9].dialogue == "日・ベトナム環境政策対話"


def test_sakai_sections(corpus: dict[str, SourceDocument]) -> None:
    doc = corpus["002"]
    chunks = split_document(doc)
    assert not _rows(chunks)
    sections = {c.section for c in chunks}
    assert {"1 覚書", "2 締結式", "6 参考 / (1) ベトナム社会主義共和国バリアンタウ省"} <= sections
    assert any("令和5年12月6日" in c.index_text for c in chunks)
    memo = next(c for c in chunks if c.section == "1 覚書")
    assert memo.text.startswith("1 覚書") and memo.embed_text.startswith(f"{doc.provenance.title} / 1 覚書: ")
    assert not any(c.index_text.startswith("----") or c.text.endswith("---") for c in chunks)


def test_chunker_version() -> None:
    assert CHUNKER_VERSION == "records-v13"


# --- synthetic documents --------------------------------------------------------------------------


def test_long_paragraph_split_at_sentences() -> None:
    sentence = "これは文です。"
    doc = _doc("見出し\n\n" + sentence * 30 + "\n\n" + "とても長い一文" * 20 + "。")
    chunks = split_document(doc, max_chars=50)
    assert_invariants(doc, chunks)
    for c in chunks:
        assert len(c.text) <= 50 or is_single_sentence(c.text)
        assert ends_at_boundary(doc, c)
    assert chunks[-1].text == "とても長い一文" * 20 + "。"
    assert chunks[0].text.startswith("見出し") and chunks[0].section == "見出し"


def test_year_row_needs_a_table() -> None:
    doc = _doc(
        "2023年 ハノイで会議が開かれた。\n\n開催年 開催地 会議概要\n2023年 ハノイ 会議を開催した。\n"
        "2024年 東京 次の会議を開催した。\n\nまとめの文章です。"
    )
    chunks = split_document(doc)
    assert_invariants(doc, chunks)
    rows = _rows(chunks)
    assert [(r.year, r.venue) for r in rows] == [(2023, "ハノイ"), (2024, "東京")]
    assert chunks[-1].kind == "text" and chunks[-1].text == "まとめの文章です。"


def test_boilerplate_trimmed_from_edges() -> None:
    doc = _doc("共通ナビゲーションを飛ばす\nTOP\n\n本文です。\nphoto\n写真の説明\n\nページの先頭へ\n----")
    chunks = split_document(doc)
    assert_invariants(doc, chunks)
    assert chunks[0].text.startswith("本文です。") and chunks[-1].text.endswith("写真の説明")
    assert all("photo" not in c.index_text for c in chunks)


def test_contextualize_formats() -> None:
    row = {
        "kind": "row",
        "title": "T",
        "meeting_number": 3,
        "year": 2016,
        "month": None,
        "venue": "ハノイ",
        "index_text": "本文",
        "dialogue": "T",
    }
    assert contextualize(row) == "T: 第3回 (2016年) ハノイ 本文"
    assert (
        contextualize({"kind": "text", "title": "T", "section": "1 覚書", "index_text": "本文"})
        == "T / 1 覚書: 本文"
    )
    assert contextualize({"kind": "text", "title": "T", "index_text": "本文"}) == "T: 本文"


@pytest.mark.parametrize(
    "text", ["", "\n\n", "TOP\nphoto\n----", "第1回", "第1回\n(2016年)", "(2016年)\n第1回"]
)
def test_degenerate_documents(text: str) -> None:
    doc = _doc(text)
    assert_invariants(doc, split_document(doc))


# --- fuzz -----------------------------------------------------------------------------------------

_FRAGMENTS = st.sampled_from(
    [
        "第1回",
        "第 12 回",
        "第１０回",
        "(2016年)",
        "（2021年12月）",
        "（２０１４年）",
        "2023年 ハノイ 会議を開いた。",
        "開催年 開催地 会議概要",
        "東京 意見交換が行われた。",
        "南ゴビ県",
        "ダランザドガド",
        "photo",
        "TOP",
        "----",
        "共通ナビゲーションを飛ばす",
        "第2回日本・ベトナム環境ウィークの結果について",
        "1 覚書",
        "(1) 名 称",
        "",
        " ",
        "　",
        "。",
        "!?",
        "※注記です。",
        "# 見出し",
        "Mr. Nguyen Cong Vinh",
        "令和 5 年 12 月 6 日",
    ]
)
_FREE = st.text(alphabet="あい漢字カナABC xyz0123４５ 　。！？!?()（）第回年月-・※\t", max_size=60)
_DOCS = st.lists(st.one_of(_FRAGMENTS, _FREE), max_size=40).map("\n".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_DOCS, max_chars=st.integers(min_value=1, max_value=120))
def test_fuzz_offsets_and_coverage(text: str, max_chars: int) -> None:
    doc = _doc(text)
    chunks = split_document(doc, max_chars)
    assert_invariants(doc, chunks)
    for c in chunks:
        assert ends_at_boundary(doc, c)
        if c.kind == "text":
            assert len(c.text) <= max_chars or is_single_sentence(c.text)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=300), max_chars=st.integers(min_value=1, max_value=500))
def test_fuzz_arbitrary_unicode(text: str, max_chars: int) -> None:
    doc = _doc(text.replace("\r", "\n"))
    assert_invariants(doc, split_document(doc, max_chars))


def test_html_table_rows(tmp_path: Path) -> None:
    html = (
        "<html><head><title>日・モンゴル環境政策対話</title></head><body><table>"
        "<tr><th>開催年</th><th>開催地</th><th>会議概要</th></tr>"
        "<tr><td>第1回<br>(2007年)</td><td>東京</td><td>意見交換が行われた。<br>"
        "<a href='x'>第1回 日本・モンゴル環境政策対話の結果について</a></td></tr>"
        "<tr><td>第2回<br>（2008年12月）</td><td>ウランバートル</td><td>協力について合意した。</td></tr>"
        "</table><p>以上です。</p></body></html>"
    )
    path = tmp_path / "table.html"
    path.write_text(html, encoding="utf-8")
    doc = load_document(path)
    chunks = split_document(doc)
    assert_invariants(doc, chunks)
    rows = _rows(chunks)
    assert [(r.meeting_number, r.year, r.month, r.venue) for r in rows] == [
        (1, 2007, None, "東京"),
        (2, 2008, 12, "ウランバートル"),
    ]
    assert "結果について" in rows[0].text and rows[0].section == "開催年 開催地 会議概要"
    assert chunks[-1].text == "以上です。"


def test_a_number_with_one_dash_is_content_not_a_page_number():
    # Found by the fuzz test above: "0-" was dropped as a page number ("－ 7 －" is one, dashed both sides).
    doc = _doc("(2016年)\n0-\n令和 5 年 12 月 6 日")
    chunks = split_document(doc, 1)
    assert_invariants(doc, chunks)
