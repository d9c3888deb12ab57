"""The llama.cpp build this environment runs: its manifest and identity (without loading it), and once
loaded, the CPU backend variant in use and llama.cpp's own system info."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
from pathlib import Path

from shiori.llama_build import MANIFEST


def package_dir() -> Path | None:
    """The installed llama_cpp package folder, found without importing it (importing loads the libraries)."""
    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def manifest(package: Path | None = None) -> dict | None:
    """What Shiori's build recorded about itself (None: a wheel set-up did not build)."""
    package = package or package_dir()
    if package is None:
        return None
    try:
        return json.loads((package.parent / MANIFEST).read_text())
    except (OSError, ValueError):
        return None


def build_identity(package: Path | None = None) -> str | None:
    """The build's key; for a wheel without a manifest, a hash of its libraries (name, size, mtime)."""
    package = package or package_dir()
    if package is None:
        return None
    found = manifest(package)
    if found and found.get("key"):
        return str(found["key"])
    h = hashlib.sha256()
    for lib in sorted((package / "lib").glob("*.so*")):
        st = lib.stat()
        h.update(f"{lib.name}:{st.st_size}:{st.st_mtime_ns};".encode())
    return f"unmanaged-{h.hexdigest()[:12]}"


def loaded_variant(maps: str | None = None) -> str | None:
    """The CPU backend variant this process mapped (e.g. "zen4"); None before loading, or for a build
    with the CPU backend linked in."""
    if maps is None:
        try:
            maps = Path("/proc/self/maps").read_text()
        except OSError:
            return None
    m = re.search(r"libggml-cpu-([\w.]+?)\.so", maps)
    return m.group(1) if m else None


def system_info() -> str:
    """llama.cpp's `llama_print_system_info()`: the CPU features the loaded backend was compiled for."""
    import llama_cpp

    return llama_cpp.llama_print_system_info().decode(errors="replace").strip()
