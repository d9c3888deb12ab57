"""Child process for the kill -9 upload tests: one upload through ui.upload, paused at a step for SIGKILL.

Usage: python tests/reliability/_upload_child.py CORPUS INDEX MODEL_DIR SOURCE NAME REPLACE PAUSE_AT
PAUSE_AT is "staged" (copied beside uploads/, not yet in place), "moved" (in uploads/, being indexed) or
"none". The child prints the step it reached and waits there; the parent sends SIGKILL.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from rag.service import Shiori
from shiori.settings import Settings
from tests.fakes import HashEmbeddings, ScriptedChatModel
from ui.upload import commit, stage


def main() -> None:
    """Stage SOURCE as NAME, then commit it, announcing `staged` and `moved` on the way."""
    corpus, index, model, source, name, replace, pause_at = sys.argv[1:8]
    settings = Settings(corpus_dir=Path(corpus), index_dir=Path(index), embedding_model_path=Path(model),
                        cache_dir=Path(index).parent / "cache", translate_names=False)
    service = Shiori(settings, embeddings=HashEmbeddings(), llm=ScriptedChatModel(prompts=[]))

    def announce(step: str) -> None:
        print(step, flush=True)
        if step == pause_at:
            time.sleep(120)  # the parent kills the process here; it never resumes

    staged = stage(Path(source), name, settings, replace=replace == "replace")
    announce("staged")
    real = service.ingest

    def ingest(paths, **kw):
        announce("moved")
        return real(paths, **kw)

    service.ingest = ingest
    result = commit(staged, service, settings, replace=replace == "replace")
    print(f"done {result.ok} {result.message}", flush=True)


if __name__ == "__main__":
    main()
