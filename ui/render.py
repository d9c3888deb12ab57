"""Pure rendering: rag's objects → safe HTML. Every piece of document or model text goes through `esc`.

Citation markers become `<a class="cite" data-doc=… data-start=… data-end=…>` links; the UI's click
handler reads those attributes and asks the service for the document by id, so a marker carries no
state and can never name a path.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

from rag.types import Answer, Citation, Passage, Verdict

MARKER = re.compile(r"\[(\d{1,3})\]")
THINKING = "考えています… / Thinking…"

CSS = """
.shiori-turn { margin: 0 0 1.1em 0; }
.shiori-q { background: #eef2ff; border-radius: 10px; padding: .55em .8em; margin: 0 0 .5em 15%;
  white-space: pre-wrap; }
.shiori-a { background: #f8fafc; border: 1px solid #e2e8f0; border-radius: 10px; padding: .6em .8em;
  margin: 0 15% 0 0; line-height: 1.65; white-space: pre-wrap; }
.shiori-empty { color: #64748b; padding: 1em; }
a.cite { display: inline-block; font-weight: 600; color: #1d4ed8; background: #dbeafe; border-radius: 4px;
  padding: 0 .25em; margin: 0 .1em; text-decoration: none; cursor: pointer; font-size: .9em; }
a.cite:hover { background: #bfdbfe; }
.cite-missing { color: #9ca3af; }
.unsupported { text-decoration: underline wavy #dc2626; text-underline-offset: 3px; background: #fef2f2; }
.unsupported-flag { color: #dc2626; font-size: .8em; font-weight: 700; margin-left: .15em; }
.repaired-flag { color: #b45309; font-size: .75em; margin-left: .15em; }
.thinking { color: #6d28d9; font-style: italic; animation: shiori-pulse 1.2s ease-in-out infinite; }
@keyframes shiori-pulse { 0%,100% { opacity: .45; } 50% { opacity: 1; } }
.banner { border-radius: 8px; padding: .5em .75em; margin: .4em 0; }
.banner-error { background: #fee2e2; border: 1px solid #f87171; color: #7f1d1d; }
.banner-notice { background: #fef9c3; border: 1px solid #facc15; color: #713f12; }
.banner-abstain { background: #f1f5f9; border: 1px solid #94a3b8; color: #334155; }
.sources h4, .docview h4 { margin: .2em 0 .5em 0; }
.card { border: 1px solid #e2e8f0; border-radius: 8px; padding: .5em .7em; margin: 0 0 .6em 0; background: #fff; }
.card-head { display: flex; gap: .5em; align-items: baseline; flex-wrap: wrap; }
.card-title { font-weight: 600; }
.card-meta { color: #475569; font-size: .85em; }
.card-text { white-space: pre-wrap; font-size: .92em; margin-top: .3em; line-height: 1.6; }
.card-text mark, .docview mark.span { background: #fde047; padding: 0 1px; }
.docview-text { white-space: pre-wrap; line-height: 1.7; max-height: 560px; overflow-y: auto;
  border: 1px solid #e2e8f0; border-radius: 8px; padding: .6em .8em; background: #fff; font-size: .93em; }
.docview mark.passage { background: #dbeafe; outline: 2px solid #3b82f6; border-radius: 2px; }
.verdict { font-size: 1.1em; font-weight: 700; padding: .4em .7em; border-radius: 8px; display: inline-block; }
.verdict-supported { background: #dcfce7; color: #14532d; }
.verdict-not_found { background: #f1f5f9; color: #334155; }
.verdict-contradicted { background: #fee2e2; color: #7f1d1d; }
"""


def esc(text: object) -> str:
    """HTML-escape anything (quotes too, so it is safe inside attributes)."""
    return html.escape("" if text is None else str(text), quote=True)


def cite_link(c: Citation | Passage, n: int | None = None) -> str:
    """A clickable `[n]` that opens the cited passage in its document."""
    n = n if n is not None else getattr(c, "n", 0)
    span_start = c.start + getattr(c, "span_start", 0)
    span_end = c.start + getattr(c, "span_end", 0)
    return (
        f'<a class="cite" href="#" role="button" data-n="{n}" data-doc="{esc(c.doc_id)}" '
        f'data-start="{int(c.start)}" data-end="{int(c.end)}" data-ss="{int(span_start)}" '
        f'data-se="{int(span_end)}" title="{esc(c.title)}">[{n}]</a>'
    )


def link_markers(escaped: str, citations: dict[int, Citation]) -> str:
    """Turn `[n]` in already-escaped text into citation links; unknown numbers stay visibly inert."""

    def repl(m: re.Match[str]) -> str:
        c = citations.get(int(m.group(1)))
        if c is None:
            return f'<span class="cite-missing">{m.group(0)}</span>'
        return cite_link(c)

    return MARKER.sub(repl, escaped)


def _sentence_ranges(text: str, sentences: Sequence[Any]) -> list[tuple[int, int, Any]]:
    """Locate each checked sentence in the answer text, in order (skipping ones not found verbatim)."""
    out: list[tuple[int, int, Any]] = []
    cursor = 0
    for s in sentences:
        needle = (s.text or "").strip()
        if not needle:
            continue
        i = text.find(needle, cursor)
        if i < 0:
            continue
        out.append((i, i + len(needle), s))
        cursor = i + len(needle)
    return out


def answer_text_html(answer: Answer) -> str:
    """The answer text, escaped, with linked markers and unsupported sentences visibly marked."""
    cites = {c.n: c for c in answer.citations}
    text = answer.text or ""
    parts: list[str] = []
    cursor = 0
    for start, end, s in _sentence_ranges(text, answer.sentences):
        parts.append(link_markers(esc(text[cursor:start]), cites))
        body = link_markers(esc(text[start:end]), cites)
        if not s.supported:
            parts.append(
                f'<span class="unsupported" title="Not supported by the cited passages / 根拠なし">{body}</span>'
                '<span class="unsupported-flag" title="unsupported">⚠ 未確認</span>'
            )
        elif s.repaired:
            parts.append(f'{body}<span class="repaired-flag" title="citation attached by code">＊</span>')
        else:
            parts.append(body)
        cursor = end
    parts.append(link_markers(esc(text[cursor:]), cites))
    return "".join(parts)


def banners(answer: Answer) -> str:
    """Error, abstention and notice banners for an answer."""
    out = []
    if answer.error:
        out.append(
            '<div class="banner banner-error" role="alert"><b>回答を生成できませんでした / The answer could not '
            f"be generated.</b> {esc(answer.error)}<br>検索された文書は下に表示されています / "
            "The retrieved passages are shown below.</div>"
        )
    if answer.abstained and not answer.error:
        out.append(
            '<div class="banner banner-abstain">文書に根拠が見つかりませんでした / '
            "The documents do not answer this.</div>"
        )
    out.extend(f'<div class="banner banner-notice">{esc(n)}</div>' for n in answer.notices)
    return "".join(out)


def answer_html(answer: Answer) -> str:
    """The assistant's message for a finished answer: banners, then the text with markers."""
    body = answer_text_html(answer) if answer.text else ""
    if answer.error and not body:
        body = '<span class="cite-missing">—</span>'
    return f'{banners(answer)}<div class="answer-text">{body}</div>'


def _highlighted_passage(text: str, span_start: int, span_end: int) -> str:
    """Passage text with its supporting span in <mark> (offsets clamped, pieces escaped separately)."""
    a = max(0, min(span_start, len(text)))
    b = max(a, min(span_end, len(text)))
    if b <= a:
        return esc(text)
    return f"{esc(text[:a])}<mark>{esc(text[a:b])}</mark>{esc(text[b:])}"


def citation_card(c: Citation) -> str:
    """One citation: [n], title, meeting and date, the passage with its supporting span highlighted."""
    label = f'<span class="card-meta">{esc(c.label)}</span>' if c.label else ""
    support = f'<span class="card-meta">support {c.support:.2f}</span>' if c.support else ""
    return (
        f'<div class="card" data-n="{c.n}">'
        f'<div class="card-head">{cite_link(c)}<span class="card-title">{esc(c.title)}</span>{label}{support}</div>'
        f'<div class="card-text">{_highlighted_passage(c.text, c.span_start, c.span_end)}</div></div>'
    )


def passage_card(p: Passage, n: int) -> str:
    """A retrieved (not cited) passage, shown when the answer failed or abstained."""
    label = f'<span class="card-meta">{esc(p.date_label)}</span>' if p.date_label else ""
    return (
        f'<div class="card passage-card">'
        f'<div class="card-head">{cite_link(p, n)}<span class="card-title">{esc(p.title)}</span>{label}</div>'
        f'<div class="card-text">{esc(p.text)}</div></div>'
    )


def sources_html(answer: Answer | None) -> str:
    """The sources panel beside the answer: citation cards, or retrieved passages when nothing is cited."""
    if answer is None:
        return '<div class="sources shiori-empty">出典はここに表示されます / Sources appear here.</div>'
    parts = ['<div class="sources">']
    if answer.error:
        parts.append(banners(Answer(question="", text="", language=answer.language, error=answer.error)))
    if answer.citations:
        parts.append("<h4>出典 / Sources</h4>")
        parts.extend(citation_card(c) for c in answer.citations)
    elif answer.retrieved:
        parts.append("<h4>検索された文書 / Retrieved passages</h4>")
        parts.extend(passage_card(p, i) for i, p in enumerate(answer.retrieved, 1))
    else:
        parts.append('<div class="shiori-empty">出典なし / No sources.</div>')
    parts.append("</div>")
    return "".join(parts)


def turn_html(question: str, assistant_html: str) -> str:
    """One exchange of the conversation."""
    return (
        f'<div class="shiori-turn"><div class="shiori-q">{esc(question)}</div>'
        f'<div class="shiori-a">{assistant_html}</div></div>'
    )


def thinking_html() -> str:
    """The visible state while the model works, before the first token."""
    return f'<span class="thinking" role="status">{THINKING}</span>'


def streaming_html(partial: str) -> str:
    """Tokens so far: escaped, markers not yet linked (the final Answer re-renders them)."""
    return f'<div class="answer-text">{esc(partial)}</div><span class="thinking">▍</span>'


def transcript_html(turns: Iterable[tuple[str, str]]) -> str:
    """The whole conversation from (question, rendered assistant html) pairs."""
    body = "".join(turn_html(q, a) for q, a in turns)
    return f'<div class="transcript">{body}</div>' if body else (
        '<div class="transcript shiori-empty">質問をどうぞ / Ask a question about the documents.</div>'
    )


def document_html(doc: Any, start: int | None = None, end: int | None = None,
                  span_start: int | None = None, span_end: int | None = None) -> str:
    """The whole document, escaped, with [start, end) in <mark id="passage"> and the span inside it marked."""
    title = getattr(getattr(doc, "provenance", None), "title", None) or doc.doc_id
    text: str = doc.text
    head = f'<h4>{esc(title)}</h4><div class="card-meta">{esc(doc.doc_id)}</div>'
    if start is None or end is None:
        return f'<div class="docview">{head}<div class="docview-text">{esc(text)}</div></div>'
    a = max(0, min(start, len(text)))
    b = max(a, min(end, len(text)))
    inner = text[a:b]
    ss = max(0, min((span_start if span_start is not None else a) - a, len(inner)))
    se = max(ss, min((span_end if span_end is not None else a) - a, len(inner)))
    marked = _highlighted_passage(inner, ss, se).replace("<mark>", '<mark class="span">')
    body = f'{esc(text[:a])}<mark id="passage" class="passage">{marked}</mark>{esc(text[b:])}'
    return f'<div class="docview">{head}<div class="docview-text">{body}</div></div>'


def document_placeholder() -> str:
    """What the document panel shows before any citation is opened."""
    return ('<div class="docview shiori-empty">[n] をクリックすると文書のその箇所が開きます / '
            "Click a [n] to open its passage in the document.</div>")


def message_html(text: str, kind: str = "error") -> str:
    """A banner with an escaped message (errors are shown, never tracebacks)."""
    return f'<div class="banner banner-{esc(kind)}">{esc(text)}</div>'


VERDICT_LABELS = {
    "supported": "✓ 根拠あり / Supported",
    "not_found": "? 根拠なし / Not found in the documents",
    "contradicted": "✗ 矛盾 / Contradicted",
    "disputed": "⚠ 資料間で食い違い / The documents disagree",
}


def verdict_html(v: Verdict) -> str:
    """A claim's verdict, its explanation and the evidence passages (clickable)."""
    parts = [
        f'<div class="verdict verdict-{esc(v.label)}">{esc(VERDICT_LABELS.get(v.label, v.label))}</div>',
        f'<p class="explanation">{esc(v.explanation)}</p>',
    ]
    if v.evidence:
        parts.append('<div class="sources"><h4>根拠 / Evidence</h4>')
        parts.extend(citation_card(c) for c in v.evidence)
        parts.append("</div>")
    return "".join(parts)
