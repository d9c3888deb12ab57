"""The model's part: choose among candidates code found (grammar-constrained), and phrase one sentence
from given facts in the asker's language. Code then checks the sentence states the chosen values and
nothing the evidence does not hold; a sentence that fails is not used.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Sequence
from dataclasses import dataclass

from ingest.cleaner import fold
from ingest.dates import find_dates
from ingest.names import is_japanese, latin_names, mentions, sounds_alike
from ingest.tokenizer import named_entities
from ingest.transliteration import english_words
from rag.check.support import claimed_numbers, numbers
from rag.find.candidates import Candidate
from rag.llm.backends import complete, complete_streamed
from rag.llm.prompts import CHOOSE_SYSTEM, PHRASE_SYSTEM, fewshot
from rag.read.language import language_name
from rag.read.question import Question
from rag.types import Language

_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)([A-Z][a-z]+)")


@dataclass(frozen=True)
class Fact:
    """A fact the model may use: its marker, what kind of value, the value, and the quote it comes from."""

    n: int
    kind: str
    value: str
    quote: str


def choose(llm, question: Question, options: Sequence[Candidate]) -> int | None:
    """Index of the option the model picks (None when it cannot say)."""
    if not options:
        return None
    if len(options) == 1:
        return 0
    lines = [f"{i}. {c.value} — 「{_short(c.context, 120)}」" for i, c in enumerate(options, 1)]
    human = f"Question: {question.text}\nOptions:\n" + "\n".join(lines) + "\nAnswer with the number of the option."
    grammar = "root ::= [1-" + str(len(options)) + "]"
    try:
        out = complete(llm, CHOOSE_SYSTEM, human, max_tokens=2, grammar=grammar)
    except Exception:  # noqa: BLE001 - code's own ranking stands
        return None
    m = re.search(r"\d", out)
    if not m or not 1 <= int(m.group(0)) <= len(options):
        return None
    return int(m.group(0)) - 1


def _short(text: str, n: int) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= n else text[: n - 1] + "…"


def phrase(llm, question: Question, facts: Sequence[Fact], language: Language) -> Generator[str, None, str | None]:
    """One sentence answering the question from `facts`, its words yielded as the model writes them; returns
    the sentence (None when the model writes nothing; raises when the model cannot be reached)."""
    ex = next((e for e in fewshot()["phrase"] if e["language"].startswith(language_name(language).split()[0])),
              fewshot()["phrase"][0])
    shot = f"Question: {ex['question']}\nFacts:\n{ex['facts']}\nAnswer in {ex['language']}.\nAnswer: {ex['answer']}"
    listing = "\n".join(f"[{f.n}] {f.kind}: {f.value} — from: 「{_short(f.quote, 160)}」" for f in facts)
    human = (f"{shot}\n\nQuestion: {question.text}\nFacts:\n{listing}\nAnswer in {language_name(language)}.\n"
             "Answer:")
    # Errors are the caller's.
    out = yield from _without_label(complete_streamed(llm, PHRASE_SYSTEM, human, max_tokens=90,
                                                      stop=["\n", "Question:"]))
    out = _LABEL.sub("", out).strip()
    return out or None


_LABEL = re.compile(r"^(Answer|回答)\s*[:：]\s*")
_LABEL_MAX = 8  # the longest label the model may start with ("Answer: ")


def _without_label(pieces: Generator[str, None, str]) -> Generator[str, None, str]:
    """Relay the model's pieces without a leading "Answer:" it may write; return the whole text unchanged."""
    held: str | None = ""  # the start, held back until it is known not to be a label (None: relaying)
    while True:
        try:
            piece = next(pieces)
        except StopIteration as end:
            if held and (start := _LABEL.sub("", held.lstrip())):
                yield start
            return end.value
        if held is None:
            yield piece
            continue
        held += piece
        if len(held.lstrip()) >= _LABEL_MAX:
            start, held = _LABEL.sub("", held.lstrip()), None
            if start:
                yield start


def states(sentence: str, c: Candidate, english: str | None = None) -> bool:
    """Whether a sentence states the candidate's value (dates as dates, names across scripts)."""
    if c.kind == "date" and c.date is not None:
        # Every date the sentence gives must be the chosen one (or an end of its range): a second date
        # from elsewhere ("from 6 December to 12 December") mixes facts.
        ends = [c.date, *([c.date.until] if c.date.until else [])]
        dates = find_dates(sentence)
        return bool(dates) and all(any(d.matches(e) or c.date.contains(d) for e in ends) for d in dates)
    if c.kind in ("quantity", "phone", "time"):
        want = numbers(c.value)
        return bool(want) and want <= numbers(sentence)
    if c.kind == "sentence":
        return True
    return mentions(sentence, c.value, english)


def invented(sentence: str, evidence: Sequence[str], question: Question, allowed_numbers: set[str] = frozenset(),
             glossary_values: Sequence[str] = ()) -> list[str]:
    """Numbers and names a sentence states that neither the evidence nor the question holds."""
    known = " ".join([*evidence, *question.renderings, *glossary_values])
    known_numbers = numbers(known) | set(allowed_numbers)
    out = [n for n in claimed_numbers(sentence) if n not in known_numbers]
    known_fold = fold(known)
    starts = set(_SENTENCE_START.findall(sentence))
    japanese_names = [e.text for text in evidence for e in named_entities(text) if is_japanese(e.text)]
    for name in latin_names(sentence):
        if name in starts and len(name.split()) == 1:
            continue  # a capitalised first word is not a name
        # Dictionary words ("Ministry of the Environment") translate; only name words must be found.
        words = [w for w in re.split(r"[\s\-’']+", name) if len(w) > 2 and w.lower() not in english_words()]
        if all(fold(w) in known_fold for w in words):
            continue
        if any(sounds_alike(j, " ".join(words)) for j in japanese_names):
            continue
        out.append(name)
    for e in named_entities(sentence):
        if is_japanese(e.text) and e.kind in ("person", "place", "country") and fold(e.text) not in known_fold:
            out.append(e.text)
    return out
