"""Local exports of the embedding model for faster backends (never from a hub).

The assembled sentence-transformers folder (EmbeddingGemma by default) becomes one OpenVINO model of the
whole pipeline — transformer, mean pooling, dense layers, normalization — via torch.onnx, optionally with
int8 weights (NNCF weight compression: no calibration data, deterministic). It is written to
`models_dir/<source>-<backend>/` with the tokenizer and prompts it needs and `export.json`, which pins the
source checksum, the tool versions, the agreement with torch on probe sentences, and the sha256 of every
file; those are re-checked (by stamp, like fetched models) before use.

Needs torch, sentence-transformers, onnx/onnxscript (and nncf for int8) at export time only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

from ingest.openvino_embeddings import MODEL_XML
from shiori.models import ModelError, require_embedding, sha256_file, verify_file
from shiori.settings import Settings

log = logging.getLogger(__name__)

EXPORTED_BACKENDS = ("openvino", "openvino-int8")
MANIFEST = "export.json"
EXPORT_VERSION = "3"  # bump when the export recipe changes: old exports are rebuilt
# An export that does not reproduce torch float32 this closely is refused.
MIN_PROBE_COS = {"openvino": 0.999, "openvino-int8": 0.995}
# Texts the export must embed as torch does (neutral ones: the code names no document).
PROBES = (
    "task: search result | query: When did the water forum first discuss river quality with Chile?",
    "task: search result | query: 第5回日本・チリ水政策フォーラムはどこで開催されましたか？",
    "title: 水政策フォーラム | text: 第10回(2016年) サンティアゴ 水質監視(適応)、人材育成制度(HRD)、廃水管理。",
    "title: none | text: The agreement was signed at the summit on 6 December 2023 by both cities.",
    # Longer than the 512-token sliding window: the shorter probes are padded past it in the same batch.
    "title: none | text: " + "令和5年12月6日、名古屋市はバルパライソ市と水環境に関する協定を締結した。" * 20,
)
COPIED = ("tokenizer.json", "config_sentence_transformers.json")


def export_dir(settings: Settings, backend: str) -> Path:
    """Where the export of the configured embedding model for `backend` lives."""
    return settings.models_dir / f"{settings.embedding_path.name}-{backend}"


def _source_identity(source: Path) -> str:
    """The source model's weights checksum (the pinned sha256 is verified before export)."""
    weights = source / "model.safetensors"
    return sha256_file(weights) if weights.is_file() else "unknown"


def _fix_hint(backend: str) -> str:
    return f"Delete it and run `shiori models fetch` to export it again ({backend})."


def require_export(settings: Settings, backend: str, *, build: bool = True) -> Path:
    """The verified export for `backend`, built first when missing (a one-time ~2 minutes)."""
    if backend not in EXPORTED_BACKENDS:
        raise ModelError(f"unknown exported embedding backend {backend!r} (one of {', '.join(EXPORTED_BACKENDS)})")
    target = export_dir(settings, backend)
    manifest = target / MANIFEST
    if not manifest.is_file():
        if not build:
            raise ModelError(f"No {backend} export of the embedding model at {target}: run `shiori models fetch`.")
        return export_embedding(settings, backend)
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except ValueError as e:
        raise ModelError(f"Unreadable {manifest}. {_fix_hint(backend)}") from e
    if data.get("export_version") != EXPORT_VERSION and build:
        return export_embedding(settings, backend)
    for name, digest in data.get("files", {}).items():
        verify_file(target / name, digest, fix_hint=_fix_hint(backend))
    return target


def export_status(settings: Settings, backend: str):
    """A `shiori models status` row for the export the configured backend runs."""
    from shiori.models import ModelStatus

    target = export_dir(settings, backend)
    try:
        require_export(settings, backend, build=False)
        return ModelStatus(f"embedding ({backend})", "local export of the embedding model", target, True, "sha256 ok")
    except ModelError as e:
        return ModelStatus(f"embedding ({backend})", "local export of the embedding model", target, False, str(e))


def export_embedding(settings: Settings, backend: str) -> Path:
    """Export the embedding model for `backend` into the models dir (atomically) and check it."""
    source = require_embedding(settings)
    target = export_dir(settings, backend)
    log.warning("exporting %s for the %s backend (one time, about 2 minutes)…", source.name, backend)
    settings.models_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.models_dir, prefix=f".{target.name}.") as tmp:
        work, out = Path(tmp) / "onnx", Path(tmp) / "out"
        work.mkdir()
        out.mkdir()
        try:
            reference, versions = _to_openvino(source, out, int8=backend.endswith("-int8"),
                                               threads=settings.llm_threads, work=work)
            shutil.rmtree(work)
        except Exception as e:  # noqa: BLE001 - any exporter failure: say how to run without an export
            raise ModelError(f"Could not export {source} for the {backend} backend ({type(e).__name__}: {e}). "
                             "Set SHIORI_EMBEDDING_BACKEND=torch to run the model as it is.") from e
        for name in COPIED:
            if (source / name).is_file():
                shutil.copy2(source / name, out / name)
        import numpy as np

        from ingest.openvino_embeddings import OpenVINOEmbeddings

        try:  # one batch: the short probes are padded to the long one, as ingestion pads them
            got = np.asarray(OpenVINOEmbeddings(out, threads=settings.llm_threads).embed_documents(list(PROBES)))
        except ValueError as e:
            raise ModelError(f"The {backend} export gives no usable vectors ({e}); not using it.") from e
        cos = float((got * reference).sum(axis=1).min())
        if cos < MIN_PROBE_COS[backend]:
            raise ModelError(f"The {backend} export disagrees with the original model (probe cos {cos:.4f} < "
                             f"{MIN_PROBE_COS[backend]}); not using it.")
        files = {p.name: sha256_file(p) for p in sorted(out.iterdir()) if p.is_file()}
        manifest = {"export_version": EXPORT_VERSION, "backend": backend, "source": str(source),
                    "source_sha256": _source_identity(source), "probe_min_cos": round(cos, 6),
                    "versions": versions, "files": files}
        (out / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        os.replace(out, target)
    for name, digest in files.items():
        verify_file(target / name, digest, fix_hint=_fix_hint(backend))  # writes the stamps
    log.warning("exported to %s (probe agreement cos %.5f)", target, cos)
    return target


def _to_openvino(source: Path, out: Path, *, int8: bool, threads: int, work: Path):
    """The whole sentence-transformers pipeline as one OpenVINO model; returns torch's probe vectors, versions.

    The route is torch.onnx (dynamo) → ONNX → OpenVINO. The shorter torch.export → OpenVINO route converts
    in half the time but its attention yields NaN for padded texts batched with one longer than the
    512-token sliding window (tests/integration/test_embedding_backend_real.py).
    """
    import warnings

    import onnx
    import openvino as ov
    import sentence_transformers
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(threads)
    model = SentenceTransformer(str(source), device="cpu", local_files_only=True,
                                model_kwargs={"torch_dtype": torch.float32}).eval()
    reference = model.encode(list(PROBES), prompt="", normalize_embeddings=True, convert_to_numpy=True)

    class Pipeline(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.model({"input_ids": input_ids, "attention_mask": attention_mask})["sentence_embedding"]

    example = model.tokenizer(list(PROBES[:2]), padding=True, return_tensors="pt")
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
            "sentence_embedding": {0: "batch"}}
    onnx_path = work / "model.onnx"
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(Pipeline().eval(), (example["input_ids"], example["attention_mask"]), str(onnx_path),
                          input_names=["input_ids", "attention_mask"], output_names=["sentence_embedding"],
                          dynamic_axes=axes, opset_version=18, dynamo=True, external_data=True, verbose=False)
    converted = ov.convert_model(str(onnx_path))
    versions = {"torch": torch.__version__, "sentence_transformers": sentence_transformers.__version__,
                "onnx": onnx.__version__, "openvino": ov.__version__}
    if int8:
        import nncf

        converted = nncf.compress_weights(converted, mode=nncf.CompressWeightsMode.INT8_ASYM)
        versions["nncf"] = nncf.__version__
    ov.save_model(converted, str(out / MODEL_XML), compress_to_fp16=False)
    return reference, versions


def digest_of(folder: Path) -> str:
    """One hash over an export: its files, with the graph's generated node names left out.

    Two exports of the same model give the same weights byte for byte and the same graph; only the
    converter's internal node names (counters) may differ, so those are not hashed.
    """
    import re

    h = hashlib.sha256()
    for p in sorted(folder.iterdir()):
        if not p.is_file() or p.name == MANIFEST or p.name.startswith("."):
            continue
        h.update(p.name.encode())
        if p.suffix == ".xml":
            h.update(re.sub(r' names?="[^"]*"', "", p.read_text(encoding="utf-8")).encode())
        else:
            h.update(sha256_file(p).encode())
    return h.hexdigest()
