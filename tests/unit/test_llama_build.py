"""Build recipes and their cache keys, set-up's decision after a check, and the finished wheel."""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile

import pytest

from shiori.llama_build import (
    MANIFEST,
    BuildError,
    choose,
    cpu_flags,
    decide,
    finish_wheel,
    recipe,
)

# An AMX machine (issue #19) and an older one without AVX-512.
SPR = frozenset(["sse4_2", "avx", "f16c", "fma", "avx2", "bmi2", "avx_vnni", "avx512f", "avx512vbmi",
                 "avx512_vnni", "avx512_bf16", "amx_tile", "amx_int8", "amx_bf16"])
HASWELL = frozenset(["sse4_2", "avx", "f16c", "fma", "avx2", "bmi2"])


def test_cpu_flags_are_read_from_cpuinfo():
    text = "processor\t: 0\nmodel name\t: Xeon\nflags\t\t: fpu sse4_2 avx2 amx_tile\n\nprocessor\t: 1\n"
    assert cpu_flags(text) == {"fpu", "sse4_2", "avx2", "amx_tile"}
    assert cpu_flags("Features\t: fp asimd sve\n") == {"fp", "asimd", "sve"}


def test_the_portable_build_assumes_no_cpu_feature_and_leaves_amx_out():
    a = recipe("portable", "0.3.36", SPR, arch="x86_64")
    b = recipe("portable", "0.3.36", HASWELL, arch="x86_64")
    assert a.key == b.key  # one wheel for every x86-64 machine
    assert a.key.startswith("0.3.36-portable-")
    assert {"-DGGML_BACKEND_DL=ON", "-DGGML_CPU_ALL_VARIANTS=ON", "-DGGML_NATIVE=OFF"} <= set(a.cmake_args)
    assert a.assumes == ("x86_64",)
    assert a.drop == ("llama_cpp/lib/libggml-cpu-sapphirerapids.so",)


def test_the_safe_build_has_fixed_flags_for_its_cpu_and_never_amx():
    spr = recipe("safe", "0.3.36", SPR, arch="x86_64")
    hsw = recipe("safe", "0.3.36", HASWELL, arch="x86_64")
    assert "-DGGML_NATIVE=OFF" in spr.cmake_args
    for amx in ("AMX_TILE", "AMX_INT8", "AMX_BF16"):
        assert f"-DGGML_{amx}=OFF" in spr.cmake_args and f"-DGGML_{amx}=ON" not in spr.cmake_args
    assert "-DGGML_AVX512=ON" in spr.cmake_args and "-DGGML_AVX512_VNNI=ON" in spr.cmake_args
    assert "-DGGML_AVX512=OFF" in hsw.cmake_args and "-DGGML_AVX2=ON" in hsw.cmake_args
    assert "AVX512" in spr.assumes and "AVX512" not in hsw.assumes
    assert spr.key != hsw.key  # a wheel built for one CPU is never taken on the other


def test_the_key_changes_with_everything_the_binary_depends_on():
    base = recipe("portable", "0.3.36", HASWELL, arch="x86_64")
    assert recipe("portable", "0.3.37", HASWELL, arch="x86_64").key != base.key
    assert recipe("portable", "0.3.36", HASWELL, "-DGGML_BLAS=ON", arch="x86_64").key != base.key
    assert recipe("portable", "0.3.36", HASWELL, arch="aarch64").key != base.key
    native = recipe("native", "0.3.36", HASWELL, arch="x86_64")
    assert native.key != recipe("native", "0.3.36", SPR, arch="x86_64").key
    with pytest.raises(ValueError, match="portable"):
        recipe("fast", "0.3.36", HASWELL)


@pytest.mark.parametrize(("kind", "status", "action"), [
    ("portable", "ok", "keep"),
    ("portable", "crashed", "rebuild-safe"),
    ("portable", "failed", "rebuild-safe"),
    ("unmanaged", "crashed", "rebuild-safe"),  # e.g. a native wheel from the old version-only cache
    ("native", "crashed", "rebuild-safe"),
    ("portable", "timeout", "keep"),
    ("portable", "skipped", "keep"),
    ("safe", "ok", "keep"),
    ("safe", "crashed", "without-llm"),
])
def test_setup_decides_from_the_check(kind, status, action):
    assert decide(kind, status) == action


def test_a_build_that_failed_on_this_cpu_is_not_chosen_again():
    portable = recipe("portable", "0.3.36", SPR)
    assert choose("portable", "0.3.36", SPR, "", lambda key: False).kind == "portable"
    assert choose("portable", "0.3.36", SPR, "", lambda key: key == portable.key).kind == "safe"
    assert choose("safe", "0.3.36", SPR, "", lambda key: True).kind == "safe"


def _wheel(path, files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
        z.writestr("llama_cpp_python-0.3.36.dist-info/RECORD", "stale\n")


LLAMA_PY = b"import os\nimport ctypes\n_lib = load_shared_library(_lib_base_name, _base_path)\nx = 1\n"


def test_the_finished_portable_wheel_drops_amx_adds_the_loader_and_a_true_record(tmp_path):
    src, dest = tmp_path / "in.whl", tmp_path / "out.whl"
    _wheel(src, {"llama_cpp/llama_cpp.py": LLAMA_PY,
                 "llama_cpp/lib/libggml-cpu-x64.so": b"x64",
                 "llama_cpp/lib/libggml-cpu-haswell.so": b"hsw",
                 "llama_cpp/lib/libggml-cpu-sapphirerapids.so": b"amx"})
    build = recipe("portable", "0.3.36", SPR, arch="x86_64")
    finish_wheel(src, dest, build)
    with zipfile.ZipFile(dest) as z:
        names = set(z.namelist())
        assert "llama_cpp/lib/libggml-cpu-sapphirerapids.so" not in names
        assert "llama_cpp/lib/libggml-cpu-haswell.so" in names
        made = json.loads(z.read(MANIFEST))
        assert made["key"] == build.key and made["variants"] == ["haswell", "x64"]
        source = z.read("llama_cpp/llama_cpp.py").decode()
        assert "ggml_backend_load_all_from_path" in source
        compile(source, "llama_cpp.py", "exec")
        rows = dict(line.split(",", 1) for line in z.read("llama_cpp_python-0.3.36.dist-info/RECORD")
                    .decode().splitlines())
        assert set(rows) == names
        for name in names - {"llama_cpp_python-0.3.36.dist-info/RECORD"}:
            digest = base64.urlsafe_b64encode(hashlib.sha256(z.read(name)).digest()).rstrip(b"=").decode()
            assert rows[name] == f"sha256={digest},{len(z.read(name))}"


def test_a_portable_wheel_without_cpu_variants_is_refused(tmp_path):
    src = tmp_path / "in.whl"
    _wheel(src, {"llama_cpp/llama_cpp.py": LLAMA_PY, "llama_cpp/lib/libggml-cpu.so": b"one"})
    with pytest.raises(BuildError, match="no baseline CPU backend"):
        finish_wheel(src, tmp_path / "out.whl", recipe("portable", "0.3.36", SPR, arch="x86_64"))


def test_a_safe_wheel_keeps_its_binding_as_it_is(tmp_path):
    src, dest = tmp_path / "in.whl", tmp_path / "out.whl"
    _wheel(src, {"llama_cpp/llama_cpp.py": LLAMA_PY, "llama_cpp/lib/libggml-cpu.so": b"one"})
    finish_wheel(src, dest, recipe("safe", "0.3.36", SPR, arch="x86_64"))
    with zipfile.ZipFile(dest) as z:
        assert z.read("llama_cpp/llama_cpp.py") == LLAMA_PY
        assert json.loads(z.read(MANIFEST))["kind"] == "safe"
