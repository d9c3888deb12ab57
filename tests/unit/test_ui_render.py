"""ui.render: document and model text is inert, markers link to citations, spans and flags are marked."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ingest.schema import Provenance, SourceDocument
from rag.types import Answer, Citation, Passage, SentenceCheck, Verdict
from ui import render

EVIL = "<script>alert('x')</script><img src=x onerror=alert(1)>"
DOC_TEXT = f"前文です。\n第10回 (2016年) JCMについて合意。{EVIL}\n後文です。"
START = DOC_TEXT.index("第10回")
END = DOC_TEXT.index("\n後文")


class Tags(HTMLParser):
    """Collects the tags and attributes a browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    p = Tags()
    p.feed(html)
    return p.tags


def assert_inert(html: str) -> None:
    found = tags(html)
    assert not [t for t, _ in found if t in {"script", "img", "iframe", "svg", "object"}], found
    assert not [a for _, attrs in found for a in attrs if a.startswith("on")], found
    assert "&lt;script&gt;" in html


def citation(n: int = 1, text: str | None = None) -> Citation:
    text = text if text is not None else DOC_TEXT[START:END]
    span = text.index("JCM")
    return Citation(n=n, chunk_id=f"d#{n}", doc_id="doc_1", title=f"題<b>{n}</b>", text=text, start=START,
                    end=START + len(text), span_start=span, span_end=span + 3, support=0.8, label="第10回 (2016年)")


def answer(**kw) -> Answer:
    s1, s2 = "JCM came up in 2016 [1].", f"Also {EVIL} [2] [7]."
    base = dict(question="q", text=f"{s1} {s2}", language="en", citations=[citation(1), citation(2)],
                sentences=[SentenceCheck(text=s1, citations=[1], supported=True),
                           SentenceCheck(text=s2, citations=[2], supported=False)])
    base.update(kw)
    return Answer(**base)


def test_answer_text_is_escaped_and_inert() -> None:
    assert_inert(render.answer_html(answer()))


def test_markers_link_to_their_citations() -> None:
    html = render.answer_html(answer())
    links = [attrs for t, attrs in tags(html) if t == "a" and "cite" in (attrs.get("class") or "")]
    assert [a["data-n"] for a in links] == ["1", "2"]
    assert links[0]["data-doc"] == "doc_1"
    assert (int(links[0]["data-start"]), int(links[0]["data-end"])) == (START, END)
    assert int(links[0]["data-ss"]) == START + DOC_TEXT[START:END].index("JCM")
    # [7] points nowhere: shown, but not a link
    assert '<span class="cite-missing">[7]</span>' in html


def test_unsupported_sentences_are_marked_and_supported_ones_are_not() -> None:
    html = render.answer_html(answer())
    flagged = re.findall(r'<span class="unsupported"[^>]*>(.*?)</span><span class="unsupported-flag"', html)
    assert len(flagged) == 1 and flagged[0].startswith("Also &lt;script&gt;")
    assert "JCM came up in 2016" not in flagged[0]


def test_citation_cards_highlight_the_span_and_escape_everything() -> None:
    html = render.sources_html(answer())
    assert_inert(html)
    assert "<mark>JCM</mark>" in html
    assert "題&lt;b&gt;1&lt;/b&gt;" in html and "第10回 (2016年)" in html
    assert html.count('class="card"') == 2


def test_error_banner_with_retrieved_passages() -> None:
    p = Passage(chunk_id="d#1", doc_id="doc_1", title="T", text=EVIL, start=0, end=len(EVIL), year=2016,
                meeting_number=10)
    a = Answer(question="q", text="", language="en", retrieved=[p], error="LLM unavailable: <boom>")
    html = render.answer_html(a) + render.sources_html(a)
    assert_inert(html)
    assert "banner-error" in html and "LLM unavailable: &lt;boom&gt;" in html
    assert "Retrieved passages" in html and 'data-doc="doc_1"' in html


def test_document_view_marks_the_passage_and_span_and_is_inert() -> None:
    doc = SourceDocument(doc_id="doc_1", path="/x", text=DOC_TEXT, provenance=Provenance(title="<i>T</i>"),
                         content_hash="h")
    ss = START + DOC_TEXT[START:END].index("JCM")
    html = render.document_html(doc, START, END, ss, ss + 3)
    assert_inert(html)
    assert html.count('<mark id="passage" class="passage">') == 1
    assert '<mark class="span">JCM</mark>' in html
    assert "&lt;i&gt;T&lt;/i&gt;" in html
    # all of the document is there, in order, once the tags are removed
    plain = re.sub(r"<[^>]+>", "", html.split('<div class="docview-text">')[1])
    import html as h
    assert h.unescape(plain).startswith(DOC_TEXT)


def test_document_view_clamps_bad_offsets() -> None:
    doc = SourceDocument(doc_id="d", path="/x", text="abc", provenance=Provenance(title="T"), content_hash="h")
    assert '<mark id="passage" class="passage">c</mark>' in render.document_html(doc, 2, 99, -5, 0)


def test_attribute_injection_through_doc_id_is_escaped() -> None:
    c = citation().model_copy(update={"doc_id": 'x" onmouseover="alert(1)'})
    html = render.cite_link(c)
    assert [a for _, attrs in tags(html) for a in attrs if a.startswith("on")] == []


def test_transcript_and_thinking() -> None:
    html = render.transcript_html([(EVIL, render.thinking_html())])
    assert_inert(html)
    assert "考えています" in html and "Thinking" in html
    assert "streaming &lt;b&gt;" in render.streaming_html("streaming <b>")


def test_verdict_shows_label_and_evidence() -> None:
    v = Verdict(claim="c", label="contradicted", explanation=EVIL, evidence=[citation()])
    html = render.verdict_html(v)
    assert_inert(html)
    assert "verdict-contradicted" in html and 'data-n="1"' in html
