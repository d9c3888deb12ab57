"""The Gradio UI: Chat, Check a claim, Documents and Timeline tabs over one `Shiori` service."""

from __future__ import annotations

import json
import logging
import shutil
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import gradio as gr

from ingest.cleaner import fold
from shiori.settings import Settings
from ui import render
from ui.errors import public_message
from ui.jobs import IngestJobs, JobBusy, JobStatus
from ui.upload import ALLOWED_SUFFIXES, UploadError, UploadResult, discard_received, received_file, stage

log = logging.getLogger(__name__)

HEAD = '<meta name="description" content="Shiori: answers about Japanese documents with verified citations">'

EXAMPLES_FILE = Path(__file__).with_name("data") / "examples.json"


def ui_examples() -> dict[str, Any]:
    """Example questions, placeholders and the default timeline term (a data file: edit it per corpus)."""
    try:
        return json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}

# Clicks on any [n] inside the panel become one 'click' event carrying the passage's location;
# the panel is re-rendered by value, but the listener sits on the element and survives that.
CITE_CLICK_JS = """
element.addEventListener('click', (e) => {
  const a = e.target.closest('a.cite');
  if (!a) return;
  e.preventDefault();
  trigger('click', {doc: a.dataset.doc, start: Number(a.dataset.start), end: Number(a.dataset.end),
                    ss: Number(a.dataset.ss), se: Number(a.dataset.se), n: Number(a.dataset.n)});
});
"""

# After the document view re-renders, bring the highlighted passage into view.
SCROLL_JS = """
const reveal = () => {
  const m = element.querySelector('mark.passage');
  if (m) m.scrollIntoView({block: 'center', behavior: 'instant'});
};
watch('value', () => setTimeout(reveal, 30));
"""


def upload_folder() -> str:
    """Gradio's folder for uploaded files (the only place file inputs may point into)."""
    from gradio.utils import get_upload_folder

    return get_upload_folder()


def theme() -> gr.themes.Base:
    """The UI theme."""
    return gr.themes.Soft(primary_hue="indigo")


# --- chat -------------------------------------------------------------------------------------


def _guard(text: str, limit: int) -> str | None:
    """Why a question/claim cannot be sent, or None."""
    if not text.strip():
        return "質問を入力してください / Please type a question."
    if len(text) > limit:
        return f"長すぎます / Too long: at most {limit} characters."
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: not text, and nothing downstream could encode it
        return "文字が壊れています / The text contains invalid characters (lone surrogates)."
    return None


def chat_stream(service: Any, settings: Settings, question: str, history: list, turns: list
                ) -> Iterator[tuple[str, str, str, list, list]]:
    """Stream one exchange: yields (transcript, sources, textbox value, history, turns)."""
    question = (question or "").strip()
    problem = _guard(question, settings.question_max_chars)
    if problem:
        yield (render.transcript_html(turns), render.message_html(problem, "notice"), question, history, turns)
        return
    past = [tuple(h) for h in history]
    thinking = [*turns, (question, render.thinking_html())]
    yield (render.transcript_html(thinking), render.sources_html(None), "", history, turns)
    partial = ""
    try:
        stream = service.stream(question, past)
        for piece in stream:
            partial += piece
            live = [*turns, (question, render.streaming_html(partial))]
            yield (render.transcript_html(live), render.sources_html(None), "", history, turns)
        final = stream.answer()  # its text replaces what was streamed
    except Exception as e:  # noqa: BLE001 - the user sees a message, the log keeps the traceback
        log.exception("answering failed")
        msg = render.message_html(f"エラー / Error: {public_message(e)}")
        turns = [*turns, (question, msg)]
        yield (render.transcript_html(turns), render.sources_html(None), "", history, turns)
        return
    turns = [*turns, (question, render.answer_html(final))]
    history = [*history, (question, final.text)]
    yield (render.transcript_html(turns), render.sources_html(final), "", history, turns)


def open_citation(service: Any, data: dict[str, Any]) -> str:
    """The document view for a clicked citation (looked up by id through the service only)."""
    doc_id = str(data.get("doc") or "")
    try:
        doc = service.document(doc_id) if doc_id else None
    except Exception as e:  # noqa: BLE001
        return render.message_html(f"文書を開けません / Cannot open the document: {type(e).__name__}: {e}")
    if doc is None:
        return render.message_html(f"文書が見つかりません / Document not found: {doc_id}")

    def num(key: str) -> int | None:
        value = data.get(key)
        return int(value) if isinstance(value, int | float) else None

    return render.document_html(doc, num("start"), num("end"), num("ss"), num("se"))


# --- documents, ingestion, timeline --------------------------------------------------------------


def results_html(results: Sequence[UploadResult]) -> str:
    """Per-file outcome of an ingestion."""
    lines = "".join(
        f'<li class="{"ok" if r.ok else "failed"}">{"✓" if r.ok else "✗"} '
        f"<b>{render.esc(r.name)}</b>: {render.esc(r.message)}</li>" for r in results)
    return f'<ul class="upload-results">{lines}</ul>'


def ingest_status_html(status: JobStatus, refused: Sequence[UploadResult] = ()) -> str:
    """The background ingestion as the user sees it: file, step, progress and time left; then results."""
    if status.state == "idle":
        return results_html(refused) if refused else ""
    if status.state == "done":
        return results_html([*refused, *status.results])
    n = len(status.files)
    name = status.files[status.file_index] if status.files else ""
    step = f"{status.step} {status.done}/{status.total}" if status.total else status.step
    eta = status.eta_s
    left = f" — 残り約 / about {eta:.0f} s left" if eta is not None else ""
    pct = int(100 * status.done / status.total) if status.total else 0
    return (f'<div class="ingest-progress" data-state="running">取り込み中 / Ingesting '
            f"{status.file_index + 1}/{n}: <b>{render.esc(name)}</b> — {render.esc(step)}{left} "
            f"({status.elapsed_s:.0f} s)<progress max=\"100\" value=\"{pct}\"></progress>"
            f"<br><small>質問はその間も使えます / Questions keep working meanwhile.</small></div>"
            + (results_html(refused) if refused else ""))


def documents_rows(service: Any) -> list[list[Any]]:
    """Rows for the documents table."""
    rows = []
    for d in service.documents():
        chunks = getattr(d, "chunks", None)
        if chunks is None:
            chunks = getattr(d, "chunk_count", 0)
        rows.append([d.title, d.doc_id, int(chunks or 0), Path(str(getattr(d, "path", "") or "")).name])
    return rows


def _cjk_fonts() -> list[str]:
    """Installed fonts that can draw Japanese, so dialogue names are not boxes."""
    from matplotlib import font_manager

    wanted = ["Noto Sans CJK JP", "IPAexGothic", "IPAGothic", "TakaoGothic", "VL Gothic", "Droid Sans Fallback"]
    have = {f.name for f in font_manager.fontManager.ttflist}
    if not have.intersection(wanted):
        # matplotlib's font cache predates fonts installed later (e.g. by apt): register them directly.
        for path in font_manager.findSystemFonts():
            if any(k in path.lower() for k in ("ipag", "ipaexg", "notosanscjk", "takao", "vl-gothic", "droid")):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        have = {f.name for f in font_manager.fontManager.ttflist}
    return [w for w in wanted if w in have]


def timeline_figure(meetings: Sequence[Any], term: str = "") -> tuple[Any, str]:
    """A scatter of each dialogue's meetings over time, those mentioning `term` marked; and a summary."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["font.family"] = [*_cjk_fonts(), "DejaVu Sans"]
    rows = [m for m in meetings if getattr(m, "year", None)]
    dialogues = sorted({m.dialogue or m.title for m in rows})
    needle = fold(term.strip())
    fig, ax = plt.subplots(figsize=(9, 1.2 + 0.9 * max(1, len(dialogues))))
    hits: list[Any] = []
    for yi, name in enumerate(dialogues):
        mine = sorted((m for m in rows if (m.dialogue or m.title) == name),
                      key=lambda m: (m.year, m.month or 0))
        xs = [m.year + ((m.month or 6) - 0.5) / 12 for m in mine]
        ax.plot(xs, [yi] * len(xs), "-", color="#cbd5e1", zorder=1)
        ax.scatter(xs, [yi] * len(xs), s=40, color="#64748b", zorder=2)
        for m, x in zip(mine, xs, strict=True):
            if m.meeting_number is not None:
                ax.annotate(str(m.meeting_number), (x, yi), textcoords="offset points", xytext=(0, 8),
                            ha="center", fontsize=7, color="#475569")
            if needle and needle in fold(f"{m.index_text} {m.text}"):
                hits.append(m)
                ax.scatter([x], [yi], s=160, marker="*", color="#dc2626", zorder=3)
    ax.set_yticks(range(len(dialogues)), dialogues)
    ax.set_ylim(-0.7, len(dialogues) - 0.3)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("year / 年")
    ax.grid(axis="x", alpha=0.3)
    title = "会議の年表 / Meetings over time"
    if needle:
        title += f" — ★ = mentions “{term.strip()}”"
    ax.set_title(title, fontsize=10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # missing CJK glyphs when no Japanese font is installed
        fig.tight_layout()
    if not rows:
        summary = "会議の行がまだありません / No meeting rows in the index yet."
    elif not needle:
        summary = f"{len(rows)} meetings in {len(dialogues)} dialogues."
    elif not hits:
        summary = f"“{term.strip()}” は見つかりませんでした / is not mentioned in any meeting."
    else:
        first = min(hits, key=lambda m: (m.year, m.month or 0))
        listing = ", ".join(f"{m.dialogue or m.title} {m.date_label or m.year}" for m in
                            sorted(hits, key=lambda m: (m.year, m.month or 0)))
        summary = (f"“{term.strip()}”: {len(hits)} meetings; first {first.dialogue or first.title} "
                   f"{first.date_label or first.year}. ({listing})")
    plt.close(fig)
    return fig, summary


# --- the Blocks ---------------------------------------------------------------------------------


def build_ui(service: Any, settings: Settings, jobs: IngestJobs | None = None) -> gr.Blocks:
    """The Gradio Blocks app (mounted by ui.api.create_app; css/head/theme are given at mount)."""
    jobs = jobs or IngestJobs(service, settings)
    examples = ui_examples()
    # Uploads never ingested are deleted from Gradio's folder after upload_temp_max_age_s (and all at exit).
    keep = max(1, int(settings.upload_temp_max_age_s))
    with gr.Blocks(title="Shiori 栞", delete_cache=(min(keep, 600), keep)) as demo:
        gr.Markdown("## 栞 Shiori — 文書に基づく回答と出典 / answers with verified citations")
        with gr.Tabs():
            with gr.Tab("チャット / Chat", id="chat"):
                history = gr.State([])
                turns = gr.State([])
                with gr.Row():
                    with gr.Column(scale=3):
                        transcript = gr.HTML(render.transcript_html([]), elem_id="transcript",
                                             js_on_load=CITE_CLICK_JS, min_height=200)
                        question = gr.Textbox(label="質問 / Question", elem_id="question", lines=2,
                                              placeholder=examples.get("question_placeholder", ""))
                        with gr.Row():
                            ask = gr.Button("送信 / Ask", variant="primary", elem_id="ask")
                            clear = gr.Button("新しい会話 / New chat", elem_id="clear")
                        gr.Examples(examples.get("questions") or [""], inputs=question, label="質問の例 / Examples")
                    with gr.Column(scale=2):
                        sources = gr.HTML(render.sources_html(None), elem_id="sources",
                                          js_on_load=CITE_CLICK_JS)
                        docview = gr.HTML(render.document_placeholder(), elem_id="docview",
                                          js_on_load=SCROLL_JS)

                def respond(q: str, h: list, t: list) -> Iterator[tuple[str, str, str, list, list]]:
                    yield from chat_stream(service, settings, q, h, t)

                outputs = [transcript, sources, question, history, turns]
                ask.click(respond, [question, history, turns], outputs, show_progress="hidden")
                question.submit(respond, [question, history, turns], outputs, show_progress="hidden")
                clear.click(lambda: (render.transcript_html([]), render.sources_html(None), "", [], [],
                                     render.document_placeholder()),
                            None, [*outputs, docview], show_progress="hidden")

                def on_cite(evt: gr.EventData) -> str:
                    return open_citation(service, dict(evt._data or {}))

                transcript.click(on_cite, None, docview, show_progress="hidden")
                sources.click(on_cite, None, docview, show_progress="hidden")

            with gr.Tab("主張を確認 / Check a claim", id="check"):
                with gr.Row():
                    with gr.Column(scale=3):
                        claim = gr.Textbox(label="主張 / Claim", elem_id="claim", lines=3,
                                           placeholder=examples.get("claim_placeholder", ""))
                        check = gr.Button("確認 / Check", variant="primary", elem_id="check-btn")
                        verdict = gr.HTML("", elem_id="verdict", js_on_load=CITE_CLICK_JS)
                    with gr.Column(scale=2):
                        check_doc = gr.HTML(render.document_placeholder(), elem_id="check-docview",
                                            js_on_load=SCROLL_JS)

                def on_check(text: str) -> str:
                    problem = _guard(text or "", settings.question_max_chars)
                    if problem:
                        return render.message_html(problem, "notice")
                    try:
                        return render.verdict_html(service.check(text.strip()))
                    except Exception as e:  # noqa: BLE001
                        log.exception("check failed")
                        return render.message_html(f"エラー / Error: {public_message(e)}")

                check.click(on_check, claim, verdict)
                claim.submit(on_check, claim, verdict)
                verdict.click(on_cite, None, check_doc, show_progress="hidden")

            with gr.Tab("文書 / Documents", id="documents"):
                docs_table = gr.Dataframe(headers=["タイトル / Title", "doc_id", "chunks", "file"],
                                          datatype=["str", "str", "number", "str"], interactive=False,
                                          elem_id="documents-table", wrap=True)
                refresh = gr.Button("更新 / Refresh")
                gr.Markdown(f"アップロード / Upload: {', '.join(ALLOWED_SUFFIXES)} — "
                            f"最大 / at most {settings.upload_max_mb:g} MB, {settings.pdf_max_pages:,} PDF pages, "
                            f"{settings.ingest_max_chars:,} characters and "
                            f"{settings.ingest_max_chunks:,} chunks per document; {settings.upload_max_files} files "
                            f"and {settings.upload_max_request_mb:g} MB per upload. "
                            "取り込みは裏で進み、質問はその間も使えます / Ingestion runs in the background; "
                            "questions keep working meanwhile.")
                files = gr.File(file_count="multiple", file_types=list(ALLOWED_SUFFIXES),
                                label="ファイル / Files", elem_id="upload")
                replace = gr.Checkbox(False, label="同名の文書を置き換える / Replace the document with the same "
                                                   "name (otherwise it is kept and the upload gets its own id)",
                                      elem_id="replace")
                ingest_btn = gr.Button("取り込む / Ingest", variant="primary", elem_id="ingest")
                upload_result = gr.HTML("", elem_id="upload-result")
                refused_state = gr.State([])
                poll = gr.Timer(1.0, active=False)

                def list_docs() -> list[list[Any]]:
                    try:
                        return documents_rows(service)
                    except Exception:  # noqa: BLE001 - an empty table rather than a broken page
                        log.exception("listing documents failed")
                        return []

                def on_ingest(paths: list[str] | None, replace_it: bool | None = False) -> tuple[Any, ...]:
                    if not paths:
                        return (render.message_html("ファイルを選んでください / Choose files first.", "notice"),
                                list_docs(), [], gr.Timer(active=False))
                    staged, refused = [], []
                    for p in paths:
                        name = Path(str(p)).name
                        try:
                            received = received_file(p, upload_folder())
                        except UploadError as e:  # not an upload: never touched
                            log.warning("refused upload %.200r: %s", str(p), e)
                            refused.append(UploadResult(name[:200], False, str(e)))
                            continue
                        try:
                            staged.append(stage(received, name, settings, replace=bool(replace_it)))
                        except UploadError as e:
                            refused.append(UploadResult(name[:200], False, str(e)))
                        except OSError as e:
                            refused.append(UploadResult(name[:200], False, f"could not read the upload ({e.strerror})"))
                        finally:  # staged (our own copy) or refused: Gradio's copy is no longer needed
                            discard_received(received, upload_folder())
                    if not staged:
                        return results_html(refused), list_docs(), [], gr.Timer(active=False)
                    try:
                        status = jobs.submit(staged, replace=bool(replace_it))
                    except JobBusy as e:
                        for item in staged:
                            shutil.rmtree(item.path.parent, ignore_errors=True)
                        busy = [UploadResult(item.name, False, str(e)) for item in staged]
                        return results_html([*refused, *busy]), list_docs(), [], gr.Timer(active=False)
                    kept = [(r.name, r.message) for r in refused]
                    return ingest_status_html(status, refused), list_docs(), kept, gr.Timer(active=True)

                def on_poll(kept: list) -> tuple[Any, ...]:
                    refused = [UploadResult(n, False, m) for n, m in kept or []]
                    status = jobs.status()
                    if status.state == "running":
                        return ingest_status_html(status, refused), gr.skip(), kept, gr.Timer(active=True)
                    return ingest_status_html(status, refused), list_docs(), [], gr.Timer(active=False)

                refresh.click(list_docs, None, docs_table)
                ingest_btn.click(on_ingest, [files, replace], [upload_result, docs_table, refused_state, poll])
                poll.tick(on_poll, refused_state, [upload_result, docs_table, refused_state, poll],
                          show_progress="hidden")

            with gr.Tab("年表 / Timeline", id="timeline"):
                with gr.Row():
                    term = gr.Textbox(value=examples.get("timeline_term", ""), label="語 / Term", elem_id="term", scale=4)
                    plot_btn = gr.Button("表示 / Show", scale=1, elem_id="plot")
                plot = gr.Plot(label="年表 / Timeline", elem_id="timeline-plot")
                plot_summary = gr.Markdown("")

                def on_plot(t: str) -> tuple[Any, str]:
                    try:
                        return timeline_figure(service.meetings(), t or "")
                    except Exception as e:  # noqa: BLE001
                        log.exception("timeline failed")
                        return None, f"エラー / Error: {public_message(e)}"

                plot_btn.click(on_plot, term, [plot, plot_summary])
                term.submit(on_plot, term, [plot, plot_summary])

        demo.load(list_docs, None, docs_table)
        # A job started before this page was opened (or reloaded) shows its progress too.
        demo.load(lambda: gr.Timer(active=jobs.running()), None, poll)
        demo.load(on_plot, term, [plot, plot_summary])
    return demo
