"""Reports: report.md + report.html for one run, and a side-by-side comparison of several runs."""

from __future__ import annotations

import argparse
import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: CI and servers have no display
import matplotlib.pyplot as plt  # noqa: E402

from evals.records import (  # noqa: E402
    QUESTION_TYPES,
    QuestionItem,
    QuestionScore,
    ResultRecord,
    Summary,
)


@dataclass(frozen=True)
class Run:
    """One run's figures, as loaded from its output folder."""

    label: str
    summary: Summary
    scores: list[QuestionScore]


METRIC_ROWS: tuple[tuple[str, str], ...] = (
    ("answer_accuracy", "Answer accuracy (answerable)"),
    ("abstention_accuracy", "Abstention accuracy (unanswerable)"),
    ("false_abstain_rate", "False-abstain rate (lower is better)"),
    ("overall_accuracy", "Overall accuracy"),
    ("wrong_when_answering", "Wrong when answering (answered but wrong / answered; lower is better)"),
    ("recall@1", "Retrieval recall@1"),
    ("recall@3", "Retrieval recall@3"),
    ("recall@5", "Retrieval recall@5"),
    ("mrr", "MRR"),
    ("citation_recall", "Citation recall"),
    ("citation_precision", "Citation precision"),
    ("support_rate", "Support rate (ALCE-style)"),
)


def _fmt(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def metric_rows(summary: Summary) -> list[tuple[str, str]]:
    """(label, formatted value) for every headline figure of a summary."""
    rates = summary.rates()
    rows = [(label, _fmt(rates.get(key))) for key, label in METRIC_ROWS]
    for lang in ("ja", "en"):  # accuracy beside the share of wrong answers among those given, per language
        rows.append((f"Accuracy ({lang})", _fmt(summary.accuracy_by_lang.get(lang))))
        rows.append((f"Wrong when answering ({lang})", _fmt(summary.wrong_when_answering_by_lang.get(lang))))
    for reason, n in summary.false_abstain_by_reason.items():  # why answerable questions went unanswered
        rows.append((f"False abstentions: {reason}", str(n)))
    rows.append(("Latency p50 (s)", _fmt(summary.latency_p50, 1)))
    rows.append(("Latency p95 (s)", _fmt(summary.latency_p95, 1)))
    return rows


# --- plots (PNG files beside the markdown, embedded as base64 in the html)


def _plot_accuracy(runs: Sequence[Run], path: Path) -> Path:
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6), gridspec_kw={"width_ratios": [1, 2.4]})
    width = 0.8 / max(len(runs), 1)
    for ax, attr, keys, title in (
        (axes[0], "accuracy_by_lang", ("ja", "en"), "Accuracy by language"),
        (axes[1], "accuracy_by_type", QUESTION_TYPES, "Accuracy by question type"),
    ):
        for i, run in enumerate(runs):
            # A type absent from the run gets no bar, not a misleading zero.
            values = [getattr(run.summary, attr).get(k, float("nan")) for k in keys]
            xs = [x + (i - (len(runs) - 1) / 2) * width for x in range(len(keys))]
            bars = ax.bar(xs, values, width=width, label=run.label)
            ax.bar_label(bars, labels=["" if v != v else f"{v:.2f}" for v in values], fontsize=7)
        ax.set_xticks(range(len(keys)), keys)
        ax.set_ylim(0, 1.1)
        ax.set_title(title)
    axes[1].legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _plot_recall(runs: Sequence[Run], path: Path) -> Path:
    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    for run in runs:
        curve = run.summary.recall_curve
        if curve:
            ax.plot(range(1, len(curve) + 1), curve, marker="o", label=run.label)
    ax.set_xlabel("k (passages given to the model, in rank order)")
    ax.set_ylabel("evidence recall@k")
    ax.set_ylim(0, 1.05)
    ax.grid(alpha=0.3)
    ax.set_title("Retrieval recall@k")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _plot_latency(runs: Sequence[Run], path: Path) -> Path:
    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    all_lat = [s.latency_s for run in runs for s in run.scores]
    bins = min(20, max(5, len(all_lat) // 3))
    top = max(all_lat, default=1.0) or 1.0
    for run in runs:
        ax.hist([s.latency_s for s in run.scores], bins=bins, range=(0, top), alpha=0.6, label=run.label)
    ax.set_xlabel("seconds per question")
    ax.set_ylabel("questions")
    ax.set_title("Latency")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _plots(runs: Sequence[Run], out: Path, prefix: str) -> list[tuple[str, Path]]:
    return [
        ("Accuracy by language and question type", _plot_accuracy(runs, out / f"{prefix}accuracy.png")),
        ("Retrieval recall@k", _plot_recall(runs, out / f"{prefix}recall_at_k.png")),
        ("Latency", _plot_latency(runs, out / f"{prefix}latency.png")),
    ]


def _img_tag(title: str, path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<figure><img alt="{html.escape(title)}" src="data:image/png;base64,{data}"><figcaption>{html.escape(title)}</figcaption></figure>'


# --- failures


def _clip(text: str, n: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _failures(
    items: Sequence[QuestionItem], records: Sequence[ResultRecord], scores: Sequence[QuestionScore]
) -> list[tuple[QuestionItem, ResultRecord, QuestionScore]]:
    by_item = {i.id: i for i in items}
    by_rec = {r.id: r for r in records}
    return [(by_item[s.id], by_rec[s.id], s) for s in scores if not s.correct and s.id in by_item]


def _failures_md(failures) -> list[str]:
    lines = [f"## Failed questions ({len(failures)})", ""]
    for item, rec, score in failures:
        lines += [
            f"### {item.id} ({item.lang}, {item.type})",
            "",
            f"- **Question:** {item.question}",
            f"- **Expected:** {item.answer or '(abstain)'}",
            f"- **Answered:** {_clip(rec.answer, 400) or '(empty)'}{' — abstained' if rec.abstained else ''}",
            f"- **Why:** {score.reason}",
            f"- **Evidence ranks:** {score.evidence_ranks or '—'}",
        ]
        for c in rec.citations:
            lines.append(f"  - [{c.n}] {c.doc} {c.start}–{c.end}: {_clip(c.text)}")
        lines.append("")
    return lines


def _failures_html(failures) -> str:
    rows = []
    for item, rec, score in failures:
        cites = "".join(
            f"<li>[{c.n}] <code>{html.escape(c.doc)}</code> {c.start}–{c.end}: {html.escape(_clip(c.text))}</li>"
            for c in rec.citations
        )
        answered = html.escape(rec.answer or "(empty)") + (" <em>(abstained)</em>" if rec.abstained else "")
        rows.append(
            f"<tr><td><code>{html.escape(item.id)}</code></td><td>{html.escape(item.question)}</td>"
            f"<td>{html.escape(item.answer or '(abstain)')}</td><td>{answered}</td>"
            f"<td>{html.escape(score.reason or '')}</td><td><ul>{cites}</ul></td></tr>"
        )
    head = "<tr><th>id</th><th>question</th><th>expected</th><th>answered</th><th>why</th><th>cited</th></tr>"
    return f"<h2>Failed questions ({len(failures)})</h2><table>{head}{''.join(rows)}</table>"


_CSS = (
    "body{font-family:system-ui,'Hiragino Sans','Noto Sans JP',sans-serif;max-width:1100px;margin:2em auto;"
    "padding:0 1em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;"
    "padding:4px 8px;vertical-align:top;font-size:14px}th{background:#f3f3f3}img{max-width:100%}"
    "figure{display:inline-block;margin:0.5em}figcaption{text-align:center;font-size:13px;color:#555}"
    "ul{margin:0;padding-left:1.2em}"
)


def _html_page(title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{_CSS}</style></head><body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )


def _table_html(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    th = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    trs = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{th}</tr>{trs}</table>"


def _table_md(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


# --- one run


def write_report(
    out: Path,
    items: Sequence[QuestionItem],
    records: Sequence[ResultRecord],
    scores: Sequence[QuestionScore],
    summary: Summary,
) -> Path:
    """Write report.md (plots as PNG files beside it) and a self-contained report.html; return the md path."""
    out = Path(out)
    run = Run(summary.pipeline, summary, list(scores))
    plots = _plots([run], out, "")
    failures = _failures(items, records, scores)
    title = f"Shiori eval — {summary.pipeline}"
    facts = (
        f"{summary.n_questions} questions ({summary.n_answerable} answerable, {summary.n_unanswerable} "
        f"unanswerable, {summary.n_errors} errors) from `{summary.questions_file}`, run {summary.created}."
    )
    rows = metric_rows(summary)

    md = [f"# {title}", "", facts, "", *_table_md(("metric", "value"), rows), ""]
    md += [f"Notice: {n}" for n in summary.notices] + ([""] if summary.notices else [])
    md += [f"![{t}]({p.name})" for t, p in plots] + [""]
    md += _failures_md(failures)
    md_path = out / "report.md"
    md_path.write_text("\n".join(md), encoding="utf-8")

    body = (
        f"<p>{html.escape(facts)}</p>"
        + _table_html(("metric", "value"), rows)
        + "".join(f"<p><strong>Notice:</strong> {html.escape(n)}</p>" for n in summary.notices)
        + "".join(_img_tag(t, p) for t, p in plots)
        + _failures_html(failures)
    )
    (out / "report.html").write_text(_html_page(title, body), encoding="utf-8")
    return md_path


# --- several runs side by side


def load_run(folder: Path) -> Run:
    """Load a run folder written by `run_eval` (summary.json + scores.jsonl)."""
    folder = Path(folder)
    summary = Summary.model_validate_json((folder / "summary.json").read_text(encoding="utf-8"))
    lines = (folder / "scores.jsonl").read_text(encoding="utf-8").splitlines()
    scores = [QuestionScore.model_validate_json(line) for line in lines if line.strip()]
    return Run(summary.pipeline, summary, scores)


def _comparison_rows(runs: Sequence[Run]) -> list[list[str]]:
    per_run = [dict(metric_rows(r.summary)) for r in runs]
    rows = [[label] + [d[label] for d in per_run] for label in per_run[0]]
    for qtype in QUESTION_TYPES:
        rows.append([f"Accuracy ({qtype})"] + [_fmt(r.summary.accuracy_by_type.get(qtype)) for r in runs])
    rows.append(["Questions"] + [str(r.summary.n_questions) for r in runs])
    rows.append(["Errors"] + [str(r.summary.n_errors) for r in runs])
    return rows


def compare(dirs: list[Path], out: Path) -> Path:
    """Write comparison.md + comparison.html putting several runs (e.g. shiori, baseline) side by side."""
    runs = [load_run(d) for d in dirs]
    labels = [r.label for r in runs]
    if len(set(labels)) < len(labels):  # two runs of one pipeline: tell them apart by folder
        runs = [
            Run(f"{r.label} ({Path(d).name})", r.summary, r.scores) for r, d in zip(runs, dirs, strict=True)
        ]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    plots = _plots(runs, out, "comparison_")
    header = ["metric", *[r.label for r in runs]]
    rows = _comparison_rows(runs)

    # Questions one pipeline gets right and another wrong are where the difference lives.
    correct = [{s.id: s.correct for s in r.scores} for r in runs]
    ids = [s.id for s in runs[0].scores]
    differ = [
        [qid, *("✓" if c.get(qid) else "✗" for c in correct)]
        for qid in ids
        if len({c.get(qid) for c in correct}) > 1
    ]

    title = "Shiori eval — " + " vs ".join(r.label for r in runs)
    md = [f"# {title}", "", *_table_md(header, rows), ""]
    md += [f"![{t}]({p.name})" for t, p in plots] + [""]
    md += [
        f"## Questions where the runs differ ({len(differ)})",
        "",
        *_table_md(["id", *header[1:]], differ),
        "",
    ]
    md_path = out / "comparison.md"
    md_path.write_text("\n".join(md), encoding="utf-8")
    body = (
        _table_html(header, rows)
        + "".join(_img_tag(t, p) for t, p in plots)
        + f"<h2>Questions where the runs differ ({len(differ)})</h2>"
        + _table_html(["id", *header[1:]], differ)
    )
    (out / "comparison.html").write_text(_html_page(title, body), encoding="utf-8")
    return md_path


def results_markdown(dirs: list[Path], command: str, when: date | None = None) -> str:
    """The text of evals/RESULTS.md: the latest full-run figures side by side, the command and the date."""
    runs = [load_run(d) for d in dirs]
    header = ["metric", *[r.label for r in runs]]
    lines = [
        "# Eval results",
        "",
        f"Date: {(when or date.today()).isoformat()}  ",
        f"Questions: `{runs[0].summary.questions_file}` ({runs[0].summary.n_questions} questions)",
        "",
        "Command:",
        "",
        "```sh",
        command,
        "```",
        "",
        *_table_md(header, _comparison_rows(runs)),
        "",
        "Metric definitions: evals/README.md.",
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m evals.report compare DIR... --out DIR [--results-md PATH --command CMD]`."""
    parser = argparse.ArgumentParser(prog="python -m evals.report")
    sub = parser.add_subparsers(dest="cmd", required=True)
    cmp_ = sub.add_parser("compare", help="side-by-side report of several run folders")
    cmp_.add_argument("dirs", nargs="+", type=Path)
    cmp_.add_argument("--out", type=Path, required=True)
    cmp_.add_argument("--results-md", type=Path, default=None, help="also write RESULTS.md here")
    cmp_.add_argument("--command", default="", help="the command line to record in RESULTS.md")
    args = parser.parse_args(argv)
    print(compare(args.dirs, args.out))
    if args.results_md:
        args.results_md.write_text(results_markdown(args.dirs, args.command), encoding="utf-8")
        print(args.results_md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
