"""Keep freed CPU memory for reuse while capas trains, as TensorFlow's CPU allocator does.

torch's CPU tensors come from the C library's `malloc`. With glibc's defaults a
block of a few MiB (a convolution's activations, their gradients) is handed back
to the kernel when it is freed (`munmap`, or a trim of the heap's top), and the
next step's block of the same size is a fresh mapping: every 4 KiB page faults
and is zeroed by the kernel on first touch. On the CPU benchmark's small
convolutional network that was 430,000 page faults and 0.8 s of system time in a
2.3 s epoch, for torch's own loop and for capas alike. TensorFlow (its pooled CPU
allocator), JAX/XLA and torch on CUDA (its caching allocator) keep such memory.

`retain_freed_memory()` sets two glibc parameters with `mallopt`: blocks up to
`MMAP_THRESHOLD` come from the heap instead of their own mappings, and up to
`TRIM_THRESHOLD` bytes of free memory stay in the process. The setting is the
process's, so every torch op of the process reuses memory from then on, not only
capas's. It is made once, when `fit`, `evaluate` or `predict` first runs or a
`GradientTape` first opens, and it stays: glibc has no way to read back the
parameters it replaces (its adaptive thresholds), so there is no earlier state to
restore. Set the environment variable
`CAPAS_RETAIN_FREED_MEMORY=0` to leave the C library's settings alone. On other C
libraries (musl, macOS) it does nothing.

>>> retain_freed_memory() in (True, False)
True
"""

import ctypes
import os
import threading

MMAP_THRESHOLD = 64 * 2**20  # bytes: larger blocks still get their own mapping (and go back at once)
TRIM_THRESHOLD = 512 * 2**20  # bytes of free memory at the heap's top kept before any is returned

_M_TRIM_THRESHOLD = -1  # mallopt parameter numbers from glibc's <malloc.h>
_M_MMAP_THRESHOLD = -3
_ENV = "CAPAS_RETAIN_FREED_MEMORY"

_lock = threading.Lock()
_state = {"done": False, "applied": False}


def _glibc():
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version  # noqa: B018 - raises AttributeError where the C library is not glibc
        return libc
    except (OSError, AttributeError):
        return None


def retain_freed_memory():
    """Set glibc's malloc to keep freed blocks for reuse (once per process); whether it is set.

    False where the C library is not glibc or `CAPAS_RETAIN_FREED_MEMORY=0` opts out.
    """
    if _state["done"]:
        return _state["applied"]
    with _lock:
        if not _state["done"]:
            applied = False
            if os.environ.get(_ENV, "1").strip().lower() not in ("0", "false", "no", "off"):
                libc = _glibc()
                if libc is not None:
                    mallopt = libc.mallopt
                    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
                    mallopt.restype = ctypes.c_int
                    # The trim threshold first: while the mmap threshold is raised, no freed heap top is lost.
                    applied = bool(mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)) and bool(
                        mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
                    )
            _state["applied"] = applied
            _state["done"] = True
    return _state["applied"]
