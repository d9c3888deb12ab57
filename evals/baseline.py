"""The tutorial RAG pipeline, as a yardstick: 1000/200 character chunks, dense top-4 from Chroma, one prompt.

Deliberately naive (that is the point of a baseline): no structure-aware chunking, no titles in the
embeddings, no BM25, no date ordering, no citation checking beyond the shared support check used
for scoring. It returns a `rag.types.Answer` so the same runner and metrics score it.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rag.types import Answer, Citation, Passage, SentenceCheck

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings
    from langchain_core.language_models import BaseChatModel

    from shiori.settings import Settings

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
TOP_K = 4
COLLECTION = "baseline"
BASELINE_VERSION = "1"  # bump when the way the index is built changes

# The prompt most tutorials use ("rlm/rag-prompt" plus the usual "cite your sources").
SYSTEM_PROMPT = (
    "You are an assistant for question-answering tasks. Use the following pieces of retrieved context "
    "to answer the question. If you don't know the answer, just say that you don't know. "
    "Use three sentences maximum and keep the answer concise. "
    "Cite the sources you used with their numbers in brackets, like [1]."
)
HUMAN_PROMPT = "Context:\n{context}\n\nQuestion: {question}\nAnswer:"

# "Abstained" only when the model literally says it does not know.
_DONT_KNOW = re.compile(
    r"(?:don['’]?t|do not|does not|doesn['’]?t)\s+know|わかりません|分かりません|わからない|分からない|知りません",
    re.IGNORECASE,
)
_MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
# A sentence ends at 。！？!? or a period before whitespace/end; citation markers right after stay with it.
_SENTENCE = re.compile(
    r"[^\n。！？!?]*?(?:[。！？!?]+|\.(?=\s|$)|(?=\n)|$)(?:\s*\[\d+(?:\s*,\s*\d+)*\])*", re.S
)
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


@dataclass(frozen=True)
class RawFile:
    """A corpus file as a tutorial would load it: raw text, file-stem id, sidecar title if any."""

    doc_id: str
    title: str
    text: str


def _doc_id(stem: str) -> str:
    try:  # the same ids as Shiori, so reports line up; fall back to the stem
        from ingest.loaders import safe_doc_id

        return safe_doc_id(stem)
    except ImportError:
        return stem


def load_raw_files(corpus_dir: Path) -> list[RawFile]:
    """Read the corpus files as raw text (txt/md verbatim; other formats through Shiori's loader)."""
    try:
        from ingest.loaders import discover, load_document
    except ImportError:
        discover, load_document = None, None
    paths = (
        discover([corpus_dir])
        if discover
        else sorted(p for p in Path(corpus_dir).glob("*.txt") if not p.name.startswith(("_", ".")))
    )
    files = []
    for path in paths:
        if path.suffix.lower() in {".txt", ".md"} or load_document is None:
            text = path.read_text(encoding="utf-8", errors="replace")
        else:
            text = load_document(path).text
        sidecar = path.with_name(path.stem + ".meta.json")
        title = path.stem
        if sidecar.exists():
            title = json.loads(sidecar.read_text(encoding="utf-8")).get("title") or title
        files.append(RawFile(_doc_id(path.stem), title, text))
    return files


def split_files(files: list[RawFile]) -> list[Any]:
    """RecursiveCharacterTextSplitter(1000, 200) with start offsets, as langchain Documents."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, add_start_index=True
    )
    return splitter.create_documents(
        [f.text for f in files], metadatas=[{"doc_id": f.doc_id, "title": f.title} for f in files]
    )


def split_sentences(text: str) -> list[tuple[str, list[int]]]:
    """Answer sentences with the citation numbers each one carries."""
    out = []
    for m in _SENTENCE.finditer(text):
        sentence = m.group(0).strip()
        if not sentence or _MARKER.fullmatch(sentence):
            continue
        nums = [int(n) for g in _MARKER.findall(sentence) for n in re.split(r"\s*,\s*", g)]
        out.append((sentence, nums))
    return out


def is_dont_know(text: str) -> bool:
    """Whether the model literally said it does not know."""
    return bool(_DONT_KNOW.search(text))


def _index_text(text: str) -> str:
    try:  # the support scorer reads `index_text`, Shiori's normalized form of a passage
        from ingest.cleaner import normalize

        return normalize(text)
    except ImportError:
        return unicodedata.normalize("NFKC", text)


def _fingerprint(files: list[RawFile], settings: Settings) -> str:
    h = hashlib.sha256()
    h.update(f"{BASELINE_VERSION}|{CHUNK_SIZE}|{CHUNK_OVERLAP}|{settings.embedding_path}".encode())
    for f in files:
        h.update(f"{f.doc_id}|{f.title}|".encode())
        h.update(hashlib.sha256(f.text.encode("utf-8")).digest())
    return h.hexdigest()


class BaselinePipeline:
    """question -> Answer, the way most tutorials build it."""

    def __init__(
        self,
        settings: Settings,
        *,
        embeddings: Embeddings | None = None,
        llm: BaseChatModel | None = None,
        persist_dir: Path | None = None,
    ) -> None:
        self.settings = settings
        if embeddings is None:
            from ingest.embeddings import load_embeddings

            embeddings = load_embeddings(settings)
        if llm is None:
            from rag.llm.backends import build_chat_model

            llm = build_chat_model(settings)
        self.embeddings = embeddings
        self.llm = llm
        self.persist_dir = Path(persist_dir or Path(settings.index_dir) / "baseline")
        self.store = self._open_store()
        self.check_support = self._support_checker()

    def _open_store(self) -> Any:
        """The Chroma collection, rebuilt only when the files, chunking or model changed."""
        from langchain_chroma import Chroma

        files = load_raw_files(self.settings.corpus_dir)
        fingerprint = _fingerprint(files, self.settings)
        manifest = self.persist_dir / "baseline_manifest.json"
        fresh = manifest.exists() and json.loads(manifest.read_text()).get("fingerprint") == fingerprint
        if not fresh and self.persist_dir.exists():
            shutil.rmtree(self.persist_dir)
        self.persist_dir.mkdir(parents=True, exist_ok=True)
        store = Chroma(
            collection_name=COLLECTION,
            embedding_function=self.embeddings,
            persist_directory=str(self.persist_dir),
            collection_metadata={"hnsw:space": "cosine"},
        )
        if not fresh:
            docs = split_files(files)
            ids = [f"{d.metadata['doc_id']}:{d.metadata['start_index']}" for d in docs]
            store.add_documents(docs, ids=ids)
            manifest.write_text(json.dumps({"fingerprint": fingerprint, "chunks": len(docs)}))
        return store

    def _support_checker(self) -> Any:
        """The same support check Shiori's chain uses, so support rates are comparable (None if absent)."""
        from ingest.tokenizer import tokenize
        from rag.check.support import SUPPORTED, SupportScorer

        # The chain asks BM25 whether a token is in the corpus; the baseline has no BM25, so use its chunks.
        vocab = set(tokenize(" ".join(f.text for f in load_raw_files(self.settings.corpus_dir))))
        scorer = SupportScorer(self.embeddings, vocab.__contains__)

        def check(sentence: str, passages: list[Passage]) -> SentenceCheck:
            scores = scorer.scores(sentence, passages)
            best = max(scores, default=0.0)
            return SentenceCheck(text=sentence, supported=best >= SUPPORTED, score=best)

        return check

    def retrieve(self, question: str, k: int = TOP_K) -> list[Passage]:
        """Dense top-k passages, best first."""
        hits = self.store.similarity_search_with_score(question, k=k)
        passages = []
        for doc, distance in hits:
            start = int(doc.metadata.get("start_index", 0))
            passages.append(
                Passage(
                    chunk_id=f"{doc.metadata.get('doc_id')}:{start}",
                    doc_id=str(doc.metadata.get("doc_id", "")),
                    title=str(doc.metadata.get("title", "")),
                    text=doc.page_content,
                    index_text=_index_text(doc.page_content),
                    start=start,
                    end=start + len(doc.page_content),
                    score=1.0 - float(distance),  # cosine distance -> similarity
                    dense_score=1.0 - float(distance),
                )
            )
        return passages

    def generate(self, question: str, passages: list[Passage]) -> str:
        """One call to the LLM with the tutorial prompt."""
        from langchain_core.messages import HumanMessage, SystemMessage

        context = "\n\n".join(f"[{i}] {p.title}\n{p.text}" for i, p in enumerate(passages, 1))
        messages = [
            SystemMessage(content=SYSTEM_PROMPT),
            HumanMessage(content=HUMAN_PROMPT.format(context=context, question=question)),
        ]
        reply = self.llm.invoke(messages)
        content = reply.content if hasattr(reply, "content") else reply
        return content if isinstance(content, str) else str(content)

    def sentence_checks(self, text: str, passages: list[Passage]) -> list[SentenceCheck]:
        """Support checks per sentence: the passages it cites, or all given passages when it cites none."""
        if self.check_support is None:
            return []
        checks = []
        for sentence, nums in split_sentences(text):
            valid = [n for n in nums if 1 <= n <= len(passages)]
            # The tutorial cites at answer level: an unmarked sentence rests on everything it was given.
            cited = valid or list(range(1, len(passages) + 1))
            check = self.check_support(sentence, [passages[n - 1] for n in cited])
            checks.append(
                SentenceCheck(
                    text=sentence,
                    citations=cited,
                    supported=bool(check.supported),
                    score=float(getattr(check, "score", 0.0)),
                )
            )
        return checks

    def answer(self, question: str, history: Any = ()) -> Answer:
        """Retrieve top-4, ask the LLM, cite the four passages it was given."""
        t0 = time.perf_counter()
        passages = self.retrieve(question)
        t1 = time.perf_counter()
        text = self.generate(question, passages).strip()
        t2 = time.perf_counter()
        abstained = is_dont_know(text)
        citations = [
            Citation(
                n=i,
                chunk_id=p.chunk_id,
                doc_id=p.doc_id,
                title=p.title,
                text=p.text,
                start=p.start,
                end=p.end,
            )
            for i, p in enumerate(passages, 1)
        ]
        sentences = [] if abstained else self.sentence_checks(text, passages)
        notices: list[str] = []
        return Answer(
            question=question,
            text=text,
            language="ja" if _JAPANESE.search(question) else "en",
            citations=citations,
            retrieved=passages,
            sentences=sentences,
            abstained=abstained,
            notices=notices,
            timings={"retrieve_s": t1 - t0, "generate_s": t2 - t1, "support_s": time.perf_counter() - t2},
        )
