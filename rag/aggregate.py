"""Temporal and aggregate questions resolved by code: gather every matching meeting row, order by date.

The 1.5B model cannot be trusted to compare years (DESIGN.md), so "first", "latest", "how many" and
"which" are answered from metadata: the model only phrases what this module found.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ingest.schema import Chunk
from ingest.tokenizer import tokenize
from rag.analysis import QuestionAnalysis
from rag.passages import to_passage
from rag.types import Language, Passage

# Words of how a question is asked (not what it is about): never a subject term.
QUESTION_WORDS = frozenset(
    ["first", "earliest", "initially", "last", "latest", "most", "recent", "recently", "newest", "many", "number", "often", "list", "all", "time", "times", "year", "years", "date", "when", "held", "hold", "take", "took", "place", "come", "came", "up", "discuss", "discussed", "mention", "mentioned", "meet", "meeting", "meetings", "met", "talk", "talked", "happen", "happened", "occur", "occurred", "raise", "raised", "dialogue", "dialogues", "bring", "brought", "topic", "topics", "subject", "which", "ones", "cover", "covered", "appear", "appeared", "いつ", "最初", "初めて", "はじめて", "初回", "最新", "最後", "直近", "何", "回", "何回", "何度", "いくつ", "件", "すべて", "全て", "一覧", "どの", "どれ", "取り上げる", "扱う", "話す", "議論", "開催", "する", "れる", "られる", "ある", "いる", "なる", "的", "時", "とき", "こと", "もの", "会合", "会議", "回目"]
)
_ROW_GENERIC_SHARE = 0.6  # a term in more than this share of the scope's rows does not pick rows out


@dataclass(frozen=True)
class DocumentScope:
    """The documents a question names (by distinctive words of their titles), if any."""

    doc_ids: tuple[str, ...]
    title_tokens: frozenset[str]


def title_tokens(titles: Sequence[str]) -> set[str]:
    """Tokens of a document's titles (Japanese and English)."""
    return {t for title in titles if title for t in tokenize(title)}


def named_documents(question_tokens: set[str], doc_titles: dict[str, Sequence[str]]) -> DocumentScope:
    """Documents whose distinctive title words occur in the question."""
    per_doc = {d: title_tokens(ts) for d, ts in doc_titles.items()}
    df: dict[str, int] = {}
    for toks in per_doc.values():
        for t in toks:
            df[t] = df.get(t, 0) + 1
    n = max(len(per_doc), 1)
    named = []
    for d, toks in per_doc.items():
        distinctive = {t for t in toks if df[t] / n < 0.5 or n == 1}
        if distinctive & question_tokens:
            named.append(d)
    all_title = set().union(*per_doc.values()) if per_doc else set()
    scope_titles = set().union(*(per_doc[d] for d in named)) if named else all_title
    return DocumentScope(tuple(sorted(named)), frozenset(scope_titles))


def _date_key(c: Chunk | Passage) -> tuple[int, int, int, int]:
    return (c.year or 9999, c.month or 0, c.meeting_number or 0, c.start)


def _norm(s: str) -> str:
    return unicodedata.normalize("NFKC", s).casefold()


@dataclass
class Gathered:
    """Meeting rows that match the question's subject, ordered by date, and the facts they give."""

    intent: str
    rows: list[Passage]  # every matching row, earliest first
    chosen: list[Passage]  # what goes to the model, in the order it sees them
    terms: list[str]
    facts: str  # in the answer language, with [n] markers that refer to `chosen`
    template_answer: str  # the same facts phrased as an answer (used when the model's answer fails checks)
    key_values: list[str] = field(default_factory=list)  # what a correct answer must state (year, count)
    derived: list[str] = field(default_factory=list)  # numbers code computed from the rows (the count)


def subject_terms(question: str, scope: DocumentScope, rows: Sequence[Chunk], has_token) -> list[str]:
    """Question words that pick some rows out: in the index vocabulary, not title words, not generic."""
    toks = [t for t in dict.fromkeys(tokenize(question))
            if t not in QUESTION_WORDS and t not in scope.title_tokens and has_token(t)
            and not re.fullmatch(r"\d+", t)]
    if not rows:
        return toks
    row_tokens = [set(tokenize(r.index_text)) for r in rows]
    out = []
    for t in toks:
        share = sum(t in rt for rt in row_tokens) / len(rows)
        if 0 < share <= _ROW_GENERIC_SHARE:
            out.append(t)
    return out


_CONTENT_WORD = re.compile(r"[a-z]{4,}|[\u30a0-\u30ff\u4e00-\u9fff]{2,}")  # not hiragana function words


def unmatched_content(question: str, scope: DocumentScope, has_token) -> list[str]:
    """Content words of the question the index has never seen (e.g. English words for Japanese terms)."""
    return [t for t in dict.fromkeys(tokenize(question))
            if t not in QUESTION_WORDS and t not in scope.title_tokens and not has_token(t)
            and _CONTENT_WORD.fullmatch(t)]


def gather(analysis: QuestionAnalysis, question: str, scope: DocumentScope, all_rows: Sequence[Chunk],
           has_token, dense_scores: dict[str, float], language: Language,
           english_titles: dict[str, str] | None = None) -> Gathered | None:
    """Resolve a first/latest/count/list question over meeting rows; None when there are no rows."""
    rows = [r for r in all_rows if not scope.doc_ids or r.doc_id in scope.doc_ids]
    if not rows or analysis.intent is None:
        return None
    if scope.doc_ids:
        # The named document's own series only: its tables also list other events (an environment
        # week, a preparatory meeting) that are not meetings of the dialogue the question names.
        main = {d: Counter(r.dialogue for r in rows if r.doc_id == d and r.dialogue).most_common(1)
                for d in {r.doc_id for r in rows}}  # per document: a question may name two
        rows = [r for r in rows if not main[r.doc_id] or r.dialogue == main[r.doc_id][0][0]]
        if analysis.intent == "count":
            rows = [r for r in rows if r.meeting_number] or rows  # a count is of numbered sessions
    terms = subject_terms(question, scope, rows, has_token)
    if terms:
        matching = [r for r in rows if all(t in set(tokenize(r.index_text)) for t in terms)]
        if not matching:
            matching = [r for r in rows if any(t in set(tokenize(r.index_text)) for t in terms)]
    elif unmatched_content(question, scope, has_token) and dense_scores:
        # The subject is in words the index does not share (e.g. "mercury" for 水銀): fall back to the
        # rows the dense model puts close to the best one.
        scored = [(dense_scores.get(r.chunk_id, -1.0), r) for r in rows]
        best = max(s for s, _ in scored)
        matching = [r for s, r in scored if s >= best - 0.03]
    else:
        matching = list(rows)
    if not matching:
        return None
    ordered = sorted(matching, key=_date_key)
    passages = [to_passage(r, dense=dense_scores.get(r.chunk_id)) for r in ordered]
    gathered = _facts(analysis.intent, passages, terms, language, english_titles or {})
    # A count or list code can vouch for only when the question names the dialogue, and (in Japanese,
    # where the index shares the question's words) names no subject the documents never mention.
    if gathered.intent in ("count", "list") and (
            not scope.doc_ids or (language == "ja" and unmatched_content(question, scope, has_token))):
        gathered.template_answer, gathered.derived = "", []
    return gathered


def ordinal(n: int) -> str:
    """1 -> '1st', 12 -> '12th', 22 -> '22nd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _label(p: Passage) -> str:
    label = p.date_label or ""
    return f"{label}, {p.venue}" if p.venue else label


def _facts(intent: str, rows: list[Passage], terms: list[str], lang: Language,
           english_titles: dict[str, str]) -> Gathered:
    n = len(rows)
    dialogue = rows[0].dialogue or rows[0].title
    if lang == "en":
        dialogue = english_titles.get(dialogue, dialogue)
    about = "・".join(terms)
    if intent in ("first", "latest"):
        pick = rows[0] if intent == "first" else rows[-1]
        year = str(pick.year) if pick.year else ""
        if lang == "ja":
            which = "最も早い" if intent == "first" else "最も新しい"
            scope_ja = f"{about}に触れた{dialogue}の会合{n}件" if about else f"{dialogue}の会合{n}件"
            facts = f"{scope_ja}のうち、{which}のは{_label(pick)}です[1]。"
            where = f"（開催地：{pick.venue}）" if pick.venue else ""
            template = f"{which}のは{dialogue}の{pick.date_label}{where}です[1]。"
        else:
            which = "earliest" if intent == "first" else "latest"
            scope_en = f"the {n} meetings of {dialogue} that mention {about}" if about else f"the {n} meetings of {dialogue}"
            facts = f"Of {scope_en}, the {which} is {_label(pick)} [1]."
            where = f", in {pick.venue}" if pick.venue else ""
            meeting = f"the {ordinal(pick.meeting_number)} meeting of the {dialogue}" if pick.meeting_number \
                else f"a meeting of the {dialogue}"
            template = f"In {year}, at {meeting}{where} [1]." if year else f"At {meeting}{where} [1]."
        return Gathered(intent, rows, [pick], terms, facts, template, [year] if year else [], derived=[str(n)])
    # count / list: every matching row goes to the model in date order (the context budget trims).
    labels = "; ".join(f"{_label(p)} [{i}]" for i, p in enumerate(rows, start=1))
    every = "".join(f"[{i}]" for i in range(1, n + 1))
    if lang == "ja":
        head = f"{about}に触れた" if about else ""
        facts = f"{head}{dialogue}の会合は{n}件: {labels}。"
        items = "、".join(f"{_label(p)}[{i}]" for i, p in enumerate(rows, start=1))
        template = f"{head}{dialogue}の会合は{n}件です{every}。{items}です。"
    else:
        head = f" that mention {about}" if about else ""
        facts = f"{n} meetings of {dialogue}{head}: {labels}."
        items = "; ".join(f"the {_en_label(p)} [{i}]" for i, p in enumerate(rows, start=1))
        template = f"The documents list {n} meetings of the {dialogue}{head} {every}. They are: {items}."
    return Gathered(intent, rows, rows, terms, facts, template, [str(n)] if intent == "count" else [],
                    derived=[str(n)])


def _en_label(p: Passage) -> str:
    """'3rd meeting (2009, ウランバートル)': English words around the record's own values."""
    name = f"{ordinal(p.meeting_number)} meeting" if p.meeting_number else "meeting"
    when = ", ".join(str(x) for x in (p.year, p.venue) if x)
    return f"{name} ({when})" if when else name


def named_meeting(row: Passage, question: str, language: Language, english_titles: dict[str, str],
                  quote: str) -> tuple[str, str]:
    """Facts and a code-composed answer for a question about one named meeting (used if the model fails).

    `quote` is the row's sentence that best matches the question: quoting the record is always supported.
    """
    dialogue = row.dialogue or row.title
    when = f"{row.year}年に" if row.year else ""
    if language == "en":
        dialogue = english_titles.get(dialogue, dialogue)
        n = f"the {ordinal(row.meeting_number)} meeting" if row.meeting_number else "the meeting"
        held = " was held" + (f" in {row.year}" if row.year else "") + (f", in {row.venue}" if row.venue else "")
        facts = f"[1] is {n} of the {dialogue}{held.replace(' was held', ', held')}."
        template = f"{n[0].upper()}{n[1:]} of the {dialogue}{held} [1]."
        if quote:
            template += f" The record says: 「{quote}」[1]."
        return facts, template
    where = f"{row.venue}で" if row.venue else ""
    facts = f"[1]は{dialogue}の{row.date_label}（開催地：{row.venue or '不明'}）です。"
    template = f"{dialogue}の第{row.meeting_number}回は{when}{where}開催されました[1]。"
    if quote:
        template += f"記録には「{quote}」とあります[1]。"
    return facts, template
