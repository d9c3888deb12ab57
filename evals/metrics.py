"""Scoring: per-question scores and the run summary (definitions in evals/README.md)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

from evals.normalize import contains, satisfies
from evals.records import QuestionItem, QuestionScore, ResultRecord, Summary

RECALL_KS: tuple[int, ...] = (1, 3, 5)


def answer_correct(item: QuestionItem, rec: ResultRecord) -> bool:
    """Answerable: did not abstain, no error, and every must_include group matched. Unanswerable: abstained."""
    if rec.error:
        return False
    if not item.answerable:
        return rec.abstained
    return not rec.abstained and satisfies(rec.answer, item.must_include)


def evidence_ranks(item: QuestionItem, rec: ResultRecord) -> list[int | None]:
    """For each evidence quote, the 1-based rank of the first retrieved passage containing it (None: absent)."""
    ranks: list[int | None] = []
    for quote in item.evidence:
        hit = next((i for i, p in enumerate(rec.retrieved, 1) if contains(p.text, quote)), None)
        ranks.append(hit)
    return ranks


def recall_at(ranks: Sequence[int | None], k: int) -> float:
    """Share of evidence quotes found within the top k."""
    if not ranks:
        return 0.0
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks)


def citation_recall(item: QuestionItem, rec: ResultRecord) -> float:
    """Share of evidence quotes that occur in some cited passage."""
    if not item.evidence:
        return 0.0
    found = sum(1 for q in item.evidence if any(contains(c.text, q) for c in rec.citations))
    return found / len(item.evidence)


def citation_precision(item: QuestionItem, rec: ResultRecord) -> float | None:
    """Share of citations whose passage contains an evidence quote (None when nothing was cited)."""
    if not rec.citations:
        return None
    good = sum(1 for c in rec.citations if any(contains(c.text, q) for q in item.evidence))
    return good / len(rec.citations)


def _failure_reason(item: QuestionItem, rec: ResultRecord) -> str:
    if rec.error:
        return f"error: {rec.error}"
    if not item.answerable:
        return "answered an unanswerable question"
    if rec.abstained:
        return "abstained on an answerable question"
    missing = [g for g in item.must_include if not any(contains(rec.answer, a) for a in g)]
    return "missing: " + "; ".join(" | ".join(g) for g in missing)


def score_question(item: QuestionItem, rec: ResultRecord) -> QuestionScore:
    """Score one result against its question."""
    correct = answer_correct(item, rec)
    ranks = evidence_ranks(item, rec) if item.answerable else []
    hits = [r for r in ranks if r is not None]
    # Sentences only count for answers that say something; an abstention has no claims to support.
    sentences = [] if rec.abstained else rec.sentences
    return QuestionScore(
        id=item.id,
        lang=item.lang,
        type=item.type or "fact",
        answerable=item.answerable,
        correct=correct,
        abstained=rec.abstained,
        error=rec.error,
        evidence_ranks=ranks,
        first_hit_rank=min(hits) if hits else None,
        citation_recall=citation_recall(item, rec) if item.answerable and item.evidence else None,
        citation_precision=citation_precision(item, rec) if item.answerable and item.evidence else None,
        sentences_total=len(sentences),
        sentences_supported=sum(1 for s in sentences if s.supported),
        latency_s=rec.latency_s,
        reason=None if correct else _failure_reason(item, rec),
    )


def _mean(values: Sequence[float]) -> float | None:
    return float(sum(values) / len(values)) if values else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (linear interpolation, as numpy) or None for no values."""
    return float(np.percentile(np.asarray(values, dtype=float), q)) if values else None


def summarize(
    items: Sequence[QuestionItem],
    records: Sequence[ResultRecord],
    pipeline: str,
    questions_file: str = "",
    max_k: int | None = None,
) -> tuple[Summary, list[QuestionScore]]:
    """Score every result against its question and aggregate the run's figures."""
    by_id = {i.id: i for i in items}
    scores = [score_question(by_id[r.id], r) for r in records if r.id in by_id]
    answerable = [s for s in scores if s.answerable]
    unanswerable = [s for s in scores if not s.answerable]
    with_evidence = [s for s in answerable if s.evidence_ranks]

    longest = max((len(r.retrieved) for r in records), default=0)
    k_max = max_k or max(longest, max(RECALL_KS))
    curve = [recall_at_mean(with_evidence, k) for k in range(1, k_max + 1)] if with_evidence else []

    total_sent = sum(s.sentences_total for s in scores)
    answered = [s for s in scores if not s.abstained]
    by_lang: dict[str, list[bool]] = defaultdict(list)
    by_type: dict[str, list[bool]] = defaultdict(list)
    wrong_by_lang: dict[str, list[bool]] = defaultdict(list)
    wrong_by_type: dict[str, list[bool]] = defaultdict(list)
    for s in scores:
        by_lang[s.lang].append(s.correct)
        by_type[s.type].append(s.correct)
    for s in answered:
        wrong_by_lang[s.lang].append(not s.correct)
        wrong_by_type[s.type].append(not s.correct)
    reasons = {r.id: r.reason or "unstated" for r in records}
    why = Counter(reasons.get(s.id, "unstated") for s in scores if s.abstained)
    why_false = Counter(reasons.get(s.id, "unstated") for s in answerable if s.abstained)

    summary = Summary(
        pipeline=pipeline,
        questions_file=questions_file,
        n_questions=len(scores),
        n_answerable=len(answerable),
        n_unanswerable=len(unanswerable),
        n_errors=sum(1 for s in scores if s.error),
        answer_accuracy=_mean([float(s.correct) for s in answerable]),
        abstention_accuracy=_mean([float(s.correct) for s in unanswerable]),
        false_abstain_rate=_mean([float(s.abstained) for s in answerable]),
        overall_accuracy=_mean([float(s.correct) for s in scores]),
        wrong_when_answering=_mean([float(not s.correct) for s in answered]),
        recall_at_k={k: (curve[k - 1] if curve else None) for k in RECALL_KS},
        recall_curve=curve,
        mrr=_mean([1.0 / s.first_hit_rank if s.first_hit_rank else 0.0 for s in with_evidence]),
        citation_recall=_mean([s.citation_recall for s in answerable if s.citation_recall is not None]),
        citation_precision=_mean(
            [s.citation_precision for s in answerable if s.citation_precision is not None]
        ),
        support_rate=(sum(s.sentences_supported for s in scores) / total_sent) if total_sent else None,
        latency_p50=percentile([s.latency_s for s in scores], 50),
        latency_p95=percentile([s.latency_s for s in scores], 95),
        accuracy_by_lang={k: sum(v) / len(v) for k, v in sorted(by_lang.items())},
        accuracy_by_type={k: sum(v) / len(v) for k, v in sorted(by_type.items())},
        wrong_when_answering_by_lang={k: sum(v) / len(v) for k, v in sorted(wrong_by_lang.items())},
        wrong_when_answering_by_type={k: sum(v) / len(v) for k, v in sorted(wrong_by_type.items())},
        abstained_by_reason=dict(why.most_common()),
        false_abstain_by_reason=dict(why_false.most_common()),
        failed=[s.id for s in scores if not s.correct],
    )
    return summary, scores


def recall_at_mean(scores: Sequence[QuestionScore], k: int) -> float:
    """Mean over questions of the share of their evidence quotes retrieved within the top k."""
    return sum(recall_at(s.evidence_ranks, k) for s in scores) / len(scores)
