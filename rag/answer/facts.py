"""Answers from text (not records): for each part the question asks, the best value whose clause states what
was asked (rag.values.binding), in a sentence code writes in the asker's language; what/how questions are
answered by the bound sentence itself, quoted (rag.answer.rendering renders Japanese for an English asker).

Nothing here answers with a value that is merely of the asked type: unbound values only feed `nearest`,
which tells the asker what the documents do give, marked as not the answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.names import country_code, is_japanese
from rag import messages
from rag.answer.quantities import quantity_en
from rag.find.evidence import VALUE_KINDS, Evidence, kinds_for
from rag.read.question import Question
from rag.series.catalog import Catalog
from rag.types import Cite, Language, Statement
from rag.values.candidates import Candidate

_QUOTE_MAX = 160
MIN_COVERAGE = 0.3  # below: the question is mostly about words no document holds (see evidence.coverage)
# A sentence answers only if it holds more than this share of the question's content words: at half, as many
# quotes were wrong as right (seed and dev sets), and a wrong answer costs more than an abstention.
MIN_SENTENCE_SHARE = 0.55
# A value found only by a weak match (score at most this) answers only if its clause or heading, in the question's
# language, holds one of the question's own words: a date in a row about something else is not the date asked.
WEAK_VALUE = 0.2


def _lang(q: Question) -> Language:
    return "ja" if q.language == "ja" else "en"


def display(c: Candidate, catalog: Catalog, lang: Language, end: bool = False, counted: str | None = None) -> str:
    """The value as the asker should read it (English names and quantities, the original in brackets); with
    `end`, a range by its end ("until when": 2027, not 2023–2027); `counted`, what the question counts."""
    if c.kind == "date" and c.date is not None:
        d = c.date.until if end and c.date.until else c.date
        shown = d.ja() if lang == "ja" else d.en()
        orig = re.sub(r"\s+", "", c.value)
        return shown if orig in (shown, re.sub(r"\s+", "", shown)) else f"{shown} ({c.value})"
    if c.kind == "place" and lang == "en":
        return catalog.place(c.value, "en") or c.value
    if c.kind == "quantity" and lang == "en":
        return quantity_en(c.value, counted)
    if c.kind == "person" and c.role:
        role = _quote(c.role, 60)
        return f"{c.value} ({role})" if lang == "en" else f"{c.value}（{role}）"
    return c.value


def _quote(text: str, limit: int = _QUOTE_MAX) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def value_sentence(kind: str, shown: str, lang: Language, date_has_day: bool = False) -> str:
    """Code's sentence stating one value, with its marker [1]."""
    if lang == "ja":
        return f"{shown}です[1]。"
    lead = {"date": "On " if date_has_day else "In ", "time": "At ", "place": "In "}.get(kind, "")
    return f"{lead}{shown} [1]."


def _fellows(cands: list[Candidate]) -> list[Candidate]:
    """The best value and the others of its kind its own sentence states the same way (co-chairs, both
    signatories): one answer when the passage gives several."""
    best = cands[0]
    if best.kind not in ("person", "org"):
        return [best]
    out = [best]
    for c in cands[1:]:
        if c.ctx_start == best.ctx_start and c.doc_id == best.doc_id and all(c.value != o.value for o in out) and \
                not any(o.start <= c.start < o.end or c.start <= o.start < c.end for o in out):
            out.append(c)
    return out[:4]


def _value_statement(c: Candidate, catalog: Catalog, lang: Language, fellows: Sequence[Candidate] = (),
                     end: bool = False, counted: str | None = None) -> Statement:
    group = list(fellows) or [c]
    shown = ("、" if lang == "ja" else "; ").join(display(x, catalog, lang, end, counted) for x in group)
    text = value_sentence(c.kind, shown, lang, bool(c.date and c.date.day))
    if len(group) > 1:
        marks = "".join(f"[{i}]" for i in range(1, len(group) + 1))
        text = text.replace("[1]", marks)
    return Statement(text, [Cite(x.doc_id, x.start, x.end) for x in group])


def _sentence_statement(chosen: Sequence[Candidate], lang: Language) -> Statement:
    """The bound sentence(s), quoted in their own language (an English asker gets Japanese rendered in English
    by rag.answer.rendering)."""
    cites = [Cite(c.doc_id, c.ctx_start, c.ctx_end) for c in chosen]
    source = " ".join(_quote(c.context) for c in chosen)
    marks = "".join(f"[{i}]" for i in range(1, len(chosen) + 1))
    if lang == "ja":
        return Statement(f"資料には「{source}」とあります{marks}。", cites)
    if not is_japanese(source):
        return Statement(f"The documents say: “{source}” {marks}.", cites)
    return Statement(f"The documents say{{how}}: “{{quote}}” {marks}.", cites, quote_ja=source)


def _content_share(c: Candidate, q: Question) -> float:
    """Share of the question's content words, in the sentence's language, that the sentence or its heading holds."""
    from ingest.tokenizer import tokenize
    from rag.read.vocabulary import QUESTION_WORDS

    tokens = q.ja_tokens if (q.language != "ja" and is_japanese(c.context) and q.ja_tokens) else q.text_tokens
    words = {t for t in tokens if t not in QUESTION_WORDS and len(t) > 1 and not t.isdigit()
             and not re.fullmatch(r"[\u3040-\u309f]+", t) and t not in _FUNCTION_WORDS}
    if not words:
        return 1.0
    held = set(tokenize(f"{c.context} {c.passage.section or ''}"))
    return len(words & held) / len(words)


_FUNCTION_WORDS = frozenset({"為る", "居る", "成る", "有る", "言う", "ある", "いる", "する", "なる", "did", "does", "what",
                             "which", "how", "the", "was", "were"})


def fact_statements(ev: Evidence, q: Question, catalog: Catalog, types: Sequence[str]) -> list[Statement]:
    """Statements answering each asked part from values whose clause states what was asked (empty when no
    part binds)."""
    return fact_parts(ev, q, catalog, types)[0]


def fact_parts(ev: Evidence, q: Question, catalog: Catalog, types: Sequence[str]) -> tuple[list[Statement], list[str]]:
    """Statements for the asked parts that bind, and the asked parts of a value kind that do not."""
    lang = _lang(q)
    out: list[Statement] = []
    unanswered: list[str] = []
    if ev.coverage < MIN_COVERAGE:
        return out, list(types)  # the question is about words the documents lack: no value answers it
    done_sentences = False
    # Value parts first: a sentence answering another part of the same question comes from where they do.
    parts = sorted((p for p in types if p != "compare"), key=lambda p: not kinds_for(p, q))
    answered: dict[str, Statement] = {}
    chunks: set[str] = set()
    for part in parts:
        kinds = kinds_for(part, q)
        if part == "what" and ev.of_kind(*VALUE_KINDS, bound=True):
            kinds = VALUE_KINDS
        if kinds:
            # (A page's contact number is the whole page's: its line holds no word of the question. A clause in the
            # other language than the question's cannot be measured so: an English report answers a Japanese asker.)
            cands = [c for c in ev.of_kind(*kinds, bound=True)
                     if c.kind == "phone" or c.score > WEAK_VALUE or _content_share(c, q) > 0
                     or is_japanese(c.context) != (q.language == "ja")]
            if cands:
                best = _most_precise(cands)
                answered[part] = _value_statement(best, catalog, lang, _fellows([best, *cands]), q.asks_end, q.unit)
                chunks.add(best.passage.chunk_id)
            else:
                unanswered.append(part)
        elif not done_sentences:
            sents = [c for c in ev.of_kind("sentence") if sentence_binds(c, q)
                     and (not chunks or c.passage.chunk_id in chunks)]
            if not sents:
                unanswered.append(part)  # "…, and in what role?": a part asked, not given
                continue
            answered[part] = _sentence_statement(sents[:1], lang)
            done_sentences = True
    out = [answered[p] for p in types if p in answered]
    unanswered.sort(key=list(types).index)
    return out, unanswered


def _most_precise(cands: list[Candidate]) -> Candidate:
    """The best value, or a bound one that says the same date more precisely ("March 2016" → "14 March 2016"),
    or the place within a country its own sentence names ("the offer of Bhutan to host it in Thimphu")."""
    best = cands[0]
    if best.kind == "place" and country_code(best.value):
        within = [c for c in cands[1:] if c.kind == "place" and c.doc_id == best.doc_id
                  and c.ctx_start == best.ctx_start and not country_code(c.value)]
        return within[0] if within else best
    if best.kind != "date" or best.date is None:
        return best
    finer = [c for c in cands[1:] if c.date is not None and c.date.precision > best.date.precision
             and c.date.matches(best.date)]
    return max(finer, key=lambda c: c.date.precision) if finer else best


def sentence_binds(c: Candidate, q: Question) -> bool:
    """Whether a sentence answers a what/how question: it states what was asked (rag.values.binding), is not
    merely the best of poor matches, and holds most of the question's content words."""
    if not c.bound or _weak_match(c):
        return False
    return _content_share(c, q) >= MIN_SENTENCE_SHARE


def _weak_match(c: Candidate) -> bool:
    """A sentence found only as the best of poor matches (its score for its passage's rank)."""
    return c.score <= 0.3 / (1 + c.rank) + 0.05


def missing_part(tag: str) -> str:
    """What kind of thing a value leaves unstated, for `Answer.reason`: a relation by its name (the vocabulary's
    own word, "relation:sign"), anything else by its kind only ("about", "subject": never the asker's words)."""
    kind, _, name = tag.partition(":")
    return tag if kind == "relation" and re.fullmatch(r"[a-z_|]+", name) else kind


def why_no_sentence(ev: Evidence, q: Question) -> str:
    """Why no sentence answers a what/how question, by the first test the best sentence fails (for
    `Answer.reason`): none found, not bound (what it leaves unstated), a poor match, or too few of its words."""
    sents = ev.of_kind("sentence")
    if not sents:
        return "no_sentence"
    bound = [c for c in sents if c.bound]
    if not bound:
        return f"unbound:{missing_part(sents[0].missing[0])}"
    best = bound[0]
    if _weak_match(best):
        return "sentence:weak_match"
    return "sentence:few_question_words"


def nearest(ev: Evidence, q: Question, catalog: Catalog) -> tuple[str, list[Cite]] | None:
    """What the documents do give nearest to an unanswered question, marked as not the answer: the best
    value of the asked kind whose clause does not state what was asked, with the passage it comes from."""
    lang = _lang(q)
    for part in q.types:
        kinds = kinds_for(part, q)
        if not kinds:
            continue
        cands = ev.of_kind(*kinds, bound=False)
        if cands:
            c = cands[0]
            shown = display(c, catalog, lang, counted=q.unit)
            return messages.say("nearest_not_answer", lang, value=shown), [Cite(c.doc_id, c.ctx_start, c.ctx_end)]
    return None
