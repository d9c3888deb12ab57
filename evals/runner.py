"""Run a question set through a pipeline, write results.jsonl, summary.json and the report."""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tqdm import tqdm

from evals.metrics import answer_correct, summarize
from evals.records import (
    CitedPassage,
    QuestionItem,
    ResultRecord,
    RetrievedPassage,
    SentenceRecord,
    Summary,
    load_questions,
    write_jsonl,
)

if TYPE_CHECKING:
    from rag.types import Answer
    from shiori.settings import Settings

AnswerFn = Callable[[str], "Answer"]
PIPELINES = ("shiori", "baseline")
DEFAULT_QUESTIONS = Path(__file__).with_name("questions.jsonl")


def corpus_settings(settings: Settings, corpus: str | None) -> Settings:
    """Settings for questions about another corpus: that folder, indexed on its own (kept between runs)."""
    if corpus is None:
        return settings
    from shiori.settings import PROJECT_ROOT

    folder = (PROJECT_ROOT / corpus).resolve()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", corpus).strip("-")
    return settings.model_copy(update={"corpus_dir": folder,
                                       "index_dir": Path(settings.index_dir).parent / f"eval-{slug}"})


def ensure_index(settings: Settings) -> None:
    """Ingest the settings' corpus when its index is missing or stale."""
    from ingest.pipeline import ingest, needs_ingest

    if needs_ingest(settings):
        from rag.llm.translate import translator_for

        ingest(None, settings, progress=False, translator=translator_for(settings))


def build_pipeline(pipeline: str, settings: Settings) -> AnswerFn:
    """The question -> Answer function of a named pipeline (models load here, once)."""
    if pipeline == "shiori":
        from rag.service import Shiori  # imported lazily: evals must load without models

        service = Shiori(settings)
        return lambda question: service.answer(question)
    if pipeline == "baseline":
        from evals.baseline import BaselinePipeline

        return BaselinePipeline(settings).answer
    raise ValueError(f"unknown pipeline {pipeline!r}; choose one of {', '.join(PIPELINES)}")


def to_record(item: QuestionItem, answer: Answer, latency_s: float, pipeline: str) -> ResultRecord:
    """Flatten a `rag.types.Answer` into the results.jsonl record."""
    return ResultRecord(
        id=item.id,
        question=item.question,
        answer=answer.text,
        abstained=answer.abstained,
        reason=answer.reason,
        citations=[
            CitedPassage(n=c.n, doc=c.doc_id, title=c.title, text=c.text, start=c.start, end=c.end)
            for c in answer.citations
        ],
        retrieved=[RetrievedPassage(doc=p.doc_id, text=p.text, score=p.score) for p in answer.retrieved],
        sentences=[
            SentenceRecord(text=s.text, citations=list(s.citations), supported=s.supported)
            for s in answer.sentences
        ],
        latency_s=round(latency_s, 3),
        lang=item.lang,
        type=item.type,
        pipeline=pipeline,
        error=answer.error,
        timings=dict(answer.timings),
    )


def answer_all(
    items: Sequence[QuestionItem],
    answer_fn: AnswerFn,
    pipeline: str,
    results_path: Path,
    progress: bool = True,
) -> list[ResultRecord]:
    """Answer every question, appending each record to `results_path` as soon as it exists."""
    records: list[ResultRecord] = []
    correct = 0
    bar = tqdm(items, desc=f"eval {pipeline}", unit="q", disable=not progress, dynamic_ncols=True)
    with results_path.open("w", encoding="utf-8") as fh:
        for item in bar:
            t0 = time.perf_counter()
            try:
                rec = to_record(item, answer_fn(item.question), time.perf_counter() - t0, pipeline)
            except Exception as exc:  # one failing question must not lose the whole run
                rec = ResultRecord(
                    id=item.id,
                    question=item.question,
                    latency_s=round(time.perf_counter() - t0, 3),
                    lang=item.lang,
                    type=item.type,
                    pipeline=pipeline,
                    error=f"{type(exc).__name__}: {exc}",
                )
            records.append(rec)
            # Written line by line so a run stopped half-way still leaves usable results.
            fh.write(rec.model_dump_json() + "\n")
            fh.flush()
            correct += answer_correct(item, rec)
            bar.set_postfix(acc=f"{correct / len(records):.2f}", last=f"{rec.latency_s:.1f}s")
    return records


def run_eval(
    questions: Path,
    out: Path,
    limit: int | None,
    pipeline: str,
    settings: Settings,
    *,
    answer_fn: AnswerFn | None = None,
    progress: bool = True,
    report: bool = True,
) -> Summary:
    """Answer the questions with `pipeline`, score them and write results, summary and report into `out`."""
    if pipeline not in PIPELINES:
        raise ValueError(f"unknown pipeline {pipeline!r}; choose one of {', '.join(PIPELINES)}")
    items = load_questions(questions)
    if limit is not None:
        items = items[: max(limit, 0)]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if answer_fn is not None:
        records = answer_all(items, answer_fn, pipeline, out / "results.jsonl", progress=progress)
    else:
        # Questions about another corpus are answered over that corpus's own index.
        records = []
        by_corpus: dict[str | None, list[QuestionItem]] = {}
        for item in items:
            by_corpus.setdefault(item.corpus, []).append(item)
        for corpus, group in by_corpus.items():
            cs = corpus_settings(settings, corpus)
            if corpus is not None:
                ensure_index(cs)
            fn = build_pipeline(pipeline, cs)
            part = out / ("results.jsonl" if corpus is None else f"results-{Path(corpus).name}.jsonl")
            records += answer_all(group, fn, pipeline, part, progress=progress)
        order = {item.id: i for i, item in enumerate(items)}
        records.sort(key=lambda r: order[r.id])
        write_jsonl(out / "results.jsonl", records)
    summary, scores = summarize(items, records, pipeline, questions_file=str(questions))
    if not any(r.sentences for r in records) and any(not r.abstained and not r.error for r in records):
        summary.notices.append("no sentence checks were recorded: support rate is undefined")
    write_jsonl(out / "scores.jsonl", scores)
    (out / "summary.json").write_text(summary.model_dump_json(indent=2), encoding="utf-8")
    if report:
        from evals.report import write_report  # matplotlib is only needed here

        write_report(out, items, records, scores, summary)
    return summary


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m evals.runner`: the same as `shiori eval`, for use before/without the CLI."""
    parser = argparse.ArgumentParser(prog="python -m evals.runner", description=__doc__)
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--pipeline", choices=PIPELINES, default="shiori")
    args = parser.parse_args(argv)

    from shiori.settings import get_settings

    summary = run_eval(args.questions, args.out, args.limit, args.pipeline, get_settings())
    for name, value in summary.rates().items():
        print(f"{name:>20}: {'n/a' if value is None else f'{value:.3f}'}")
    print(f"{'latency p50/p95':>20}: {summary.latency_p50}s / {summary.latency_p95}s")
    print(f"report: {args.out / 'report.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
