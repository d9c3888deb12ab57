"""Saved llama.cpp KV states of fixed prompt prefixes (the system prompt), so no process reads them twice.

A prefix is the chat-template rendering of a system message up to where the first user message begins.
Its state (the KV cache after reading it) is computed once, written to `<dir>/<key>.npz`, and loaded
by every later process in milliseconds. The key hashes the model file (path, size, mtime), n_ctx, the
llama-cpp-python version and build (shiori.llama_runtime), the system text and its tokens, so a changed
prompt, model, build or template never loads a stale state. Within a process, restoring also brings a
prefix back after another prompt (the follow-up rewrite) displaced it. Any failure only costs the
prefill it would have saved.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

KEEP_FILES = 8  # states of older prompts are pruned (each is a few MB)


class _Captured(Exception):
    """Raised by the capturing proxy once the chat handler has tokenized the prompt."""


class _PromptCapture:
    """Stands in for the Llama object so its chat handler renders and tokenizes without generating."""

    def __init__(self, llama: Any) -> None:
        self._llama = llama
        self.tokens: list[int] | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._llama, name)

    def create_completion(self, prompt: Any, **_: Any) -> Any:
        self.tokens = list(prompt)
        raise _Captured


def chat_tokens(llama: Any, messages: list[dict[str, Any]]) -> list[int]:
    """The prompt tokens llama-cpp-python's chat completion would evaluate for these messages."""
    from llama_cpp import llama_chat_format

    handler = (llama.chat_handler or llama._chat_handlers.get(llama.chat_format)
               or llama_chat_format.get_chat_completion_handler(llama.chat_format))
    proxy = _PromptCapture(llama)
    with contextlib.suppress(_Captured):
        handler(llama=proxy, messages=messages, max_tokens=1)
    if proxy.tokens is None:
        raise RuntimeError("the chat handler did not tokenize a prompt")
    return proxy.tokens


def system_prefix(llama: Any, system: str) -> list[int]:
    """Tokens every prompt with this system message starts with (up to the first user turn's text)."""
    a = chat_tokens(llama, [{"role": "system", "content": system}, {"role": "user", "content": "A"}])
    b = chat_tokens(llama, [{"role": "system", "content": system}, {"role": "user", "content": "B"}])
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return a[:n]


@dataclass
class _Entry:
    tokens: list[int]
    state: Any  # llama_cpp.LlamaState


class PrefixStates:
    """KV states of system-prompt prefixes for one Llama object: in memory, on disk, or read once."""

    def __init__(self, llama: Any, directory: Path) -> None:
        self.llama = llama
        self.directory = Path(directory)
        self._entries: dict[str, _Entry] = {}
        model = Path(llama.model_path).resolve()
        st = model.stat()
        import llama_cpp

        from shiori.llama_runtime import build_identity, loaded_variant

        # The build and CPU variant too: another build's kernels give a (slightly) different state.
        self._identity = {"model": str(model), "size": st.st_size, "mtime_ns": st.st_mtime_ns,
                          "n_ctx": llama.n_ctx(), "llama_cpp": llama_cpp.__version__,
                          "build": build_identity(), "variant": loaded_variant()}

    def key(self, system: str, tokens: list[int]) -> str:
        """The file key: model identity, n_ctx, binding version, system text and its tokens."""
        blob = json.dumps({**self._identity, "system": system, "tokens": tokens}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:32]

    def restore(self, messages: list[dict[str, Any]]) -> None:
        """Before a completion: make the KV cache start with these messages' system prefix (never raises)."""
        if not messages or messages[0].get("role") != "system":
            return
        try:
            entry = self._entry(str(messages[0].get("content") or ""))
            if entry is None or self._holds(entry.tokens):
                return
            self.llama.load_state(entry.state)
        except Exception as e:  # noqa: BLE001 - only the saving is lost: the prompt is read as usual
            log.warning("prompt prefix cache unavailable: %s: %s", type(e).__name__, e)

    def _holds(self, tokens: list[int]) -> bool:
        llama = self.llama
        return llama.n_tokens >= len(tokens) and list(llama.input_ids[: len(tokens)]) == tokens

    def _entry(self, system: str) -> _Entry | None:
        if system in self._entries:
            return self._entries[system]
        tokens = system_prefix(self.llama, system)
        if len(tokens) < 8:
            return None  # nothing worth caching
        path = self.directory / f"{self.key(system, tokens)}.npz"
        entry = self._load(path, tokens) or self._compute(path, tokens)
        self._entries[system] = entry
        return entry

    def _state(self, tokens: list[int], blob: bytes, seed: int) -> Any:
        from llama_cpp import LlamaState

        llama = self.llama
        ids = np.zeros(llama.n_ctx(), dtype=np.intc)
        ids[: len(tokens)] = tokens
        # Logits are not kept: the question that follows the prefix is always read, which refreshes them.
        scores = np.zeros((1, llama.n_vocab()), dtype=np.single)
        return LlamaState(input_ids=ids, scores=scores, n_tokens=len(tokens), llama_state=blob,
                          llama_state_size=len(blob), seed=seed)

    def _load(self, path: Path, tokens: list[int]) -> _Entry | None:
        try:
            with np.load(path) as data:
                if data["tokens"].tolist() != tokens:
                    return None
                entry = _Entry(tokens, self._state(tokens, data["state"].tobytes(), int(data["seed"])))
            os.utime(path)  # recently used: kept by pruning
            return entry
        except (OSError, KeyError, ValueError):
            return None

    def _compute(self, path: Path, tokens: list[int]) -> _Entry:
        llama = self.llama
        # Keep what the KV cache already shares with the prefix, read the rest, drop anything after it.
        held = 0
        for a, b in zip(llama.input_ids[: llama.n_tokens], tokens, strict=False):
            if a != b:
                break
            held += 1
        llama.n_tokens = min(held, len(tokens) - 1)
        llama.eval(tokens[llama.n_tokens:])
        full = llama.save_state()
        entry = _Entry(tokens, self._state(tokens, full.llama_state, int(full.seed)))
        self._save(path, tokens, full.llama_state, int(full.seed))
        return entry

    def _save(self, path: Path, tokens: list[int], blob: bytes, seed: int) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as fh:
                np.savez(fh, tokens=np.asarray(tokens, dtype=np.int32),
                         state=np.frombuffer(blob, dtype=np.uint8), seed=np.int64(seed))
            os.replace(fh.name, path)  # atomic: a reader never sees half a state
            old = sorted(path.parent.glob("*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)[KEEP_FILES:]
            for stale in old:
                stale.unlink(missing_ok=True)
        except OSError as e:
            log.warning("could not save the prompt prefix state to %s: %s", path, e)
