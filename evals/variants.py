"""Layout variants of the corpus: every table re-rendered in another common layout, the text around it kept.

The records read from a variant must equal the records read from the original (metamorphic tests in
tests/unit/test_layout_variants.py). Each layout folder written by the CLI is a whole corpus, so
`shiori ingest` / `shiori eval` can be run over it as well:

    python -m evals.variants --out DIR [--corpus corpus] [--layout markdown --layout csv ...] [--check]
"""

from __future__ import annotations

import argparse
import csv
import html
import io
import json
import shutil
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.loaders import SIDECAR_SUFFIX, discover, load_document
from ingest.records import read_document, same_series
from ingest.schema import Record, SourceDocument
from ingest.tables import Table

# layout -> (file suffix, keeps the sidecar, keeps the rows' note/link lines)
LAYOUTS: dict[str, tuple[str, bool, bool]] = {
    "markdown": (".md", True, True),  # | a | b | rows under a ---|--- rule; notes in rows of their own (last column)
    "html": (".html", False, True),  # <table>, title in <title>; notes are links inside the last cell
    "csv": (".txt", True, False),  # the table as CSV lines in the text: a CSV row has no place for notes
    "csv_block": (".md", True, False),  # the same CSV lines as a fenced ```csv block
    "one_line": (".txt", True, True),  # "第1回 (2014年) ハノイ 概要…", notes on the lines below
    "pipe_split": (".txt", True, True),  # "第1回 (2014年) |" then "ハノイ | 概要… |", notes as "note | ||"
    "spaces": (".txt", True, True),  # columns aligned with 2+ spaces, notes on the lines below
    "tabs": (".txt", True, True),  # columns separated by tabs, notes on the lines below
    "no_sidecar": (".txt", False, True),  # the original text without its .meta.json: the title comes from the text
}


@dataclass(frozen=True)
class _Row:
    cells: tuple[str, ...]  # key first, then one value per column (may be ""), lines joined
    lines: tuple[tuple[str, ...], ...]  # each cell's lines as the source wrapped them
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Variant:
    """One document rendered in one layout: file name, text, and the sidecar to write (None: no sidecar)."""

    layout: str
    name: str
    text: str
    sidecar: dict[str, str] | None
    keeps_notes: bool


def _rows(text: str, table: Table) -> tuple[tuple[str, ...] | None, list[_Row]]:
    width = max([len(table.header or ())] + [len(r.cells) for r in table.rows])
    rows = []
    for row in table.rows:
        pad = width - len(row.cells)
        cells = [c.text for c in row.cells] + [""] * pad
        lines = [tuple(ln.strip() for ln in text[c.start:c.end].split("\n") if ln.strip()) for c in row.cells]
        rows.append(_Row(tuple(cells), tuple(lines) + ((),) * pad, tuple(n.text for n in row.notes)))
    return table.header, rows


def _display_width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _display_width(s))


def _render_markdown(header: tuple[str, ...] | None, rows: list[_Row]) -> str:
    n = len(rows[0].cells)
    out = []
    if header:
        out.append("| " + " | ".join(header) + " |")
        out.append("|" + "---|" * n)
    for row in rows:
        out.append("| " + " | ".join(row.cells) + " |")
        # A link under a row sits in the last column, as converters write a cell's link line.
        out.extend("| " + " | ".join([""] * (n - 1) + [note]) + " |" for note in row.notes)
    return "\n".join(out)


def _render_pipe_split(header: tuple[str, ...] | None, rows: list[_Row]) -> str:
    n = len(rows[0].cells)
    out = []
    if header:
        out.append(" | ".join(header) + " |")
        out.append("---|" * n)
    for row in rows:
        out.append(f"{row.cells[0]} |")
        out.append(" | ".join(row.cells[1:]) + " |")
        out.extend(f"{note} | " + "|" * (n - 1) for note in row.notes)
    return "\n".join(out)


def _render_separated(header: tuple[str, ...] | None, rows: list[_Row], sep: str) -> str:
    out = []
    if header:
        out.append(sep.join(header))
    for row in rows:
        # A single space cannot show an empty cell; a tab can.
        out.append(sep.join(c for c in row.cells if c or sep != " "))
        out.extend(row.notes)
    return "\n".join(out)


def _render_spaces(header: tuple[str, ...] | None, rows: list[_Row]) -> str:
    n = len(rows[0].cells)
    lines = [list(header)] if header else []
    lines += [list(r.cells) for r in rows]
    # Every column but the last padded to its widest cell, then two spaces.
    widths = [max(_display_width(line[i]) for line in lines if i < len(line)) for i in range(n - 1)]
    out = []

    def fmt(cells: Sequence[str]) -> str:
        return "  ".join(_pad(c, widths[i]) if i < n - 1 else c for i, c in enumerate(cells)).rstrip()

    if header:
        out.append(fmt(header))
    for row in rows:
        out.append(fmt(row.cells))
        out.extend(row.notes)
    return "\n".join(out)


def _render_csv(header: tuple[str, ...] | None, rows: list[_Row]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if header:
        writer.writerow(header)
    for row in rows:
        writer.writerow(row.cells)
    return buf.getvalue().rstrip("\n")


def _render_table(text: str, table: Table, layout: str) -> str:
    header, rows = _rows(text, table)
    if layout == "markdown":
        return _render_markdown(header, rows)
    if layout == "pipe_split":
        return _render_pipe_split(header, rows)
    if layout == "one_line":
        return _render_separated(header, rows, " ")
    if layout == "tabs":
        return _render_separated(header, rows, "\t")
    if layout == "spaces":
        return _render_spaces(header, rows)
    if layout == "csv":
        return _render_csv(header, rows)
    if layout == "csv_block":
        return "```csv\n" + _render_csv(header, rows) + "\n```"
    raise ValueError(f"no text rendering for layout {layout!r}")


def _html_table(text: str, table: Table) -> str:
    header, rows = _rows(text, table)
    esc = html.escape
    out = ["<table>"]
    if header:
        out.append("<thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in header) + "</tr></thead>")
    out.append("<tbody>")
    for row in rows:
        # Lines the source wrapped inside a cell become <br>; the last cell's lines and the row's links
        # are paragraphs inside that cell, as on the ministry pages.
        cells = ["<br>".join(esc(ln) for ln in lines) for lines in row.lines]
        cells[-1] = "".join(f"<p>{esc(ln)}</p>" for ln in row.lines[-1])
        cells[-1] += "".join(f'<p><a href="#">{esc(note)}</a></p>' for note in row.notes)
        out.append(f"<tr><th>{cells[0]}</th>" + "".join(f"<td>{c}</td>" for c in cells[1:]) + "</tr>")
    out.append("</tbody>")
    out.append("</table>")
    return "\n".join(out)


def _html_text(text: str) -> str:
    return "\n".join(f"<p>{html.escape(line.strip())}</p>" for line in text.split("\n") if line.strip())


def _replace_tables(text: str, tables: Iterable[Table], render) -> list[str]:
    """The text cut around the tables: [text, table, text, table, …, text], tables rendered."""
    parts, pos = [], 0
    for table in sorted(tables, key=lambda t: t.start):
        parts.append(text[pos:table.start])
        parts.append(render(table))
        pos = table.end
    parts.append(text[pos:])
    return parts


def _sidecar_of(doc: SourceDocument) -> dict[str, str]:
    prov = doc.provenance
    keys = ("title", "title_en", "publisher", "kind", "language", "url")
    return {k: getattr(prov, k) for k in keys if getattr(prov, k)}


def render_document(doc: SourceDocument, layout: str) -> Variant:
    """`doc` with every table rendered in `layout` (a document without tables is kept as it is)."""
    suffix, sidecar, keeps_notes = LAYOUTS[layout]
    stem = Path(doc.path).stem
    tables = read_document(doc).tables
    meta = _sidecar_of(doc) if sidecar else None
    if layout == "no_sidecar":
        text = doc.text
    elif layout == "html":
        parts = _replace_tables(doc.text, tables, lambda t: _html_table(doc.text, t))
        body = "\n".join(part if i % 2 else _html_text(part) for i, part in enumerate(parts) if part.strip())
        title = html.escape(doc.provenance.title)
        lang = doc.provenance.language or "ja"
        text = (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
                f"</head>\n<body>\n{body}\n</body>\n</html>\n")
    else:
        parts = _replace_tables(doc.text, tables, lambda t: _render_table(doc.text, t, layout))
        text = "".join(parts)
    if not tables and layout not in ("no_sidecar", "html"):
        suffix = Path(doc.path).suffix  # nothing to re-render: the document as it is
    return Variant(layout, stem + suffix, text, meta, keeps_notes)


def write_variant(variant: Variant, folder: Path) -> Path:
    """Write a variant (and its sidecar) into `folder`; returns the document's path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / variant.name
    path.write_text(variant.text, encoding="utf-8")
    if variant.sidecar is not None:
        sidecar = path.with_name(path.stem + SIDECAR_SUFFIX)
        sidecar.write_text(json.dumps(variant.sidecar, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def write_variants(corpus: Path, out: Path, layouts: Sequence[str] = tuple(LAYOUTS)) -> dict[str, list[Path]]:
    """One folder per layout under `out`, each a whole corpus with its tables re-rendered."""
    docs = [load_document(p) for p in discover([corpus])]
    written: dict[str, list[Path]] = {}
    for layout in layouts:
        folder = out / layout
        if folder.exists():
            shutil.rmtree(folder)
        written[layout] = [write_variant(render_document(doc, layout), folder) for doc in docs]
    return written


def _check(corpus: Path, written: dict[str, list[Path]]) -> int:
    """Print, per layout, the table records that differ from the original's; returns how many differ."""
    originals = {Path(p).stem: read_document(load_document(p)) for p in discover([corpus])}
    bad = 0
    for layout, paths in written.items():
        keeps_notes = LAYOUTS[layout][2]
        for path in paths:
            model = originals[path.stem]
            before = [record_key(r, keeps_notes) for r in model.records if r.source == "table"]
            series = [expected_series(r, model.subject.name, keeps_notes) for r in model.records if r.source == "table"]
            after_model = read_document(load_document(path))
            after = [r for r in after_model.records if r.source == "table"]
            diff = [(a, record_key(b, keeps_notes)) for a, b in zip(before, after, strict=False)
                    if a != record_key(b, keeps_notes)]
            diff += [((s,), (b.series,)) for s, b in zip(series, after, strict=False) if not same_series(s, b.series)]
            if len(before) != len(after) or diff:
                bad += 1
                print(f"{layout}/{path.name}: {len(before)} rows before, {len(after)} after")
                for a, b in diff[:5]:
                    print(f"   was {a}\n   now {b}")
    return bad


def record_key(record: Record, keeps_notes: bool = True) -> tuple:
    """What a layout must not change in a table record: number, year/month, place, summary, notes."""
    date = (record.date.year, record.date.month) if record.date else None
    notes = tuple(squash(n.value) for n in record.notes) if keeps_notes else ()
    return (record.number, date, squash(record.place), squash(record.summary), notes)


def expected_series(record: Record, subject: str, keeps_notes: bool) -> str:
    """The series a variant's record must have: a series named only by the row's link lines (another
    series than the document's) is the document's subject where the layout drops those lines."""
    return record.series if keeps_notes else subject


def squash(text: str | None) -> str:
    """NFKC with every whitespace removed (layouts may wrap or join lines)."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def eval_variants(corpus: Path, written: dict[str, list[Path]], out: Path, questions: Path) -> dict:
    """Answer the question set over the original corpus and over each layout, and compare verdicts.

    Without the LLM (llm_backend "none"), so an answer is a function of the evidence alone: what differs
    between layouts is what the layout changed in the evidence.
    """
    from evals.metrics import answer_correct
    from evals.records import load_questions
    from evals.runner import answer_all, build_pipeline
    from ingest.pipeline import ingest
    from shiori.settings import get_settings

    items = [i for i in load_questions(questions) if i.corpus is None]
    folders = {"original": Path(corpus), **{layout: out / layout for layout in written}}
    verdicts: dict[str, dict[str, tuple[bool, bool]]] = {}
    for name, folder in folders.items():
        settings = get_settings().model_copy(update={
            "corpus_dir": folder, "index_dir": out / ".index" / name, "llm_backend": "none",
            "translate_names": False})
        ingest(None, settings, progress=False)
        records = answer_all(items, build_pipeline("shiori", settings), "shiori", out / f"results-{name}.jsonl",
                             progress=False)
        verdicts[name] = {r.id: (bool(answer_correct(i, r)), r.abstained) for i, r in zip(items, records, strict=True)}
    base = verdicts["original"]
    report = {"questions": len(items), "layouts": {}}
    for name, v in verdicts.items():
        same = sum(v[q] == base[q] for q in base) / len(base)
        report["layouts"][name] = {"same_verdict": round(same, 3), "accuracy": round(
            sum(c for c, _ in v.values()) / len(v), 3),
            "differs": [q for q in base if v[q] != base[q]]}
    (out / "variants_eval.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: write the layout variants of a corpus (and optionally check their records)."""
    parser = argparse.ArgumentParser(prog="python -m evals.variants", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write one sub-folder per layout into")
    parser.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[1] / "corpus")
    parser.add_argument("--layout", action="append", choices=list(LAYOUTS), help="layouts (default: all)")
    parser.add_argument("--check", action="store_true", help="compare each variant's table records with the original's")
    parser.add_argument("--eval", action="store_true",
                        help="answer the question set over each layout (no LLM) and compare verdicts with the original")
    parser.add_argument("--questions", type=Path, default=Path(__file__).with_name("questions.jsonl"))
    args = parser.parse_args(argv)
    written = write_variants(args.corpus, args.out, args.layout or tuple(LAYOUTS))
    for layout, paths in written.items():
        print(f"{layout}: {len(paths)} documents in {args.out / layout}")
    if args.check:
        bad = _check(args.corpus, written)
        print("all variants read the same records" if not bad else f"{bad} variant documents differ")
        if bad:
            return 1
    if args.eval:
        report = eval_variants(args.corpus, written, args.out, args.questions)
        for name, r in report["layouts"].items():
            print(f"{name:>11}: same verdict {r['same_verdict']:.3f}, accuracy {r['accuracy']:.3f}"
                  f"{'  differs: ' + ', '.join(r['differs']) if r['differs'] else ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
