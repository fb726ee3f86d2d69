"""Start a test script in one process or under torchrun (2 ranks, gloo, CPU); record a script's state at exit."""

import atexit
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("OMP_NUM_THREADS", "1")
    for name in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT"):
        env.pop(name, None)
    return env


def one_process(script, *args, timeout=180):
    result = subprocess.run(
        [sys.executable, str(script), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_env(),
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def torchrun(script, *args, nproc=2, extra=(), timeout=180, check=True, rdzv=False):
    # Restarts need the c10d rendezvous: with a static master address a restarted group reads stale keys.
    where = (
        ["--rdzv_backend", "c10d", "--rdzv_endpoint", f"127.0.0.1:{_free_port()}"]
        if rdzv
        else ["--master_addr", "127.0.0.1", "--master_port", str(_free_port())]
    )
    cmd = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--nproc_per_node",
        str(nproc),
        *where,
        *extra,
        str(script),
        *map(str, args),
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=_env(), cwd=ROOT)
    if check:
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def record_exit_state(out_dir, **readers):
    """At interpreter exit, write `{name: read()}` for each reader to `out_dir/exit_rank<RANK>.json`.

    Call it before the strategy joins the group: atexit runs last-in first-out, so the readers see the
    state after capas's own exit step (the scripts never destroy the group themselves).
    """

    def write():
        state = {name: read() for name, read in readers.items()}
        with open(os.path.join(out_dir, f"exit_rank{os.environ.get('RANK', '0')}.json"), "w") as f:
            json.dump(state, f)

    atexit.register(write)
