"""Incremental ingestion: files → chunks → Chroma + chunk store + BM25, skipping unchanged documents."""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.embeddings import Embeddings

from ingest.dense import DenseIndex, IndexNotFoundError
from ingest.ids import distinct_doc_id, is_valid_doc_id, path_key
from ingest.lexicon import LEXICON_DIR, Lexicon, lexicon_terms
from ingest.loaders import ExtractLimits, LoadError, discover, load_document, read_regular_file, safe_doc_id
from ingest.records import read_document
from ingest.schema import Chunk, Record, SourceDocument, Subject
from ingest.sparse import SparseIndex
from ingest.splitter import CHUNKER_VERSION, attach_chunks, split_document
from ingest.store import ChunkStore
from ingest.translation import NameTranslator, translate_document
from shiori.settings import Settings

BM25_DIR = "bm25"
# (step, done, total), e.g. ("Embedding chunks", 120, 948): for a UI showing the run's progress.
ProgressCallback = Callable[[str, int, int], None]
BM25_STALE = ".bm25-stale"  # present from the first write until BM25 is rebuilt: a killed run leaves it
LOCK_FILE = ".lock"


def bm25_text(chunk: Chunk) -> str:
    """What BM25 indexes for a chunk: the normalized text with its title/section/meeting in front."""
    # The context matters for keywords too: a meeting row rarely names its own dialogue ("モンゴル").
    return chunk.embed_text or chunk.index_text


@dataclass
class IngestReport:
    """What one ingestion run did."""

    documents_seen: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    chunks_written: int = 0
    chunks_total: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    seconds: float = 0.0
    reconciled: int = 0  # documents whose vectors were repaired after an interrupted run
    rebuilt: bool = False
    vectors_total: int = 0
    # (path, doc id, why) for files indexed under an id other than their stem's: the stem's id is taken
    renamed: list[tuple[str, str, str]] = field(default_factory=list)
    doc_ids: dict[str, str] = field(default_factory=dict)  # path -> the doc id it is indexed under

    @property
    def changed(self) -> bool:
        """Whether the indexes changed."""
        return bool(self.added or self.updated or self.removed or self.reconciled or self.rebuilt)


@dataclass
class Indexes:
    """The three read-side indexes the answer chain uses."""

    store: ChunkStore
    dense: DenseIndex
    sparse: SparseIndex

    def close(self) -> None:
        """Close the store's connection (Chroma and BM25 hold nothing open)."""
        self.store.close()


@dataclass
class _Pending:
    doc: SourceDocument
    chunks: list[Chunk]
    source_root: str
    is_update: bool
    records: tuple[Record, ...] = ()
    subject: Subject | None = None
    glossary: dict[tuple[str, str], str] = field(default_factory=dict)
    names: tuple[str, ...] = ()


@contextlib.contextmanager
def index_lock(index_dir: Path, *, quiet: bool = False) -> Iterator[None]:
    """An exclusive flock on index_dir/.lock so two ingests never interleave."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / LOCK_FILE).open("a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not quiet:
                print(f"Another ingestion holds {index_dir / LOCK_FILE}; waiting for it to finish…")
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _file_hash(path: Path, max_bytes: int = 1 << 30) -> str | None:
    try:
        return hashlib.sha256(read_regular_file(path, max_bytes)).hexdigest()
    except (OSError, LoadError):  # gone, unreadable, not a regular file, or too big to matter
        return None


def _is_under(path: str, root: Path) -> bool:
    try:
        return Path(path).resolve().is_relative_to(root)
    except OSError:
        return False


def _targets(paths: Sequence[Path], report: IngestReport) -> tuple[list[tuple[Path, Path]], list[Path]]:
    """(file, source root) pairs to ingest, and the folders whose vanished documents are to be removed."""
    files: dict[Path, Path] = {}
    folders: list[Path] = []
    for raw in paths:
        path = Path(raw).expanduser()
        try:
            found = discover([path])
        except LoadError as exc:
            report.failed.append((str(exc.path), exc.reason))
            continue
        root = path.resolve() if path.is_dir() else path.resolve().parent
        if path.is_dir():
            folders.append(root)
        elif not found:
            report.failed.append((str(path), f"skipped: unsupported type {path.suffix or '(none)'} "
                                             "or a hidden/sidecar name (_*, .*, *.meta.json)"))
        for f in found:
            files.setdefault(f, root)
    return sorted(files.items()), folders


class _Progress:
    """A rich progress display (or nothing), so the pipeline code stays the same either way."""

    def __init__(self, enabled: bool, callback: ProgressCallback | None = None) -> None:
        self.enabled = enabled
        self._progress = None
        self._callback = callback
        self._tasks: dict[int, list] = {}  # task -> [description, done, total] for the callback

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      TimeElapsedColumn(), TimeRemainingColumn())
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def task(self, description: str, total: int) -> int | None:
        task = self._progress.add_task(description, total=total) if self._progress else len(self._tasks)
        self._tasks[task] = [description, 0, total]
        if self._callback is not None:
            self._callback(description, 0, total)
        return task

    def advance(self, task: int | None, n: int = 1, description: str | None = None) -> None:
        if self._progress is not None and task is not None:
            kw = {"description": description} if description else {}
            self._progress.update(task, advance=n, **kw)
        if self._callback is not None and task in self._tasks:
            state = self._tasks[task]
            state[0] = description or state[0]
            state[1] += n
            self._callback(state[0], state[1], state[2])


def _reconcile(store: ChunkStore, dense: DenseIndex) -> int:
    """Make Chroma hold exactly the store's chunks: drop vectors of uncommitted writes, re-add lost ones."""
    dense_ids = dense.vectors_by_doc()
    store_ids: dict[str, set[str]] = {}
    for c in store.chunks():
        store_ids.setdefault(c.doc_id, set()).add(c.chunk_id)
    repaired = 0
    for doc_id in dense_ids.keys() - store_ids.keys():  # written to Chroma, crashed before the store commit
        dense.delete_document(doc_id)
        repaired += 1
    for doc_id, ids in store_ids.items():
        have = dense_ids.get(doc_id, set())
        if have != ids:  # a crash during an update, or vectors lost: the store is the truth
            dense.delete_ids(sorted(have - ids))
            missing = ids - have
            if missing:
                dense.add_chunks([c for c in store.chunks(doc_id) if c.chunk_id in missing])
            repaired += 1
    return repaired


def rebuild_sparse(store: ChunkStore, index_dir: Path) -> SparseIndex:
    """Rebuild the BM25 index from the store's chunks and save it under index_dir/bm25."""
    chunks = store.chunks()
    sparse = SparseIndex.build([c.chunk_id for c in chunks], [bm25_text(c) for c in chunks])
    sparse.save(index_dir / BM25_DIR)
    return sparse


def refresh_lexicon(sparse: SparseIndex, embeddings: Embeddings, index_dir: Path) -> None:
    """Embed the vocabulary's Japanese words (new ones only) for cross-lingual question words."""
    previous = Lexicon.load(index_dir / LEXICON_DIR)
    Lexicon.build(lexicon_terms(sparse.vocabulary()), embeddings, previous).save(index_dir / LEXICON_DIR)


class _Ids:
    """Which id each file gets: the one it already has, else its stem's id when no other file holds it,
    else the stem's id plus a hash of its path. With `replace`, the stem's id, whoever held it."""

    def __init__(self, known: dict, replace: bool) -> None:
        self.known = known
        self.replace = replace
        self.by_path = {path_key(d.path): d.doc_id for d in known.values()}
        self.seen: dict[str, str] = {}  # doc_id -> path, this run

    def choose(self, path: Path) -> tuple[str, str | None]:
        """(doc id, why it is not the stem's id or None)."""
        stem_id = safe_doc_id(path.stem)
        key = path_key(path)
        if self.replace:
            return stem_id, None
        own = self.by_path.get(key)
        if own is not None and is_valid_doc_id(own) and own not in self.seen:
            return own, None if own == stem_id else f"its id since it was first indexed ({stem_id!r} was taken)"
        holder = self.known.get(stem_id)
        free = holder is None or path_key(holder.path) == key or not Path(holder.path).exists()
        if free and stem_id not in self.seen:
            return stem_id, None
        other = self.seen.get(stem_id) or holder.path
        return distinct_doc_id(stem_id, path), (f"{stem_id!r} already belongs to {Path(other).name} "
                                                "(use --replace to replace that document)")


def ingest(paths: Sequence[Path] | None, settings: Settings, *, rebuild: bool = False, progress: bool = True,
           embeddings: Embeddings | None = None, translator: NameTranslator | None = None,
           replace: bool = False, on_progress: ProgressCallback | None = None) -> IngestReport:
    """Bring the indexes in line with `paths` (default: the corpus folder); only changed files are embedded.

    With a `translator`, each new or changed document's names are translated once and stored. A file
    never takes the id of another file's document unless `replace` is set; `on_progress` hears
    (step, done, total) as files are read and chunks embedded.
    """
    t0 = time.perf_counter()
    report = IngestReport(rebuilt=rebuild)
    index_dir = Path(settings.index_dir)
    paths = list(paths) if paths else [Path(settings.corpus_dir)]
    limits = ExtractLimits.from_settings(settings)
    with index_lock(index_dir, quiet=not progress):
        if embeddings is None:
            from ingest.embeddings import load_embeddings

            embeddings = load_embeddings(settings)
        store = ChunkStore(index_dir)
        try:
            dense = DenseIndex(settings, embeddings, chunker_version=CHUNKER_VERSION,
                               on_mismatch="reset" if rebuild else "adopt_chunker")
            if rebuild:
                dense.reset()
                store.clear()
                shutil.rmtree(index_dir / BM25_DIR, ignore_errors=True)
            else:
                report.reconciled = _reconcile(store, dense)

            files, folders = _targets(paths, report)
            report.documents_seen = len(files)
            known = {d.doc_id: d for d in store.documents()}
            failures = store.failures()
            ids = _Ids(known, replace)
            seen = ids.seen  # doc_id -> path, this run
            # content hash -> doc id of a copy that stays indexed: the same bytes under another name are
            # skipped, so a document added twice is indexed once (a stored copy counts while its file is there).
            copies = {d.content_hash: d.doc_id for d in known.values() if _file_hash(Path(d.path)) == d.content_hash}
            pending: list[_Pending] = []
            with _Progress(progress, on_progress) as bar:
                files_task = bar.task("Reading files", len(files))
                for path, root in files:
                    bar.advance(files_task, 0, f"Reading {path.name}")
                    doc_id, why = ids.choose(path)
                    try:
                        if doc_id in seen:
                            raise LoadError(path, f"same document id {doc_id!r} as {seen[doc_id]}; rename one")
                        seen[doc_id] = str(path)
                        doc = dataclasses.replace(load_document(path, limits=limits), doc_id=doc_id)
                        if why:
                            report.renamed.append((str(path), doc_id, why))
                        report.doc_ids[str(path)] = doc_id
                        kept = copies.setdefault(doc.content_hash, doc.doc_id)
                        # The same file under its own earlier id (now replacing another) is no copy.
                        if kept != doc.doc_id and not (kept in known and
                                                       path_key(known[kept].path) == path_key(path)):
                            raise LoadError(path, f"same content as the indexed document {kept!r}; not indexed twice")
                        old = known.get(doc.doc_id)
                        if old and old.content_hash == doc.content_hash and old.chunker_version == CHUNKER_VERSION:
                            report.unchanged += 1
                            if str(path) in failures:
                                store.forget_failure(str(path))
                            continue
                        model = read_document(doc)
                        chunks = split_document(doc, settings.chunk_max_chars, model)
                        if not chunks:
                            raise LoadError(path, "no indexable text after cleaning")
                        if len(chunks) > settings.ingest_max_chunks:
                            raise LoadError(path, f"{len(chunks):,} chunks to embed; the limit is "
                                                  f"{settings.ingest_max_chunks:,} per document (ingest_max_chunks)")
                        records = attach_chunks(model.records, chunks)
                        translated = translate_document(doc, model, translator)
                    except LoadError as exc:
                        report.failed.append((str(path), exc.reason))
                        store.record_failure(str(path), _file_hash(path), exc.reason)
                        continue
                    except Exception as exc:  # a splitter bug must not stop the other files
                        reason = f"could not split: {type(exc).__name__}: {exc}"
                        report.failed.append((str(path), reason))
                        store.record_failure(str(path), _file_hash(path), reason)
                        continue
                    finally:
                        bar.advance(files_task)
                    pending.append(_Pending(doc, chunks, str(root), is_update=doc.doc_id in known,
                                            records=records, subject=translated.subject,
                                            glossary=translated.glossary, names=translated.names))

                total = sum(len(p.chunks) for p in pending)
                embed_task = bar.task("Embedding chunks", total) if total else None
                if pending:
                    (index_dir / BM25_STALE).touch()
                for p in pending:
                    # Chroma first, the store row last: the store commit marks the document as done.
                    if p.is_update:
                        dense.delete_document(p.doc.doc_id)
                    before = [0]

                    def step(done: int, _total: int, before: list[int] = before) -> None:
                        bar.advance(embed_task, done - before[0])
                        before[0] = done

                    dense.add_chunks(p.chunks, progress=step)
                    store.upsert_document(p.doc, p.chunks, chunker_version=CHUNKER_VERSION,
                                          source_root=p.source_root, records=p.records, subject=p.subject,
                                          glossary=p.glossary, names=p.names)
                    store.forget_failure(p.doc.path)
                    # One document per source file: an older id of this file (replaced, or from an
                    # earlier id scheme) goes.
                    for info in known.values():
                        if info.doc_id != p.doc.doc_id and info.doc_id not in seen and \
                                path_key(info.path) == path_key(p.doc.path):
                            dense.delete_document(info.doc_id)
                            store.delete_document(info.doc_id)
                            seen[info.doc_id] = p.doc.path  # not "vanished" below
                            report.removed += 1
                    report.chunks_written += len(p.chunks)
                    if p.is_update:
                        report.updated += 1
                    else:
                        report.added += 1

            # Documents that vanished from a folder ingested now; a single file never removes others.
            for info in known.values():
                if info.doc_id in seen:
                    continue
                if any(_is_under(info.path, f) or info.source_root == str(f) for f in folders):
                    (index_dir / BM25_STALE).touch()
                    dense.delete_document(info.doc_id)
                    store.delete_document(info.doc_id)
                    report.removed += 1
            for path in failures:
                if any(_is_under(path, f) for f in folders) and not Path(path).exists():
                    store.forget_failure(path)

            if report.changed or not (index_dir / BM25_DIR).is_dir() or (index_dir / BM25_STALE).exists():
                sparse = rebuild_sparse(store, index_dir)
                (index_dir / BM25_STALE).unlink(missing_ok=True)
                refresh_lexicon(sparse, embeddings, index_dir)
            elif not (index_dir / LEXICON_DIR).is_dir():
                refresh_lexicon(SparseIndex.load(index_dir / BM25_DIR), embeddings, index_dir)
            report.chunks_total = store.chunk_count()
            report.vectors_total = dense.count()
        finally:
            store.close()
    report.seconds = time.perf_counter() - t0
    return report


def open_indexes(settings: Settings, *, embeddings: Embeddings | None = None) -> Indexes:
    """Open the store, Chroma and BM25 for reading; raise IndexNotFoundError if nothing was ingested yet."""
    index_dir = Path(settings.index_dir)
    if not ChunkStore.exists(index_dir) or not (index_dir / BM25_DIR).is_dir():
        raise IndexNotFoundError(f"No index at {index_dir} yet: run `shiori ingest` first.")
    if embeddings is None:
        from ingest.embeddings import load_embeddings

        embeddings = load_embeddings(settings)
    dense = DenseIndex(settings, embeddings, chunker_version=CHUNKER_VERSION, create=False)
    return Indexes(store=ChunkStore(index_dir), dense=dense, sparse=SparseIndex.load(index_dir / BM25_DIR))


def needs_ingest(settings: Settings, paths: Sequence[Path] | None = None) -> bool:
    """True when the index is missing, the chunker changed, or corpus files differ from what is stored."""
    index_dir = Path(settings.index_dir)
    if not ChunkStore.exists(index_dir) or not (index_dir / BM25_DIR).is_dir() or (index_dir / BM25_STALE).exists():
        return True
    roots = [Path(p) for p in (paths or [settings.corpus_dir])]
    try:
        files = discover(roots)
    except LoadError:
        return True
    with ChunkStore(index_dir) as store:
        docs = {d.doc_id: d for d in store.documents()}
        failures = store.failures()
    if any(d.chunker_version != CHUNKER_VERSION for d in docs.values()):
        return True
    present = set()
    by_path = {path_key(d.path): d for d in docs.values()}
    for f in files:
        digest = _file_hash(f)
        doc = by_path.get(path_key(f))
        if doc is None:  # a moved folder: the stem's document, if its recorded file is gone
            doc = docs.get(safe_doc_id(f.stem))
            doc = doc if doc is not None and not Path(doc.path).exists() else None
        if doc is not None and doc.content_hash == digest:
            present.add(doc.doc_id)
        elif failures.get(str(f)) != digest:  # a known-bad file with the same bytes is not news
            return True
    folders = [r.resolve() for r in roots if r.is_dir()]
    return any(d.doc_id not in present and any(_is_under(d.path, r) for r in folders) for d in docs.values())


def print_report(report: IngestReport, console=None) -> None:
    """Print the closing summary of an ingestion run as a table."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    table = Table(title="Ingestion" + (" (rebuilt)" if report.rebuilt else ""), show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    rows = [("documents seen", report.documents_seen), ("added", report.added), ("updated", report.updated),
            ("unchanged (skipped)", report.unchanged), ("removed", report.removed),
            ("failed", len(report.failed)), ("chunks written", report.chunks_written),
            ("chunks in index", report.chunks_total)]
    if report.reconciled:
        rows.append(("repaired after an interrupted run", report.reconciled))
    for name, value in rows:
        table.add_row(name, str(value))
    table.add_row("time", f"{report.seconds:.1f} s")
    console.print(table)
    if report.vectors_total != report.chunks_total:
        console.print(f"[yellow]Warning: {report.vectors_total} vectors for {report.chunks_total} chunks; "
                      "run `shiori ingest` again to repair.[/yellow]")
    for path, reason in report.failed:
        console.print(f"[red]skipped[/red] {path}: {reason}")
    for path, doc_id, why in report.renamed:
        console.print(f"[yellow]id[/yellow] {path} → {doc_id}: {why}")
