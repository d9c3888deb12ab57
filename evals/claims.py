"""The claims eval: each claim of evals/claims.jsonl checked by Shiori, scored against its gold verdict.

Reported: accuracy, a confusion matrix (gold × predicted), the rate of false "supported" (the error that
matters most: a wrong claim approved), whether every verdict carries an evidence span, and whether the
evidence holds the gold quote. Claims about another corpus are checked over that corpus's own index.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from evals.normalize import normalize
from evals.records import write_jsonl
from shiori.versions import installed

Label = Literal["supported", "contradicted", "not_found"]
LABELS: tuple[Label, ...] = ("supported", "contradicted", "not_found")
# What Shiori may answer besides the gold labels: the documents disagree (never right against a gold label).
Predicted = Literal["supported", "contradicted", "not_found", "disputed"]
PREDICTED: tuple[Predicted, ...] = (*LABELS, "disputed")
DEFAULT_CLAIMS = Path(__file__).with_name("claims.jsonl")


class ClaimItem(BaseModel):
    """One line of evals/claims.jsonl."""

    id: str
    lang: Literal["ja", "en"]
    claim: str
    label: Label
    kind: str = ""  # what was perturbed: year, venue, count, first, series, unstated …
    evidence: list[str] = Field(default_factory=list)  # exact quotes the verdict should rest on
    corpus: str | None = None


class ClaimResult(BaseModel):
    """One checked claim."""

    id: str
    lang: str
    claim: str
    gold: Label
    predicted: Predicted | None = None
    explanation: str = ""
    evidence: list[dict] = Field(default_factory=list)  # {doc, span, text}
    has_span: bool = False
    evidence_hit: bool | None = None
    error: str | None = None
    latency_s: float = 0.0


class ClaimSummary(BaseModel):
    """The figures of a claims run."""

    n: int = 0
    accuracy: float = 0.0
    false_supported_rate: float = 0.0  # predicted supported among claims that are not supported
    confusion: dict[str, dict[str, int]] = Field(default_factory=dict)  # gold -> predicted -> count
    with_span: float = 0.0  # share of supported/contradicted verdicts carrying an evidence span
    evidence_hit: float | None = None  # share of those whose evidence holds a gold quote
    by_language: dict[str, float] = Field(default_factory=dict)
    by_kind: dict[str, float] = Field(default_factory=dict)
    latency_p50: float = 0.0
    versions: dict[str, str | None] = Field(default_factory=installed)  # the libraries that decide verdicts


def load_claims(path: Path) -> list[ClaimItem]:
    """Read a claims file (JSONL)."""
    return [ClaimItem.model_validate_json(line) for line in Path(path).read_text(encoding="utf-8").splitlines()
            if line.strip()]


def to_result(item: ClaimItem, verdict, latency: float) -> ClaimResult:
    """Flatten a `rag.types.Verdict`."""
    spans = [{"doc": c.doc_id, "span": c.text[c.span_start:c.span_end], "text": c.text} for c in verdict.evidence]
    has_span = bool(spans) and all(s["span"].strip() for s in spans)
    hit = None
    if item.evidence and verdict.label in ("supported", "contradicted"):
        cited = normalize(" ".join(s["text"] for s in spans))
        hit = any(normalize(q) in cited for q in item.evidence)
    return ClaimResult(id=item.id, lang=item.lang, claim=item.claim, gold=item.label, predicted=verdict.label,
                       explanation=verdict.explanation, evidence=spans, has_span=has_span, evidence_hit=hit,
                       latency_s=round(latency, 3))


def summarize(results: list[ClaimResult], items: list[ClaimItem]) -> ClaimSummary:
    """Accuracy, confusion matrix, false-supported rate and evidence figures."""
    kinds = {i.id: i.kind for i in items}
    n = len(results)
    ok = [r for r in results if r.predicted == r.gold]
    not_supported = [r for r in results if r.gold != "supported"]
    confusion = {g: {p: sum(1 for r in results if r.gold == g and r.predicted == p) for p in PREDICTED}
                 for g in LABELS}
    decided = [r for r in results if r.predicted in ("supported", "contradicted")]
    hits = [r.evidence_hit for r in results if r.evidence_hit is not None]
    by_lang = {lang: sum(r.predicted == r.gold for r in rs) / len(rs)
               for lang in ("ja", "en") if (rs := [r for r in results if r.lang == lang])}
    by_kind = {k: sum(r.predicted == r.gold for r in rs) / len(rs)
               for k in sorted(set(kinds.values())) if (rs := [r for r in results if kinds[r.id] == k])}
    lat = sorted(r.latency_s for r in results)
    return ClaimSummary(
        n=n, accuracy=round(len(ok) / n, 3) if n else 0.0,
        false_supported_rate=round(sum(r.predicted == "supported" for r in not_supported) / len(not_supported), 3)
        if not_supported else 0.0,
        confusion=confusion,
        with_span=round(sum(r.has_span for r in decided) / len(decided), 3) if decided else 0.0,
        evidence_hit=round(sum(hits) / len(hits), 3) if hits else None,
        by_language={k: round(v, 3) for k, v in by_lang.items()},
        by_kind={k: round(v, 3) for k, v in by_kind.items()},
        latency_p50=lat[len(lat) // 2] if lat else 0.0,
    )


def report_markdown(summary: ClaimSummary, results: list[ClaimResult], title: str = "Claims eval") -> str:
    """The report: figures, the confusion matrix, and every wrong verdict."""
    lines = [f"# {title}", "", f"- claims: {summary.n}", f"- accuracy: **{summary.accuracy:.3f}**",
             f"- false \"supported\" rate: **{summary.false_supported_rate:.3f}**",
             f"- verdicts with an evidence span (supported/contradicted): {summary.with_span:.3f}",
             f"- evidence holds the gold quote: "
             f"{'n/a' if summary.evidence_hit is None else f'{summary.evidence_hit:.3f}'}",
             f"- by language: {', '.join(f'{k} {v:.3f}' for k, v in summary.by_language.items())}",
             f"- by kind: {', '.join(f'{k} {v:.2f}' for k, v in summary.by_kind.items())}",
             f"- latency p50: {summary.latency_p50:.2f} s", "",
             "| gold \\ predicted | " + " | ".join(LABELS) + " |", "| --- |" + " --- |" * len(LABELS)]
    for g in LABELS:
        lines.append(f"| {g} | " + " | ".join(str(summary.confusion[g][p]) for p in LABELS) + " |")
    wrong = [r for r in results if r.predicted != r.gold]
    if wrong:
        lines += ["", "## Wrong verdicts", ""]
        for r in wrong:
            lines.append(f"- `{r.id}` {r.claim} — gold **{r.gold}**, got **{r.predicted}**: {r.explanation}")
    return "\n".join(lines) + "\n"


def run_claims(path: Path, out: Path, settings, *, check: Callable | None = None,
               progress: bool = True) -> ClaimSummary:
    """Check every claim, write results.jsonl, summary.json and report.md into `out`."""
    from tqdm import tqdm

    from evals.runner import corpus_settings, ensure_index

    items = load_claims(path)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    results: list[ClaimResult] = []
    checkers: dict[str | None, Callable] = {}
    for item in tqdm(items, desc="claims", unit="claim", disable=not progress):
        fn = check
        if fn is None:
            if item.corpus not in checkers:
                from rag.service import Shiori

                cs = corpus_settings(settings, item.corpus)
                if item.corpus is not None:
                    ensure_index(cs)
                checkers[item.corpus] = Shiori(cs).check
            fn = checkers[item.corpus]
        t0 = time.perf_counter()
        try:
            results.append(to_result(item, fn(item.claim), time.perf_counter() - t0))
        except Exception as e:  # one failing claim must not lose the run
            results.append(ClaimResult(id=item.id, lang=item.lang, claim=item.claim, gold=item.label,
                                       error=f"{type(e).__name__}: {e}", latency_s=time.perf_counter() - t0))
    summary = summarize(results, items)
    write_jsonl(out / "results.jsonl", results)
    (out / "summary.json").write_text(summary.model_dump_json(indent=2), encoding="utf-8")
    (out / "report.md").write_text(report_markdown(summary, results), encoding="utf-8")
    return summary


def label_counts(items: list[ClaimItem]) -> Counter:
    """How many claims of each gold label."""
    return Counter(i.label for i in items)
