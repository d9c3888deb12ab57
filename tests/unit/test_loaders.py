"""Loading files into SourceDocument: encodings, HTML, PDF, provenance, discovery."""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path

import pytest

from ingest.loaders import LoadError, discover, load_document, safe_doc_id

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
JA = "日本・モンゴル環境政策対話\n\n環境省は、2007年より「日本・モンゴル環境政策対話」を実施しています。\n第10回\n（2016年）\n"


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def make_pdf(text: str | None, title: str | None = None) -> bytes:
    """A minimal one-page PDF with Helvetica text (xref offsets computed, so pypdf reads it strictly)."""
    content = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode("latin-1") if text else b""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (%s) >>" % (title or "").encode("latin-1"),
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    info = b" /Info 6 0 R" if title else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, info, xref)
    return out


# --- text encodings -------------------------------------------------------------------------------


def test_utf8(tmp_path: Path) -> None:
    doc = load_document(_write(tmp_path / "a.txt", JA.encode("utf-8")))
    assert doc.text == JA
    assert doc.encoding == "utf-8"


@pytest.mark.parametrize("encoding", ["cp932", "euc_jp"])
def test_japanese_legacy_encodings(tmp_path: Path, encoding: str) -> None:
    raw = (JA * 3).encode(encoding)
    doc = load_document(_write(tmp_path / "legacy.txt", raw))
    assert doc.text == JA * 3
    assert doc.encoding.replace("-", "_").lower() in {encoding, "shift_jis"}
    assert doc.content_hash == hashlib.sha256(raw).hexdigest()


def test_cp932_specific_characters(tmp_path: Path) -> None:
    text = "①番の会場は髙島屋です。～ＮＥＣ特殊文字～\n" * 3
    doc = load_document(_write(tmp_path / "sj.txt", text.encode("cp932")))
    assert doc.text == text


def test_utf8_bom_and_crlf(tmp_path: Path) -> None:
    doc = load_document(_write(tmp_path / "bom.md", b"\xef\xbb\xbf" + "第1回\r\n（2014年）\r東京".encode()))
    assert doc.text == "第1回\n（2014年）\n東京"
    assert not doc.text.startswith("\ufeff")
    assert doc.encoding == "utf-8-sig"


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="empty file") as err:
        load_document(_write(tmp_path / "empty.txt", b""))
    assert err.value.path.name == "empty.txt"
    assert err.value.reason == "empty file"


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, bytes(range(1, 32)) * 40],
)
def test_binary_renamed_txt(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(LoadError, match="not a text file"):
        load_document(_write(tmp_path / "image.txt", data))


def test_max_bytes(tmp_path: Path) -> None:
    path = _write(tmp_path / "big.txt", ("あ" * 100).encode())
    with pytest.raises(LoadError, match="100-byte limit"):
        load_document(path, max_bytes=100)
    assert load_document(path, max_bytes=1000).text == "あ" * 100


def test_unsupported_suffix(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="unsupported"):
        load_document(_write(tmp_path / "x.docx", b"PK\x03\x04"))


# --- HTML -----------------------------------------------------------------------------------------

HTML = """<!DOCTYPE html><html><head><meta charset="{charset}"><title>日・ベトナム環境政策対話 | 環境省</title>
<script>var secret = "SCRIPT_CONTENT";</script><style>.x {{ color: red }}</style></head>
<body><header>HEADER_TEXT</header><nav><ul><li>NAV_TEXT</li></ul></nav>
<h1>日・ベトナム環境政策対話</h1>
<p>環境省は、2014年より
  「<a href="/x">日本・ベトナム環境政策対話</a>」を実施しています。</p>
<!-- COMMENT_TEXT -->
<table><tr><th>開催年</th><th>開催地</th></tr><tr><td>第1回<br>(2014年)</td><td>ハノイ</td></tr></table>
<aside>ASIDE_TEXT</aside><footer>FOOTER_TEXT</footer></body></html>"""


@pytest.mark.parametrize(("charset", "encoding"), [("utf-8", "utf-8"), ("shift_jis", "cp932")])
def test_html_visible_text(tmp_path: Path, charset: str, encoding: str) -> None:
    path = _write(tmp_path / "page.html", HTML.format(charset=charset).encode(encoding))
    doc = load_document(path)
    for hidden in (
        "SCRIPT_CONTENT",
        "color",
        "HEADER_TEXT",
        "NAV_TEXT",
        "ASIDE_TEXT",
        "FOOTER_TEXT",
        "COMMENT_TEXT",
    ):
        assert hidden not in doc.text
    lines = doc.text.split("\n")
    assert "日・ベトナム環境政策対話" in lines
    assert "環境省は、2014年より「日本・ベトナム環境政策対話」を実施しています。" in lines  # inline kept
    # Table cells become pipe-separated columns (the table reader names them by the header row).
    # A line break inside a cell other than the row's last is a wrap: the row stays on its line.
    assert "開催年 | 開催地" in lines and "第1回 (2014年) | ハノイ" in lines
    assert doc.provenance.title == "日・ベトナム環境政策対話 | 環境省"


def test_html_declared_shift_jis_is_cp932(tmp_path: Path) -> None:
    html = '<html><head><meta charset="Shift_JIS"></head><body><p>①番会場　髙島屋</p></body></html>'
    doc = load_document(_write(tmp_path / "sj.html", html.encode("cp932")))
    assert doc.text == "①番会場　髙島屋"


def test_default_size_limit_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path / "big.txt", b"a" * (1024 * 1024 + 1))
    with pytest.raises(LoadError, match="larger than the 1 MB limit"):
        load_document(path, max_bytes=1024 * 1024)


ROW_HTML = """<html><head><title>t</title></head><body><table>
<tr><th>開催年</th><th>開催地</th><th>会議概要</th></tr>
<tr><th>第6回<br>(2011年)</th><td>南ゴビ県<br>ダランザドガド</td>
<td><p>意見交換を行った。</p><p>覚書に署名した。</p><p><a href="/r6">第6回 結果について</a></p></td></tr>
<tr><th>第7回<br>(2012年)</th><td>Ulaan<br>baatar</td><td><p>合意された。</p></td></tr>
</table></body></html>"""


def test_html_table_row_keeps_its_cells_on_its_lines(tmp_path: Path) -> None:
    # Regression: <p> inside a cell wrote blank lines into the row (the row ended at the venue), and a
    # <br> in a middle cell moved the next cells to another line (the venue's 2nd line read as the summary).
    from ingest.records import read_document

    doc = load_document(_write(tmp_path / "rows.html", ROW_HTML.encode()))
    assert [line for line in doc.text.split("\n") if line] == [
        "開催年 | 開催地 | 会議概要",
        "第6回 (2011年) | 南ゴビ県ダランザドガド | 意見交換を行った。",
        "覚書に署名した。",
        "第6回 結果について",
        "第7回 (2012年) | Ulaan baatar | 合意された。",
    ]
    records = read_document(doc).records
    assert [(r.number, r.place, r.summary, [n.value for n in r.notes]) for r in records] == [
        (6, "南ゴビ県ダランザドガド", "意見交換を行った。覚書に署名した。", ["第6回 結果について"]),
        (7, "Ulaan baatar", "合意された。", []),
    ]


def test_html_title_from_h1(tmp_path: Path) -> None:
    path = _write(tmp_path / "p.htm", "<html><body><h1>見出し</h1><p>本文。</p></body></html>".encode())
    assert load_document(path).provenance.title == "見出し"


# --- PDF ------------------------------------------------------------------------------------------


def test_pdf_text_and_title(tmp_path: Path) -> None:
    doc = load_document(_write(tmp_path / "r.pdf", make_pdf("Hello Shiori", title="Report 2023")))
    assert "Hello Shiori" in doc.text
    assert doc.provenance.title == "Report 2023"


def test_truncated_pdf(tmp_path: Path) -> None:
    raw = make_pdf("Hello Shiori")
    with pytest.raises(LoadError, match="corrupt or truncated"):
        load_document(_write(tmp_path / "t.pdf", raw[: len(raw) // 2]))


def test_garbage_pdf(tmp_path: Path) -> None:
    with pytest.raises(LoadError):
        load_document(_write(tmp_path / "g.pdf", b"%PDF-1.4\nthis is not a pdf\n%%EOF\n"))


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(LoadError, match="no text layer; OCR is not supported"):
        load_document(_write(tmp_path / "scan.pdf", buf.getvalue()))


# --- provenance, ids, discovery -------------------------------------------------------------------


def test_sidecar_provenance(tmp_path: Path) -> None:
    path = _write(tmp_path / "doc.txt", JA.encode())
    meta = {
        "title": "日・モンゴル",
        "title_en": "Japan–Mongolia",
        "publisher": "環境省",
        "kind": "web page",
        "language": "ja",
        "url": "https://example.org/x",
        "ignored": 1,
    }
    (tmp_path / "doc.meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    prov = load_document(path).provenance
    assert (prov.title, prov.title_en, prov.publisher, prov.kind, prov.language, prov.url) == (
        "日・モンゴル",
        "Japan–Mongolia",
        "環境省",
        "web page",
        "ja",
        "https://example.org/x",
    )


def test_bad_sidecar(tmp_path: Path) -> None:
    path = _write(tmp_path / "doc.txt", JA.encode())
    (tmp_path / "doc.meta.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(LoadError, match="sidecar"):
        load_document(path)


def test_title_from_text_skips_boilerplate(tmp_path: Path) -> None:
    text = (
        "共通ナビゲーションを飛ばす\nTOP\n\n" + "とても長い文章です。" * 10 + "\n日本・ベトナム環境政策対話\n"
    )
    assert (
        load_document(_write(tmp_path / "x.txt", text.encode())).provenance.title
        == "日本・ベトナム環境政策対話"
    )


def test_corpus_loads_with_sidecars() -> None:
    docs = [load_document(p) for p in discover([CORPUS])]
    assert [d.doc_id for d in docs] == [
        "000_8985a77eb798b76a",
        "002_926e63bc45885766",
        "003_0055bfdbdfe2e4b0",
    ]
    assert docs[2].provenance.title == "日・モンゴル環境政策対話"
    for d in docs:
        assert d.content_hash == hashlib.sha256(Path(d.path).read_bytes()).hexdigest()
        assert d.text == Path(d.path).read_text(encoding="utf-8")  # the original, unchanged


def test_safe_doc_id(tmp_path: Path) -> None:
    assert safe_doc_id("003_0055bfdbdfe2e4b0") == "003_0055bfdbdfe2e4b0"
    odd = safe_doc_id("日本 文書")
    assert re.fullmatch(r"[A-Za-z0-9_.-]+_[0-9a-f]{8}", odd)
    assert odd != safe_doc_id("日本_文書") and odd != safe_doc_id("韓国 文書")
    assert load_document(_write(tmp_path / "日本 文書.txt", JA.encode())).doc_id == odd


def test_discover(tmp_path: Path) -> None:
    for name in [
        "a.txt",
        "b.md",
        "c.html",
        "d.htm",
        "e.pdf",
        "f.docx",
        "_draft.txt",
        ".hidden.txt",
        "a.meta.json",
        "sub/g.txt",
        "sub/.h.txt",
        "_private/i.txt",
        ".git/j.txt",
        "sub/deep/k.md",
    ]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path, tmp_path / "a.txt"])]
    assert found == ["a.txt", "b.md", "c.html", "d.htm", "e.pdf", "sub/deep/k.md", "sub/g.txt"]
    with pytest.raises(LoadError):
        discover([tmp_path / "missing"])


def test_html_layout_table_around_a_data_table_keeps_the_inner_rows(tmp_path: Path) -> None:
    from ingest.tables import find_tables

    html = ("<html><body><table><tr><td><p>メニュー項目</p><p>お知らせ</p></td><td><h1>会議の記録</h1>"
            "<table><tr><th>開催年</th><th>開催地</th><th>会議概要</th></tr>"
            "<tr><td>第1回<br>(2014年)</td><td>ハノイ</td><td>意見交換を行った。</td></tr>"
            "<tr><td>第2回<br>(2015年)</td><td>東京</td><td>合意した。</td></tr></table></td></tr></table></body></html>")
    doc = load_document(_write(tmp_path / "layout.html", html.encode()))
    (table,) = find_tables(doc.text)
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["第1回 (2014年)", "ハノイ", "意見交換を行った。"], ["第2回 (2015年)", "東京", "合意した。"]]
    assert "メニュー項目" in doc.text.split("\n")


# --- limits (issue 20, item 2) ---------------------------------------------------------------------


def test_extraction_stops_at_the_time_budget_naming_it(tmp_path: Path) -> None:
    from ingest.limits import ExtractLimits
    from tests.hostile import nested_html, shared_stream_pdf

    spent = ExtractLimits(max_seconds=0.0)  # the clock has run out before the first page: the mechanism
    for name, data in (("t.pdf", shared_stream_pdf(3, 50)), ("t.html", nested_html(10_000))):
        with pytest.raises(LoadError, match=r"extract_max_s"):
            load_document(_write(tmp_path / name, data), limits=spent)


def test_every_kind_of_file_is_bounded_by_the_character_limit(tmp_path: Path) -> None:
    from ingest.limits import ExtractLimits

    limits = ExtractLimits(max_chars=1_000)
    for name, data in (("t.txt", ("あ" * 1_001).encode()), ("t.html", f"<p>{'a' * 1_001}</p>".encode()),
                       ("t.pdf", make_pdf("x" * 1_001))):
        with pytest.raises(LoadError, match=r"the limit is 1,000 per document \(ingest_max_chars\)"):
            load_document(_write(tmp_path / name, data), limits=limits)
    assert load_document(_write(tmp_path / "ok.txt", ("あ" * 1_000).encode()), limits=limits).text == "あ" * 1_000
