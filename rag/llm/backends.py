"""The answer LLM: the embedded llama.cpp model, or any OpenAI-compatible endpoint, by settings."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Generator
from functools import lru_cache
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel

from shiori.models import NATIVE_LOAD, require_llm
from shiori.settings import Settings

log = logging.getLogger(__name__)


class LLMError(RuntimeError):
    """The LLM could not be loaded or did not answer; retrieved passages are still shown."""


# llama.cpp is not re-entrant: one generation at a time per loaded model.
GENERATION_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _chat_class() -> type:
    """ChatLlamaCpp that restores the fixed system-prompt prefix from a saved KV state instead of reading it."""
    import warnings

    from pydantic import PrivateAttr

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from langchain_community.chat_models import ChatLlamaCpp

    class PrefixCachedChatLlamaCpp(ChatLlamaCpp):
        _prefixes: Any = PrivateAttr(default=None)

        def warm_prefix(self, system: str) -> None:
            """Put this system prompt's prefix in the KV cache now (from disk, or read once and saved)."""
            if self._prefixes is not None:
                self._prefixes.restore([{"role": "system", "content": system}, {"role": "user", "content": "?"}])

        def _stream(self, messages, stop=None, run_manager=None, **kwargs):
            if self._prefixes is not None:
                self._prefixes.restore(self._create_message_dicts(messages))
            yield from super()._stream(messages, stop=stop, run_manager=run_manager, **kwargs)

        def _generate(self, messages, stop=None, run_manager=None, **kwargs):
            if self._prefixes is not None:  # the short tasks (choose, phrase, rewrite) are invoked, not streamed
                self._prefixes.restore(self._create_message_dicts(messages))
            return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)

    return PrefixCachedChatLlamaCpp


@lru_cache(maxsize=2)
def _llamacpp(path: str, threads: int, n_ctx: int, max_tokens: int, prefix_dir: str | None) -> BaseChatModel:
    chat = _chat_class()(model_path=path, n_ctx=n_ctx, n_threads=threads, n_batch=512, temperature=0.0,
                         max_tokens=max_tokens, verbose=False, seed=0)
    if prefix_dir:
        from rag.llm.prefix_cache import PrefixStates

        chat._prefixes = PrefixStates(chat.client, Path(prefix_dir))
    return chat


_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][^\s\\/:'\"(),]+)+[\\/]([^\s\\/:'\"(),]+)")


def without_paths(message: str) -> str:
    """A message with every file path cut to its file name (users are not shown server paths)."""
    return _PATH.sub(r"\1", message)


def error_text(error: BaseException) -> str:
    """What users see of an LLM failure: its kind and first line, without server paths or internals."""
    text = " ".join(str(error).split()) or type(error).__name__
    text = re.sub(r"(?:/[\w.\-]+)+/?", "<path>", text)  # server paths stay in the log
    text = re.sub(r"\bfor further information visit \S+", "", text)
    return text[:500]


def build_chat_model(settings: Settings) -> BaseChatModel:
    """The chat model the settings choose (llamacpp | openai); raise LLMError with the fix.

    The error's text is shown to users: it names the fix but no server path and no library internals;
    the log keeps the details."""
    if settings.llm_backend == "none":
        raise LLMError("No LLM configured (SHIORI_LLM_BACKEND=none): showing retrieved passages only.")
    if settings.llm_backend == "openai":
        try:
            from langchain_openai import ChatOpenAI

            return ChatOpenAI(base_url=settings.llm_base_url, model=settings.llm_model,
                              api_key=settings.llm_api_key, temperature=0.0, max_tokens=settings.llm_max_tokens,
                              timeout=settings.llm_timeout_s, max_retries=1)
        except Exception as e:  # noqa: BLE001 - pydantic's text is for the log
            log.error("could not set up the OpenAI-compatible client: %s", e)
            raise LLMError("Could not set up the OpenAI-compatible LLM client: check SHIORI_LLM_BASE_URL and "
                           "SHIORI_LLM_MODEL.") from e
    try:
        path = require_llm(settings)
    except Exception as e:  # noqa: BLE001 - ModelError already names the fix
        log.error("LLM model check failed: %s", e)
        raise LLMError(without_paths(str(e))) from e
    _refuse_crashing_build(settings, path)
    prefix_dir = str(settings.llm_prefix_cache_dir) if settings.llm_prefix_cache else None
    try:
        with NATIVE_LOAD:
            return _llamacpp(str(path), settings.llm_threads, settings.llm_context_tokens, settings.llm_max_tokens,
                             prefix_dir)
    except ImportError as e:
        raise LLMError("llama-cpp-python is not installed: run scripts/setup.sh (it compiles it once).") from e
    except Exception as e:  # noqa: BLE001
        log.error("could not load the LLM from %s: %s", path, e)
        fix = ("check SHIORI_LLM_MODEL_PATH" if settings.llm_model_path is not None
               else "run `shiori models fetch --force llm`")
        raise LLMError(f"Could not load the LLM model file {path.name}: llama.cpp cannot read it "
                       f"(not a GGUF model, or damaged); {fix}.") from e


def _refuse_crashing_build(settings: Settings, path: Path) -> None:
    """Raise LLMError when the installed llama.cpp build crashes on this CPU with this model: a native
    crash cannot be caught, so it is found in a child process (shiori.llm_check, cached per build)."""
    from shiori.llm_check import cached

    verdict = cached(settings, path)
    if verdict.crashed:
        log.error("llama.cpp build %s crashed in its check on this machine (%s): not loading it; answers "
                  "are composed by code until `make run` rebuilds it", verdict.build, verdict.detail)
        custom = " (or SHIORI_LLM_MODEL_PATH names a model it cannot run)" if settings.llm_model_path else ""
        raise LLMError(f"The embedded LLM crashes on this machine: llama.cpp was {verdict.detail} in a test "
                       f"completion{custom}. Run `make run` again: its set-up rebuilds llama-cpp-python with "
                       "safe flags. Meanwhile answers are composed from the documents.")


def complete(llm: BaseChatModel, system: str, human: str, *, max_tokens: int = 120, stop: list[str] | None = None,
             grammar: str | None = None) -> str:
    """One short completion (no streaming) under the generation lock; `grammar` (GBNF) constrains the
    output where the backend supports it (llama.cpp), else it is left to the prompt."""
    kwargs: dict = {"max_tokens": max_tokens}
    if grammar is not None and "grammar" in type(llm).model_fields:
        from llama_cpp import LlamaGrammar

        kwargs["grammar"] = _grammar(grammar, LlamaGrammar)
    with GENERATION_LOCK:
        out = llm.invoke([("system", system), ("human", human)], stop=stop, **kwargs)
    return str(out.content).strip()


def complete_streamed(llm: BaseChatModel, system: str, human: str, *, max_tokens: int = 120,
                      stop: list[str] | None = None) -> Generator[str, None, str]:
    """One short completion, its pieces yielded as the model writes them (under the generation lock);
    returns the whole text, stripped, as `complete` would."""
    pieces: list[str] = []
    with GENERATION_LOCK:
        for chunk in llm.stream([("system", system), ("human", human)], stop=stop, max_tokens=max_tokens):
            piece = str(chunk.content)
            pieces.append(piece)
            yield piece
    return "".join(pieces).strip()


@lru_cache(maxsize=32)
def _grammar(text: str, cls):
    return cls.from_string(text, verbose=False)


class ModelOnDemand:
    """The chat model, loaded the first time a step needs it (a record answer needs none); a load
    failure is remembered as a user-safe message instead of raised."""

    def __init__(self, factory) -> None:
        self._factory = factory
        self._model = None
        self._tried = False
        self.error: str | None = None

    def get(self):
        """The model, or None when it cannot be loaded (see `error`)."""
        if not self._tried:
            self._tried = True
            try:
                self._model = self._factory()
            except Exception as e:  # noqa: BLE001 - the answer comes from the evidence; the banner says why
                self.error = error_text(e)
        return self._model


def resolve(llm):
    """A model from a model or a `ModelOnDemand` (None stays None)."""
    return llm.get() if isinstance(llm, ModelOnDemand) else llm


def warm_up(llm: BaseChatModel, system: str) -> None:
    """Have the system prompt's prefix in the model's KV cache before the first question."""
    warm = getattr(llm, "warm_prefix", None)
    if warm is not None:  # an embedded llama.cpp model; remote endpoints cache on their side
        with GENERATION_LOCK:
            warm(system)
