"""Candidates bound to a question without an index: hand-made passages read by extract → score → Binder,
as rag.find.evidence does (no model, no retrieval)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from rag.read.question import Question, read_question
from rag.types import Passage
from rag.values.binding import Binder
from rag.values.candidates import Candidate, extract, score


def passage(text: str, doc: str = "d", section: str | None = None) -> Passage:
    """A passage that is its whole document (offsets index `text`)."""
    return Passage(chunk_id=f"{doc}:0", doc_id=doc, title=doc, text=text, start=0, end=len(text), section=section)


def ask(question: str, ja: str | None = None) -> Question:
    """A question as code reads it, with its Japanese rendering when asked in English."""
    return read_question(question).with_japanese(ja)


def bound(q: Question | str, docs: str | Mapping[str, str], *, titles: Mapping[str, str] | None = None,
          meetings: Mapping[str, int | None] | None = None, about: Sequence[str] = (),
          sections: Mapping[str, str] | None = None, series: Sequence[str] = ()) -> list[Candidate]:
    """Every scored candidate of the docs (doc id → text) with what its clause leaves unstated (`missing`);
    `series`: the names of the series the question was matched to."""
    q = read_question(q) if isinstance(q, str) else q
    texts = {"d": docs} if isinstance(docs, str) else dict(docs)
    passages = [passage(t, d, (sections or {}).get(d)) for d, t in texts.items()]
    binder = Binder(q, texts, meetings or {}, titles or {}, about, series)
    return [dataclasses.replace(c, missing=binder.bind(c).missing)
            for c in score(extract(q, passages, texts), q, lambda _: 1.0, about)]


def of(cands: Sequence[Candidate], kind: str, value: str) -> Candidate:
    """The candidate of this kind and value (fails the test when there is none)."""
    found = [c for c in cands if c.kind == kind and c.value == value]
    assert found, f"no {kind} {value!r} among {[(c.kind, c.value) for c in cands if c.kind != 'sentence']}"
    return found[0]


def answers(cands: Sequence[Candidate], *kinds: str) -> list[str]:
    """The values that answer the question (bound), best first."""
    return [c.value for c in cands if c.kind in kinds and c.bound]
