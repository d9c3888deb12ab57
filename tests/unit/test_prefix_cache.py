"""The saved system-prompt state: read once, reused by a new process, never stale (fake llama.cpp)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from rag.llm.prefix_cache import PrefixStates, system_prefix


def _render(messages: list[dict[str, Any]]) -> str:
    return "".join(f"<{m['role']}>{m['content']}</{m['role']}>" for m in messages) + "<assistant>"


class FakeLlama:
    """The parts of llama_cpp.Llama the cache uses; the 'KV cache' is the list of evaluated tokens."""

    def __init__(self, model: Path, n_ctx: int = 256) -> None:
        self.model_path = str(model)
        self._n_ctx = n_ctx
        self.input_ids = np.zeros(n_ctx, dtype=np.intc)
        self.n_tokens = 0
        self.evaluated = 0  # tokens read by the model: what the cache saves
        self.chat_format = "fake"
        self._chat_handlers: dict = {}

        def handler(*, llama, messages, **kwargs):
            return llama.create_completion(prompt=[ord(c) for c in _render(messages)], **kwargs)

        self.chat_handler = handler

    def n_ctx(self) -> int:
        return self._n_ctx

    def n_vocab(self) -> int:
        return 8

    def eval(self, tokens: list[int]) -> None:
        self.input_ids[self.n_tokens:self.n_tokens + len(tokens)] = tokens
        self.n_tokens += len(tokens)
        self.evaluated += len(tokens)

    def save_state(self):
        from llama_cpp import LlamaState

        blob = bytes(self.input_ids[: self.n_tokens].astype(np.uint8))  # stands for the KV bytes
        return LlamaState(input_ids=self.input_ids.copy(), scores=np.zeros((self.n_tokens, 8), np.single),
                          n_tokens=self.n_tokens, llama_state=blob, llama_state_size=len(blob), seed=7)

    def load_state(self, state) -> None:
        assert bytes(state.input_ids[: state.n_tokens].astype(np.uint8)) == state.llama_state
        self.input_ids = state.input_ids.copy()
        self.n_tokens = state.n_tokens

    def create_completion(self, prompt, **kwargs):  # a real completion would read the rest of the prompt
        raise AssertionError("the cache must only tokenize")


SYSTEM = "You answer from the numbered passages only."


def _messages(system: str = SYSTEM, user: str = "Where?") -> list[dict[str, str]]:
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


@pytest.fixture
def model(tmp_path: Path) -> Path:
    path = tmp_path / "model.gguf"
    path.write_bytes(b"gguf")
    return path


def test_prefix_is_the_system_turn_up_to_the_user_text(model: Path) -> None:
    tokens = system_prefix(FakeLlama(model), SYSTEM)
    assert "".join(map(chr, tokens)) == f"<system>{SYSTEM}</system><user>"


def test_read_once_then_loaded_by_a_new_process(model: Path, tmp_path: Path) -> None:
    first = FakeLlama(model)
    PrefixStates(first, tmp_path / "states").restore(_messages())
    prefix = system_prefix(first, SYSTEM)
    assert first.evaluated == len(prefix) and first.n_tokens == len(prefix)
    assert len(list((tmp_path / "states").glob("*.npz"))) == 1

    fresh = FakeLlama(model)  # a cold process: nothing read yet
    PrefixStates(fresh, tmp_path / "states").restore(_messages(user="another question"))
    assert fresh.evaluated == 0  # loaded, not read
    assert list(fresh.input_ids[: fresh.n_tokens]) == prefix


def test_a_displaced_prefix_is_restored_in_memory(model: Path, tmp_path: Path) -> None:
    llama = FakeLlama(model)
    cache = PrefixStates(llama, tmp_path / "states")
    cache.restore(_messages())
    cache.restore(_messages(system="Rewrite the follow-up question."))  # e.g. the rewrite prompt
    read = llama.evaluated
    cache.restore(_messages())
    assert llama.evaluated == read  # back from memory
    assert "".join(map(chr, llama.input_ids[: llama.n_tokens])).startswith(f"<system>{SYSTEM}")


@pytest.mark.parametrize("change", ["prompt", "model", "n_ctx"])
def test_a_changed_prompt_model_or_context_is_never_loaded_stale(model: Path, tmp_path: Path, change: str) -> None:
    PrefixStates(FakeLlama(model), tmp_path / "states").restore(_messages())
    system, n_ctx = SYSTEM, 256
    if change == "prompt":
        system = SYSTEM + " Write years in digits."
    elif change == "model":
        model.write_bytes(b"another gguf")
    else:
        n_ctx = 512
    llama = FakeLlama(model, n_ctx=n_ctx)
    PrefixStates(llama, tmp_path / "states").restore(_messages(system=system))
    assert llama.evaluated == len(system_prefix(llama, system))  # read anew, not loaded
    assert len(list((tmp_path / "states").glob("*.npz"))) == 2


def test_a_corrupt_state_file_is_read_again(model: Path, tmp_path: Path) -> None:
    PrefixStates(FakeLlama(model), tmp_path / "states").restore(_messages())
    (file,) = (tmp_path / "states").glob("*.npz")
    file.write_bytes(b"garbage")
    llama = FakeLlama(model)
    PrefixStates(llama, tmp_path / "states").restore(_messages())
    assert llama.evaluated == len(system_prefix(llama, SYSTEM))


def test_no_system_message_or_unwritable_dir_is_harmless(model: Path, tmp_path: Path) -> None:
    llama = FakeLlama(model)
    PrefixStates(llama, tmp_path / "states").restore([{"role": "user", "content": "hi"}])
    assert llama.evaluated == 0
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    PrefixStates(llama, blocked / "states").restore(_messages())  # cannot save: still restores in memory
    assert llama.n_tokens == len(system_prefix(llama, SYSTEM))
