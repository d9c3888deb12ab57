"""The exported embedding model (ingest.embedding_export) run by OpenVINO, as a langchain `Embeddings`.

The export holds the whole sentence-transformers pipeline (transformer, mean pooling, dense layers,
normalization) as one graph, plus the tokenizer and prompts, so encoding needs neither torch nor
transformers: a cold process loads it in about a second. OpenVINO computes in bfloat16 where the CPU
has it (AVX512_BF16/AMX) and in float32 elsewhere; both agree with torch float32 to cos > 0.9999.
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

# OpenVINO's telemetry (on unless opted out machine-wide) reports each `import openvino` to an analytics
# server from a multiprocessing child forked off a worker thread. In `shiori ui` that child inherits the
# listening socket and uvicorn's SIGTERM handler; with a stalled network it outlives the server, holding
# its port and ignoring SIGTERM (issue 20). Shiori runs offline: the telemetry package is made
# unimportable before openvino is, and OpenVINO falls back to its own no-op stub (telemetry_stub).
sys.modules.setdefault("openvino_telemetry", None)

MODEL_XML = "openvino_model.xml"
TOKENIZER = "tokenizer.json"
PROMPTS = "config_sentence_transformers.json"
MAX_TOKENS = 2048  # the model's max_seq_length, as sentence-transformers truncates


class OpenVINOEmbeddings(Embeddings):
    """Query/document embeddings from an exported folder; documents arrive already formatted."""

    def __init__(self, folder: Path, *, batch_size: int = 16, query_prompt: str = "query",
                 threads: int | None = None) -> None:
        import openvino as ov
        from tokenizers import Tokenizer

        self.path = Path(folder)
        self.batch_size = batch_size
        self.query_prompt = query_prompt
        self._lock = threading.Lock()  # one inference at a time: the request object is not re-entrant
        config = {"PERFORMANCE_HINT": "LATENCY"}
        if threads:
            config["INFERENCE_NUM_THREADS"] = threads
        core = ov.Core()
        self._compiled = core.compile_model(str(self.path / MODEL_XML), "CPU", config)
        self._request = self._compiled.create_infer_request()
        self.dimension = int(self._compiled.outputs[0].get_partial_shape()[-1].get_length())
        self.tokenizer = Tokenizer.from_file(str(self.path / TOKENIZER))
        pad = self.tokenizer.token_to_id("<pad>")
        self.tokenizer.enable_padding(pad_id=0 if pad is None else pad, pad_token="<pad>")
        self.tokenizer.enable_truncation(MAX_TOKENS)
        prompts_file = self.path / PROMPTS
        self.prompts = dict(json.loads(prompts_file.read_text(encoding="utf-8")).get("prompts") or {}) \
            if prompts_file.is_file() else {}

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # Longest first, as sentence-transformers does: batches pad to similar lengths.
        order = np.argsort([-len(t) for t in texts], kind="stable")
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        with self._lock:
            for i in range(0, len(texts), self.batch_size):
                idx = order[i:i + self.batch_size]
                enc = self.tokenizer.encode_batch([texts[j] for j in idx])
                ids = np.array([e.ids for e in enc], dtype=np.int64)
                mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
                out[idx] = self._request.infer({"input_ids": ids, "attention_mask": mask})[0]
        if not np.isfinite(out).all():  # never index or compare a broken vector
            raise ValueError(f"the embedding model at {self.path} returned non-finite values")
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed pre-formatted document strings (see `ingest.embeddings.document_input`)."""
        return self._encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Embed a question with the model's query prompt."""
        return self._encode([self.prompts.get(self.query_prompt, "") + text])[0].tolist()

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Embed several short queries at once (with the model's query prompt)."""
        prompt = self.prompts.get(self.query_prompt, "")
        return self._encode([prompt + t for t in texts]).tolist()
