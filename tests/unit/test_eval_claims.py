"""The claims set is well formed (balanced, evidence quotes real) and its metrics count what they say."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from evals.claims import ClaimItem, ClaimResult, load_claims, summarize
from evals.normalize import normalize

ROOT = Path(__file__).resolve().parents[2]
ITEMS = load_claims(ROOT / "evals" / "claims.jsonl")


def _texts(corpus: str | None) -> list[str]:
    folder = ROOT / (corpus or "corpus")
    return [normalize(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("[!_]*.txt"))]


def test_at_least_60_claims_a_third_each_both_languages_and_the_other_corpus():
    assert len(ITEMS) >= 60 and len({i.id for i in ITEMS}) == len(ITEMS)
    labels = Counter(i.label for i in ITEMS)
    assert all(abs(labels[k] - len(ITEMS) / 3) <= 3 for k in ("supported", "contradicted", "not_found")), labels
    assert {i.lang for i in ITEMS} == {"ja", "en"}
    assert sum(1 for i in ITEMS if i.corpus) >= 10
    # Perturbations of true claims and series no document covers are all present.
    assert {"year", "venue", "count", "first", "moved", "series", "missing", "unstated"} <= {i.kind for i in ITEMS}


@pytest.mark.parametrize("item", [i for i in ITEMS if i.label != "not_found"], ids=lambda i: i.id)
def test_decided_claims_name_evidence_that_is_in_their_corpus(item: ClaimItem):
    assert item.evidence
    texts = _texts(item.corpus)
    for quote in item.evidence:
        assert any(normalize(quote) in t for t in texts), quote


def test_not_found_claims_have_no_evidence():
    assert all(not i.evidence for i in ITEMS if i.label == "not_found")


def test_summary_counts_confusion_false_supported_and_spans():
    items = [ClaimItem(id=f"c{i}", lang="en", claim="x", label=g, kind="k")
             for i, g in enumerate(["supported", "contradicted", "not_found", "not_found"])]
    results = [
        ClaimResult(id="c0", lang="en", claim="x", gold="supported", predicted="supported", has_span=True),
        ClaimResult(id="c1", lang="en", claim="x", gold="contradicted", predicted="supported", has_span=False),
        ClaimResult(id="c2", lang="en", claim="x", gold="not_found", predicted="not_found"),
        ClaimResult(id="c3", lang="en", claim="x", gold="not_found", predicted="contradicted", has_span=True),
    ]
    s = summarize(results, items)
    assert s.accuracy == 0.5
    assert s.confusion["contradicted"]["supported"] == 1 and s.confusion["not_found"]["contradicted"] == 1
    assert s.false_supported_rate == round(1 / 3, 3)  # one of the three claims that are not supported
    assert s.with_span == round(2 / 3, 3)  # of the three supported/contradicted verdicts, two carry a span
