"""English for an English asker: statements that carry Japanese text (a record's summary, the sentence that
answers a what/how question) get it rendered by the model, marked as a translation; where the model is missing,
fails, or its rendering does not keep the text's numbers, the original stands, marked as Japanese."""

from __future__ import annotations

import dataclasses
from collections.abc import Generator, Sequence

from rag import messages
from rag.llm.backends import error_text, resolve
from rag.llm.render import render_english
from rag.types import Statement


def render_statements(statements: Sequence[Statement], llm, language: str) -> Generator[str, None, list[Statement]]:
    """The statements with their Japanese quotes in English where the asker reads English (the model's words
    are yielded as it writes them)."""
    out = []
    for st in statements:
        if st.quote_ja is None:
            out.append(st)
            continue
        english, error = None, None
        if language != "ja":
            try:
                model = resolve(llm)
                if model is not None:
                    english = yield from render_english(model, st.quote_ja)
            except Exception as e:  # noqa: BLE001 - the model is down: the original text stands
                error = f"LLM failed: {error_text(e)}"
        if english:
            text = st.text.format(how=" (translated from Japanese)", quote=english)
            out.append(dataclasses.replace(st, text=text, quote_ja=None, debug=[*st.debug, f"rendered: {st.quote_ja!r}"]))
            continue
        how = "" if language == "ja" else " (in Japanese)"
        notices = [*st.notices, messages.say("model_failed", language)] if error else st.notices
        out.append(dataclasses.replace(st, text=st.text.format(how=how, quote=st.quote_ja), quote_ja=None,
                                       notices=notices, error=error or st.error))
    return out
