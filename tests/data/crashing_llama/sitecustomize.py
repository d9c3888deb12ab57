"""Imitates issue #19's llama.cpp build in every Python process started with this folder on PYTHONPATH:
a decode of more than one token kills the process with SIGSEGV (a one-token decode works), as llama.cpp's
AMX kernels did. Used by tests/reliability/test_llm_crash.py."""

import os
import signal

try:
    from llama_cpp import _internals
except Exception:  # noqa: BLE001 - no llama-cpp-python: nothing to imitate
    _internals = None

if _internals is not None:
    _decode = _internals.LlamaContext.decode

    def _crashing_decode(self, batch):
        if batch.batch.n_tokens > 1:
            os.kill(os.getpid(), signal.SIGSEGV)
        return _decode(self, batch)

    _internals.LlamaContext.decode = _crashing_decode
