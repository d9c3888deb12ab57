"""When the documents cannot answer: the abstain policy, decided from the evidence of every document."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ingest.names import equivalence, equivalents_in, mentions, named_in
from rag import messages
from rag.answer.facts import missing_part, why_no_sentence
from rag.find.evidence import Evidence, kinds_for
from rag.read.question import Question
from rag.series.catalog import Catalog
from rag.series.sentences import Composer
from rag.types import Statement


class Abstention(NamedTuple):
    """Why an answer abstains: a short code (`Answer.reason`, counted by `shiori eval`) and what the asker reads."""

    reason: str
    text: str


def abstain_reason(ev: Evidence, language: str, catalog: Catalog) -> Abstention | None:
    """Why the documents cannot answer, from the evidence of every document (None: they can)."""
    q = ev.question
    if ev.records is not None and ev.records.kind == "missing":
        return Abstention("meeting_not_listed", Composer(catalog, q).missing(ev.records))
    if ev.unknown and (ev.records is None or not _names_cover(ev)):
        return Abstention("name_not_in_documents",
                          messages.say("not_covered", language, names=messages.listed(ev.unknown, language)))
    if ev.records is None and not ev.relevant:
        return Abstention("nothing_relevant", messages.say("not_in_documents", language))
    if ev.records is None:
        asked = [t for t in q.types if kinds_for(t, q)]
        if asked and asked[0] == q.types[0] and not ev.of_kind(*kinds_for(asked[0], q)) and not q.count:
            return Abstention("no_value_of_kind", messages.say("not_in_documents", language))
    return None


def unbound_reason(ev: Evidence) -> str:
    """Why no value found answers: what the best value of the asked kind leaves unstated ("unbound:relation"),
    by the first of its missing parts; else "no_value:" and the asked type ("no_value:how_many")."""
    q = ev.question
    kinds = next((k for t in q.types if (k := kinds_for(t, q))), None)
    best = next((c for c in ev.of_kind(*kinds) if c.missing), None) if kinds else None
    if best:
        return f"unbound:{missing_part(best.missing[0])}"
    if not kinds and q.types and q.types[0] in ("what", "why_how"):
        return f"{q.types[0]}:{why_no_sentence(ev, q)}"
    return f"no_value:{q.types[0] if q.types else 'none'}{'+count' if q.count else ''}"


def _names_cover(ev: Evidence) -> bool:
    """Whether the series the question was matched to carry the names code could not find elsewhere."""
    names = " ".join(n for m in ev.series for n in m.series.names)
    return all(u in names for u in ev.unknown)


def names_a_choice(q: Question, statements: Sequence[Statement]) -> bool:
    """Whether an answer to an either-or question names one of its choices ("in person or online?": a way of
    meeting, whichever; "Tokyo or Osaka?": one of the two). Questions offering no choice pass."""
    if not q.alternatives:
        return True
    text = " ".join(x for st in statements for x in (st.text, st.quote_ja or "") if x)
    if any(equivalence(a) is not None for a in q.alternatives):
        return bool(equivalents_in(text))
    return any(mentions(text, a.split()[-1]) or named_in(a.split()[-1], text) for a in q.alternatives)
