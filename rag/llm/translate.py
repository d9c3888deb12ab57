"""Name translation by the LLM for the glossary stored at ingest (ingest.translation.NameTranslator checks
each name by sound before storing it). Questions are not translated by the LLM: measured, its renderings
of English questions failed their checks (names swapped for few-shot examples, words left in English);
rag.read.crosslingual maps question words with the embedding model instead.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence

from rag.llm.backends import complete
from rag.llm.prompts import NAMES_SYSTEM, fewshot

log = logging.getLogger(__name__)



class LLMTranslator:
    """Name translation with the answer LLM."""

    def __init__(self, llm) -> None:
        self.llm = llm

    def translate_names(self, names: Sequence[str], target: str) -> dict[str, str]:
        """name -> translation (unchecked here: ingest.translation checks each before storing)."""
        if not names:
            return {}
        language = "English" if target == "en" else "Japanese"
        pairs = fewshot()["translate_names"]
        shots = [(ja, en) if target == "en" else (en, ja) for ja, en in pairs]
        example = "\n".join(f"{i}. {src}" for i, (src, _) in enumerate(shots, 1))
        answer = "\n".join(f"{i}. {tgt}" for i, (_, tgt) in enumerate(shots, 1))
        out: dict[str, str] = {}
        for start in range(0, len(names), 12):  # short batches: a 1.5B model loses count in long lists
            batch = list(names[start:start + 12])
            listing = "\n".join(f"{i}. {n}" for i, n in enumerate(batch, 1))
            text = complete(self.llm, NAMES_SYSTEM.format(language=language),
                            f"Names:\n{example}\nTranslations:\n{answer}\n\nNames:\n{listing}\nTranslations:",
                            max_tokens=24 * len(batch))
            for line in text.splitlines():
                m = re.match(r"\s*(\d+)[.)]\s*(.+)$", line)
                if m and 1 <= int(m.group(1)) <= len(batch):
                    out[batch[int(m.group(1)) - 1]] = m.group(2).strip()
        return out


def translator_for(settings, notice: Callable[[str], None] | None = None) -> LLMTranslator | None:
    """The name translator ingest uses (None when translation is off or no LLM loads; `notice` hears why)."""
    if not settings.translate_names or settings.llm_backend == "none":
        return None
    from rag.llm.backends import build_chat_model

    try:
        return LLMTranslator(build_chat_model(settings))
    except Exception as e:  # noqa: BLE001 - documents still ingest, without translated names
        log.warning("no LLM for name translation: %s", e)
        if notice is not None:
            notice(f"documents are indexed without translated names: {e} Once the LLM runs, "
                   "`shiori ingest --rebuild` translates them.")
        return None
