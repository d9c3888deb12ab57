"""The saved system-prompt state with the real GGUF: loaded (not re-read) by a new model, same answer."""

from __future__ import annotations

from difflib import SequenceMatcher
from pathlib import Path

import pytest

from shiori.settings import Settings

pytestmark = pytest.mark.slow

MESSAGES = [("system", None), ("human", "Passages:\n[1] 日・モンゴル環境政策対話 第6回 (2011年) 南ゴビ県ダランザドガド\n\n"
                                        "Question: Where was the 6th Japan-Mongolia dialogue held?\n\nAnswer in English.")]


def _answer(chat) -> str:
    from rag.llm.prompts import RENDER_SYSTEM as SYSTEM

    return "".join(str(c.content) for c in chat.stream([(MESSAGES[0][0], SYSTEM), MESSAGES[1]]))


def test_a_new_model_loads_the_saved_prefix_and_answers_the_same(tmp_path: Path) -> None:
    from tests.conftest import models_ready

    if not models_ready():
        pytest.skip("models not assembled")
    from rag.llm.backends import _llamacpp
    from rag.llm.prefix_cache import system_prefix
    from rag.llm.prompts import RENDER_SYSTEM as SYSTEM
    from shiori.models import require_llm

    path = str(require_llm(Settings()))
    build = _llamacpp.__wrapped__  # a fresh Llama each time, as in a new process
    first = build(path, 2, 2048, 24, str(tmp_path / "states"))
    expected = _answer(first)
    assert len(list((tmp_path / "states").glob("*.npz"))) == 1
    del first

    fresh = build(path, 2, 2048, 24, str(tmp_path / "states"))
    evaluated: list[int] = []
    real_eval = fresh.client.eval
    fresh.client.eval = lambda tokens: (evaluated.append(len(tokens)), real_eval(tokens))[1]
    prefix = system_prefix(fresh.client, SYSTEM)
    fresh.warm_prefix(SYSTEM)
    assert evaluated == [] and fresh.client.n_tokens == len(prefix)  # loaded from disk, not read
    fresh.client.eval = real_eval
    assert _answer(fresh) == expected
    del fresh

    # Read in one batch instead of two, the sums round differently, so a near-tie token may flip
    # (seen: "Dalandzogdga" / "Dalandzogdaga"); the answer must still be the same answer.
    plain = build(path, 2, 2048, 24, None)  # no cache: the prompt is read in full
    assert SequenceMatcher(None, _answer(plain), expected).ratio() >= 0.9
