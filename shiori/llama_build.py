"""Which llama.cpp build set-up compiles, and the key its wheel is cached under (stdlib only: set-up runs
this before the project is installed).

llama-cpp-python ships only as source, so set-up compiles it once into `CACHE/build/<key>/`. The key
hashes what the binary depends on: the binding's version, every CMake flag, the CPU features the code
assumes and the machine architecture; a wheel is never reused where its assumptions do not hold.

- portable (the default): llama.cpp's CPU backend built once per x86-64 micro-architecture
  (GGML_BACKEND_DL + GGML_CPU_ALL_VARIANTS) and the best one for the running CPU loaded at run time: one
  wheel for any x86-64 machine, as fast as a native build here (benchmarks/RESULTS.md). The AMX variant
  is left out: llama.cpp's AMX kernels segfaulted on the first multi-token decode (issue #19); an AMX CPU
  runs the AVX-512 variant instead.
- safe: fixed flags for the CPU it is built on, AMX off. Set-up builds it when the installed build
  crashes in its check (shiori.llm_check).
- native: -march=native, for this CPU only (SHIORI_LLAMA_BUILD=native; benchmarks).
"""

from __future__ import annotations

import base64
import hashlib
import json
import platform
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

KINDS = ("portable", "safe", "native")
MANIFEST = "llama_cpp/shiori_build.json"  # what was built and why; read at run time by shiori.llama_runtime
# Shiori never loads the multimodal (mtmd/llava) library: it is ~1/6 of the files to compile.
COMMON_ARGS = ("-DLLAVA_BUILD=OFF",)
# Variant libraries go beside libllama (llama_cpp/lib) rather than to bin/ at the top of site-packages.
# Typed STRING: untyped, CMake makes the PATH relative to the build's source folder, and the variants are
# installed there, outside the wheel.
PORTABLE_ARGS = ("-DGGML_NATIVE=OFF", "-DGGML_BACKEND_DL=ON", "-DGGML_CPU_ALL_VARIANTS=ON",
                 "-DGGML_BACKEND_DIR:STRING=llama_cpp/lib")
AMX_VARIANTS = ("sapphirerapids",)
# /proc/cpuinfo flag -> llama.cpp's GGML_* option (x86-64); AMX is never enabled.
X86_FEATURES = {"sse4_2": "SSE42", "avx": "AVX", "f16c": "F16C", "fma": "FMA", "avx2": "AVX2", "bmi2": "BMI2",
                "avx_vnni": "AVX_VNNI", "avx512f": "AVX512", "avx512vbmi": "AVX512_VBMI",
                "avx512_vnni": "AVX512_VNNI", "avx512_bf16": "AVX512_BF16"}
NEVER = ("AMX_TILE", "AMX_INT8", "AMX_BF16")
# The line of llama_cpp/llama_cpp.py after which the CPU backend variants are registered (see _LOADER).
_ANCHOR = "_lib = load_shared_library(_lib_base_name, _base_path)\n"
_LOADER = '''
# Added by Shiori's build (shiori/llama_build.py): this build keeps llama.cpp's CPU backend as one library
# per CPU micro-architecture (GGML_BACKEND_DL). llama.cpp looks for them only beside the executable and in
# the working directory (abetlen/llama-cpp-python#2069), so the best one for this CPU is registered here,
# from beside libllama. SHIORI_LLAMA_CPU_VARIANT names one variant instead (benchmarks).
def _shiori_load_cpu_backend() -> None:
    _lib.ggml_backend_reg_count.restype = ctypes.c_size_t
    if _lib.ggml_backend_reg_count() > 0:
        return
    variant = os.environ.get("SHIORI_LLAMA_CPU_VARIANT")
    if variant:
        _lib.ggml_backend_load.argtypes = [ctypes.c_char_p]
        _lib.ggml_backend_load.restype = ctypes.c_void_p
        _lib.ggml_backend_load(str(_base_path / f"libggml-cpu-{variant}.so").encode())
    else:
        _lib.ggml_backend_load_all_from_path.argtypes = [ctypes.c_char_p]
        _lib.ggml_backend_load_all_from_path(str(_base_path).encode())


_shiori_load_cpu_backend()
'''


class BuildError(RuntimeError):
    """A compiled wheel is not what its recipe promises (e.g. no CPU backend variants in it)."""


def cpu_flags(cpuinfo: str | None = None) -> frozenset[str]:
    """The running CPU's feature flags (/proc/cpuinfo `flags`, or `Features` on ARM)."""
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text()
        except OSError:
            return frozenset()
    for line in cpuinfo.splitlines():
        name, _, value = line.partition(":")
        if name.strip() in ("flags", "Features"):
            return frozenset(value.split())
    return frozenset()


def cpu_fingerprint(flags: frozenset[str]) -> str:
    """A short hash of a CPU's feature flags: what a native build or a crash record is tied to."""
    return hashlib.sha256(" ".join(sorted(flags)).encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Build:
    """One recipe: the flags it compiles with, the CPU features its code assumes, the files it leaves out."""

    kind: str
    version: str
    cmake_args: tuple[str, ...]
    assumes: tuple[str, ...]
    drop: tuple[str, ...] = ()
    arch: str = platform.machine()

    @property
    def key(self) -> str:
        """`<version>-<kind>-<hash of everything the binary depends on>`: the wheel's cache folder."""
        blob = json.dumps(asdict(self), sort_keys=True)
        return f"{self.version}-{self.kind}-{hashlib.sha256(blob.encode()).hexdigest()[:12]}"

    def manifest(self) -> dict:
        """What the wheel records about its own build."""
        return {"key": self.key, **asdict(self)}


def recipe(kind: str, version: str, flags: frozenset[str], extra_args: str = "", arch: str | None = None) -> Build:
    """The build of this kind for a CPU with these flags (`extra_args`: the user's CMAKE_ARGS, appended)."""
    arch = arch or platform.machine()
    extra = tuple(extra_args.split())
    x86 = arch in ("x86_64", "AMD64")
    if kind == "portable":
        drop = tuple(f"llama_cpp/lib/libggml-cpu-{v}.so" for v in AMX_VARIANTS)
        return Build(kind, version, COMMON_ARGS + PORTABLE_ARGS + extra, (arch,), drop, arch)
    if kind == "safe":
        if not x86:
            return Build(kind, version, COMMON_ARGS + ("-DGGML_NATIVE=OFF",) + extra, (arch,), arch=arch)
        have = [opt for flag, opt in X86_FEATURES.items() if flag in flags]
        args = [f"-DGGML_{opt}={'ON' if opt in have else 'OFF'}" for opt in X86_FEATURES.values()]
        args += [f"-DGGML_{opt}=OFF" for opt in NEVER]
        return Build(kind, version, COMMON_ARGS + ("-DGGML_NATIVE=OFF", *args) + extra, (arch, *have), arch=arch)
    if kind == "native":
        return Build(kind, version, COMMON_ARGS + ("-DGGML_NATIVE=ON",) + extra,
                     (arch, f"cpu-{cpu_fingerprint(flags)}"), arch=arch)
    raise ValueError(f"unknown llama.cpp build kind {kind!r} (one of {', '.join(KINDS)})")


def decide(kind: str, status: str) -> str:
    """What set-up does after checking the installed build: keep it, rebuild with safe flags, or run
    without the LLM (a safe build that still fails: answers are composed by code)."""
    if status not in ("crashed", "failed"):
        return "keep"  # ok; or skipped / timed out, which say nothing about the build
    return "rebuild-safe" if kind != "safe" else "without-llm"


def choose(wanted: str, version: str, flags: frozenset[str], extra_args: str, failed_here) -> Build:
    """The build to install: the wanted kind, unless it already failed its check on this CPU
    (`failed_here(key)`), then the safe one."""
    build = recipe(wanted, version, flags, extra_args)
    if build.kind != "safe" and failed_here(build.key):
        return recipe("safe", version, flags, extra_args)
    return build


def _record_row(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def finish_wheel(src: Path, dest: Path, build: Build) -> None:
    """Copy a freshly compiled wheel to `dest` as the recipe wants it: its dropped files left out, the
    runtime loader of CPU variants added (portable), a manifest added, RECORD rewritten."""
    with zipfile.ZipFile(src) as zin:
        names = zin.namelist()
        record = next(n for n in names if n.endswith(".dist-info/RECORD"))
        variants = [n for n in names if n.startswith("llama_cpp/lib/libggml-cpu-") and n.endswith(".so")]
        if build.kind == "portable" and "llama_cpp/lib/libggml-cpu-x64.so" not in variants:
            raise BuildError(f"the portable wheel has no baseline CPU backend under llama_cpp/lib "
                             f"(found: {', '.join(variants) or 'none'}); were GGML_BACKEND_DL and "
                             "GGML_CPU_ALL_VARIANTS honoured?")
        rows = []
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                if info.filename in build.drop or info.filename in (record, MANIFEST):
                    continue
                data = zin.read(info)
                if info.filename == "llama_cpp/llama_cpp.py" and build.kind == "portable":
                    data = _with_loader(data.decode()).encode()
                zout.writestr(info, data)
                rows.append(_record_row(info.filename, data))
            manifest = json.dumps({**build.manifest(), "variants": sorted(
                Path(v).stem.removeprefix("libggml-cpu-") for v in variants if v not in build.drop)},
                indent=1).encode()
            zout.writestr(MANIFEST, manifest)
            rows.append(_record_row(MANIFEST, manifest))
            rows.append(f"{record},,")
            zout.writestr(record, "\n".join(rows) + "\n")


def _with_loader(source: str) -> str:
    if _ANCHOR not in source:
        raise BuildError("llama_cpp/llama_cpp.py no longer loads libllama as expected: the CPU backend "
                         "loader cannot be added (check shiori/llama_build.py against this version)")
    return source.replace(_ANCHOR, _ANCHOR + _LOADER, 1)
