"""Claim check: is a statement supported by the documents, not found in them, or contradicted?"""

from __future__ import annotations

import re
import time

from rag.chain import AnswerChain
from rag.citations import SUPPORTED, SupportScorer, numbers, supporting_span
from rag.types import Citation, Passage, Verdict

_SAME_SUBJECT = 0.45  # below this the best passage is about something else: "not found", not "contradicted"


def _citation(n: int, p: Passage, claim: str, score: float) -> Citation:
    span = supporting_span(claim, p)
    return Citation(n=n, chunk_id=p.chunk_id, doc_id=p.doc_id, title=p.title, text=p.text, start=p.start,
                    end=p.end, span_start=span[0], span_end=span[1], support=score, label=p.date_label)


def _years(text: str) -> set[str]:
    return {n for n in numbers(text) if len(n) == 4 and n[:2] in ("19", "20")}


def check(chain: AnswerChain, claim: str) -> Verdict:
    """Judge a claim against the passages retrieval finds for it (numbers and dates compared by code)."""
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    claim = (claim or "").strip()[: chain.settings.question_max_chars]
    from rag.analysis import analyse

    language = analyse(claim).language if claim else "en"
    language = "en" if language == "other" else language
    if not claim:
        return Verdict(claim=claim, label="not_found", explanation="Empty claim.", language=language)
    # The claim's own year is what is being checked, so it must not filter what is retrieved.
    subject = re.sub(r"(?<!\d)(?:19|20)\d{2}\s*年?", " ", claim)
    plan = chain.plan(subject, language, timings)
    candidates = plan.context or plan.retrieved
    scorer = SupportScorer(chain.scorer_embeddings, chain._has_token)
    if not candidates:
        return Verdict(claim=claim, label="not_found", language=language, timings=timings,
                       explanation=plan.abstain_reason or "Nothing in the documents is about this.")
    scores = scorer.scores(claim, candidates)
    best = max(range(len(candidates)), key=lambda i: scores[i])
    p, score = candidates[best], scores[best]
    claim_years = _years(claim)
    evidence_years = set().union(*(_years(f"{c.date_label or ''} {c.index_text}") for c in candidates[:1]))
    timings["total"] = time.perf_counter() - t0
    if plan.gathered is not None and claim_years:
        pick = plan.gathered.chosen[0]
        pick_years = _years(f"{pick.date_label or ''}")
        cite = _citation(1, pick, claim, score)
        if claim_years & pick_years:
            return Verdict(claim=claim, label="supported", evidence=[cite], language=language, timings=timings,
                           explanation=f"The records give {pick.date_label} ({pick.dialogue or pick.title}).")
        return Verdict(claim=claim, label="contradicted", evidence=[cite], language=language, timings=timings,
                       explanation=f"The documents give {pick.date_label}, not {', '.join(sorted(claim_years))}: "
                                   f"{plan.gathered.facts}")
    if score >= SUPPORTED:
        return Verdict(claim=claim, label="supported", evidence=[_citation(1, p, claim, score)],
                       language=language, timings=timings, explanation="A passage states this.")
    # Same subject, different number or date: the documents say otherwise.
    sim_only = SupportScorer(chain.scorer_embeddings, lambda t: False).scores(
        " ".join(w for w in claim.split() if not any(ch.isdigit() for ch in w)), [p])[0]
    if claim_years and evidence_years and not (claim_years & evidence_years) and sim_only >= _SAME_SUBJECT:
        return Verdict(claim=claim, label="contradicted", evidence=[_citation(1, p, claim, score)],
                       language=language, timings=timings,
                       explanation=f"The closest passage ({p.date_label or p.title}) gives "
                                   f"{', '.join(sorted(evidence_years))}, not {', '.join(sorted(claim_years))}.")
    return Verdict(claim=claim, label="not_found", evidence=[_citation(i + 1, c, claim, scores[i])
                                                                for i, c in enumerate(candidates[:3])],
                   language=language, timings=timings,
                   explanation="No passage states this; the closest passages are shown.")
