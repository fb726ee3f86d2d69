"""What record.py and run.py share: finding programs, running one, reading its results."""

import ast
import glob
import json
import os
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = os.path.join(HERE, "programs")
GOLDENS = os.path.join(HERE, "goldens")
MARK = "CONFORMANCE "


def find_programs(filters=()):
    """Paths of programs/NNN_name.py, sorted; keep those whose name contains one of `filters`."""
    paths = sorted(glob.glob(os.path.join(PROGRAMS, "[0-9][0-9][0-9]_*.py")))
    if filters:
        paths = [p for p in paths if any(f in os.path.basename(p) for f in filters)]
    return paths


def program_name(path):
    return os.path.splitext(os.path.basename(path))[0]


def program_source(path):
    """The `Source:` line of the program's header docstring (None when missing)."""
    with open(path, encoding="utf-8") as f:
        doc = ast.get_docstring(ast.parse(f.read())) or ""
    for line in doc.splitlines():
        if line.strip().lower().startswith("source:"):
            return line.split(":", 1)[1].strip()
    return None


def program_digest(path):
    """sha256 of the program's text: a golden records the digest of the program it came from."""
    import hashlib

    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def golden_path(name):
    return os.path.join(GOLDENS, name + ".json")


def run_program(path, python, target, timeout, root):
    """Run one program in its own subprocess; return (returncode or None, results, output, seconds)."""
    env = dict(os.environ)
    env["CONFORMANCE_TARGET"] = target
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONUNBUFFERED"] = "1"
    extra = [PROGRAMS, root] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    env["PYTHONPATH"] = os.pathsep.join(extra)
    start = time.time()
    try:
        proc = subprocess.run(
            [python, path],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
        )
        code, out, err = proc.returncode, proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as exc:
        code, out, err = None, exc.stdout or b"", exc.stderr or b""
    out = out.decode("utf-8", "replace")
    err = err.decode("utf-8", "replace")
    results = [json.loads(line[len(MARK) :]) for line in out.splitlines() if line.startswith(MARK)]
    return code, results, out + err, time.time() - start
