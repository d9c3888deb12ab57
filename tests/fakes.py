"""Small fakes for fast unit tests (real models are exercised by the tests marked slow)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult


class HashEmbeddings(Embeddings):
    """Character-bigram hashing into a unit vector: deterministic, fast, and roughly lexical."""

    def __init__(self, dimension: int = 64) -> None:
        self.dimension = dimension
        self.calls = 0

    def _vec(self, text: str) -> list[float]:
        v = np.full(self.dimension, 1e-3)
        for a, b in zip(text, text[1:], strict=False):
            v[int(hashlib.md5((a + b).encode()).hexdigest()[:8], 16) % self.dimension] += 1.0
        return (v / np.linalg.norm(v)).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed documents."""
        self.calls += len(texts)
        return [self._vec(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        """Embed a query."""
        return self._vec(text)


class ScriptedChatModel(BaseChatModel):
    """A chat model that answers from a script: a fixed reply, a function of the prompt, or an error."""

    reply: Any = "NOT FOUND"
    fail: bool = False
    prompts: list = []

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _text(self, messages) -> str:
        self.prompts.append(messages)
        if self.fail:
            raise ConnectionError("LLM backend unreachable")
        return self.reply(messages) if callable(self.reply) else self.reply

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self._text(messages)))])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs) -> Iterator[ChatGenerationChunk]:
        for token in self._text(messages).split(" "):
            yield ChatGenerationChunk(message=AIMessageChunk(content=token + " "))
