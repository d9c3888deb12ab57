"""Metamorphic tests: every seed table rendered in another layout (evals/variants.py) reads as the same
records — number, year/month, place, series, summary, and the link/caption lines where the layout keeps
them. The code reading the tables knows no word of the seeds, so a layout it reads for one document it
must read for all."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.variants import LAYOUTS, main, render_document, squash, write_variant
from ingest.loaders import load_document
from ingest.names import same_series
from ingest.records import DocumentModel, read_document
from ingest.schema import Record
from tests.documents import MONGOLIA, SAKAI, VIETNAM, doc, model

TABLE_DOCS = {"vietnam": VIETNAM, "mongolia": MONGOLIA}
REQUIRED = {"markdown", "html", "csv", "csv_block", "one_line", "pipe_split", "spaces", "tabs", "no_sidecar"}
# The reader each layout must go through (so the variants test different code, not one path nine times).
READ_AS = {"markdown": "pipe", "html": "pipe", "csv": "csv", "csv_block": "csv", "one_line": "block",
           "pipe_split": "pipe", "spaces": "spaces", "tabs": "tab", "no_sidecar": "block"}
# A CSV row has no place for the link and photo-caption lines under a row: those layouts drop them, and
# with them the series a row's own link names (the 2nd 環境ウィーク row is then the page's dialogue).
DROPS_NOTES = {"csv", "csv_block"}


def _variant_model(path: Path, layout: str, tmp_path: Path) -> tuple[DocumentModel, str]:
    variant = render_document(doc(path), layout)
    written = write_variant(variant, tmp_path / layout)
    loaded = load_document(written)
    return read_document(loaded), loaded.text


def _table_records(m: DocumentModel) -> list[Record]:
    return [r for r in m.records if r.source == "table"]


def _ym(r: Record) -> tuple[int | None, int | None] | None:
    return (r.date.year, r.date.month) if r.date else None


def test_layouts_cover_the_required_set() -> None:
    assert set(LAYOUTS) >= REQUIRED
    assert {layout for layout, (_, _, keeps) in LAYOUTS.items() if not keeps} == DROPS_NOTES


@pytest.mark.parametrize("layout", sorted(REQUIRED))
@pytest.mark.parametrize("name", sorted(TABLE_DOCS))
def test_variant_reads_the_same_records(name: str, layout: str, tmp_path: Path) -> None:
    path = TABLE_DOCS[name]
    original = model(path)
    got, text = _variant_model(path, layout, tmp_path)
    assert [t.layout for t in got.tables] == [READ_AS[layout]]
    before, after = _table_records(original), _table_records(got)
    assert len(after) == len(before)
    for b, a in zip(before, after, strict=True):
        where = f"row {b.number} ({b.date.ja() if b.date else '-'})"
        assert a.number == b.number, where
        assert _ym(a) == _ym(b), where
        assert squash(a.place) == squash(b.place), where
        assert squash(a.summary) == squash(b.summary), where
        # The record's span in the variant's own text holds its summary (offsets stay true).
        assert squash(a.summary) in squash(text[a.start:a.end]).replace("|", ""), where
        if layout in DROPS_NOTES:
            assert a.notes == (), where
            expected_series = original.subject.name
        else:
            assert [squash(n.value) for n in a.notes] == [squash(n.value) for n in b.notes], where
            expected_series = b.series
        if layout == "no_sidecar":
            assert same_series(a.series, expected_series), where  # the title is read from the text
        else:
            assert a.series == expected_series, where


@pytest.mark.parametrize("layout", sorted(REQUIRED))
@pytest.mark.parametrize("name", sorted(TABLE_DOCS))
def test_variant_keeps_the_subject(name: str, layout: str, tmp_path: Path) -> None:
    original = model(TABLE_DOCS[name]).subject
    got, _ = _variant_model(TABLE_DOCS[name], layout, tmp_path)
    # Without a sidecar the title comes from the page heading (html: its <title>), not the breadcrumb line
    # ("国別・地域別協力") above it.
    assert got.subject.name == original.name
    assert got.subject.name != "国別・地域別協力"


def test_no_sidecar_variant_is_the_original_text_without_its_sidecar(tmp_path: Path) -> None:
    variant = render_document(doc(VIETNAM), "no_sidecar")
    assert variant.text == doc(VIETNAM).text and variant.sidecar is None
    written = write_variant(variant, tmp_path)
    assert load_document(written).provenance.title_from == "text"


def test_html_variant_takes_its_title_from_the_title_element(tmp_path: Path) -> None:
    variant = render_document(doc(MONGOLIA), "html")
    assert variant.name.endswith(".html") and variant.sidecar is None
    assert "<title>日・モンゴル環境政策対話</title>" in variant.text
    assert "<th>第6回<br>(2011年)</th><td>南ゴビ県<br>ダランザドガド</td>" in variant.text
    loaded = load_document(write_variant(variant, tmp_path))
    assert (loaded.provenance.title, loaded.provenance.title_from) == ("日・モンゴル環境政策対話", "html")


def test_text_around_the_table_is_kept() -> None:
    original = doc(VIETNAM).text
    intro = original[: original.index("開催年")]
    for layout in sorted(REQUIRED - {"html"}):
        assert render_document(doc(VIETNAM), layout).text.startswith(intro), layout


def test_one_line_layout_writes_a_row_per_line() -> None:
    lines = render_document(doc(VIETNAM), "one_line").text.split("\n")
    assert "第1回 (2014年) ハノイ 二国間クレジット制度(JCM)の進捗状況を含めた気候変動対策について" in "\n".join(lines)
    assert lines[lines.index("開催年 開催地 会議概要") + 2] == "第1回 日本・ベトナム環境政策対話の結果について"


def test_pipe_split_layout_puts_the_row_header_on_its_own_line() -> None:
    text = render_document(doc(MONGOLIA), "pipe_split").text
    assert "開催年 | 開催地 | 会議概要 |\n---|---|---|\n第1回 (2007年) |\n東京 | 日本及びモンゴルの" in text
    assert "\n第1回 日本・モンゴル環境政策対話の結果について | ||\n" in text


def test_document_without_table_is_written_unchanged() -> None:
    variant = render_document(doc(SAKAI), "csv")
    assert variant.text == doc(SAKAI).text and variant.name == SAKAI.name


def test_cli_writes_one_corpus_per_layout_deterministically(tmp_path: Path, capsys) -> None:
    assert main(["--out", str(tmp_path / "a"), "--layout", "markdown", "--layout", "html", "--check"]) == 0
    assert main(["--out", str(tmp_path / "b"), "--layout", "markdown", "--layout", "html"]) == 0
    out = capsys.readouterr().out
    assert "all variants read the same records" in out
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert files_a == files_b
    assert [str(p) for p in files_a] == [
        "html/000_8985a77eb798b76a.html", "html/002_926e63bc45885766.html", "html/003_0055bfdbdfe2e4b0.html",
        "markdown/000_8985a77eb798b76a.md", "markdown/000_8985a77eb798b76a.meta.json",
        "markdown/002_926e63bc45885766.meta.json", "markdown/002_926e63bc45885766.txt",
        "markdown/003_0055bfdbdfe2e4b0.md", "markdown/003_0055bfdbdfe2e4b0.meta.json"]
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()


@pytest.mark.parametrize("layout", sorted(REQUIRED))
def test_variant_gives_the_same_row_chunks(layout: str, tmp_path: Path) -> None:
    from ingest.splitter import split_document

    def rows(chunks) -> list[tuple]:
        return [(c.meeting_number, c.year, c.month, squash(c.venue)) for c in chunks if c.kind == "row"]

    for path in TABLE_DOCS.values():
        before = split_document(doc(path))
        loaded = load_document(write_variant(render_document(doc(path), layout), tmp_path / layout))
        after = split_document(loaded)
        assert rows(after) == rows(before)
        # No row's text leaks into a prose chunk (a row swallowed as text would be found twice).
        prose = squash(" ".join(c.text for c in after if c.kind == "text"))
        assert not [c for c in after if c.kind == "row" and squash(c.text)[-20:] in prose]
