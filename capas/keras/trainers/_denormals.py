"""Flush-to-zero for denormal floats while `fit`/`evaluate`/`predict` run, on every intra-op thread.

`torch.set_flush_denormal(flag)` sets the FTZ/DAZ bits of the *calling* thread's
floating-point control register and returns whether the CPU supports it (not the
previous state). torch's intra-op threads (an OpenMP team) each have their own
register, so setting it on the Python thread alone flushes only the share of the
work that thread computes. Here the caller's floating-point environment
(`fegetenv`) is copied to every thread of its OpenMP team by one parallel region
that runs `fesetenv` (libgomp's `GOMP_parallel`, the runtime of torch's Linux
wheels): no Python runs on the workers. On exit the environment the caller had
is restored on the caller and copied to the team the same way. Nested blocks
(validation inside `fit`) find the team already flushing and do nothing.
Elsewhere (no libgomp, not x86-64) only the calling thread is set.
"""

import contextlib
import ctypes
import ctypes.util
import os
import platform
import threading

import numpy as np
import torch

_TINY = np.float32(1e-40)  # a float32 denormal
_ONE = np.float32(1.0)
_ENV_BYTES = 256  # >= sizeof(fenv_t) on every libc (32 on x86-64 glibc)


def flush_denormal_state():
    """Whether the calling thread flushes denormals now (torch has a setter only, so ask the hardware)."""
    with np.errstate(all="ignore"):
        return bool(_TINY * _ONE == 0.0)


class _TeamEnv:
    """Reads the caller's floating-point environment and copies it to its OpenMP team."""

    def __init__(self):
        self.parallel = None
        self.fesetenv = None
        self.fegetenv = None
        if platform.machine().lower() not in ("x86_64", "amd64"):
            return
        try:
            with open("/proc/self/maps") as fh:
                paths = [line.split()[-1] for line in fh if "/libgomp" in line]
            libm = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
            gomp = ctypes.CDLL(paths[0]) if paths else None
        except (OSError, IndexError):
            return
        if gomp is None or not hasattr(gomp, "GOMP_parallel"):
            return
        self.parallel = gomp.GOMP_parallel
        self.parallel.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_uint, ctypes.c_uint]
        self.parallel.restype = None
        self.fegetenv = libm.fegetenv
        self.fesetenv = libm.fesetenv
        self._fesetenv_ptr = ctypes.cast(libm.fesetenv, ctypes.c_void_p)

    def get(self):
        env = ctypes.create_string_buffer(_ENV_BYTES)
        self.fegetenv(env)
        return env

    def broadcast(self, env, threads):
        """`fesetenv(env)` on each of `threads` team threads (the caller is one of them)."""
        self.parallel(self._fesetenv_ptr, env, threads, 0)


_team = None
_supported = None
_lock = threading.Lock()
_last_broadcast = [None]  # (environment bytes, thread count) the team was last given
_team_size = [1]  # the widest team given an environment
_owner_pid = [os.getpid()]  # the process the two above describe


def _get_team():
    global _team
    if _team is None:
        _team = _TeamEnv()
    return _team


def _sync_team(team, env):
    if _owner_pid[0] != os.getpid():  # a forked child has no team threads yet: forget the parent's
        _owner_pid[0] = os.getpid()
        _team_size[0] = 1
        _last_broadcast[0] = None
    # Reach every worker this module ever changed, also after torch.set_num_threads lowered the count.
    threads = max(torch.get_num_threads(), _team_size[0])
    key = (env.raw, threads)
    if threads > 1 and _last_broadcast[0] != key:
        team.broadcast(env, threads)
        _last_broadcast[0] = key
        _team_size[0] = threads


@contextlib.contextmanager
def flushing_denormals():
    """Flush denormals to zero inside the block on torch's intra-op threads; restore the state found after.

    Does nothing on CPUs without FTZ/DAZ.
    """
    global _supported
    if _supported is None:
        before = flush_denormal_state()
        _supported = bool(torch.set_flush_denormal(True))
        torch.set_flush_denormal(before)
    if not _supported:
        yield
        return
    team = _get_team()
    if team.parallel is None:
        before = flush_denormal_state()
        torch.set_flush_denormal(True)
        try:
            yield
        finally:
            torch.set_flush_denormal(before)
        return
    with _lock:
        found = team.get()
        torch.set_flush_denormal(True)
        _sync_team(team, team.get())
    try:
        yield
    finally:
        with _lock:
            team.fesetenv(found)
            _sync_team(team, found)
