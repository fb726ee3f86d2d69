#!/usr/bin/env python3
"""Run the conformance corpus against capas and compare with the TF-recorded goldens.

Usage (from the project root, with capas importable):
    python conformance/run.py [-j N] [--timeout S] [--strict] [--min-passed N] [--json out.json] [-v] [--root DIR] [filters...]

Every program runs in its own subprocess (CONFORMANCE_TARGET=capas). Its reported lines must
match the golden's: same keys in the same order, values equal (floats within the tolerance the
program gave for that key; default rtol 1e-5, atol 1e-6). One line per program:
    PASS name
    FAIL name: <first difference, or the tail of the exception>
and a last line `N passed, M failed`. The exit status is 0 unless --strict is given and a
program failed.
"""

import argparse
import json
import math
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness

DEFAULT_TOL = (1e-5, 1e-6)


def _short(value, limit=160):
    text = json.dumps(value)
    return text if len(text) <= limit else text[:limit] + "..."


def diff(expected, got, tol, where=""):
    """None when `got` matches `expected`; else a short text naming the first difference."""
    if isinstance(expected, bool) or isinstance(got, bool):
        if type(expected) is not type(got) or expected != got:
            return "%s expected %s, got %s" % (where, _short(expected), _short(got))
        return None
    if isinstance(expected, float) or isinstance(got, float):
        if not isinstance(got, (int, float)) or not isinstance(expected, (int, float)):
            return "%s expected %s, got %s" % (where, _short(expected), _short(got))
        if isinstance(expected, float) != isinstance(got, float):
            return "%s expected %s (%s), got %s (%s)" % (
                where,
                expected,
                type(expected).__name__,
                got,
                type(got).__name__,
            )
        if math.isnan(expected) and math.isnan(got):
            return None
        rtol, atol = tol
        if expected == got or abs(expected - got) <= atol + rtol * abs(expected):
            return None
        return "%s expected %r, got %r" % (where, expected, got)
    if isinstance(expected, list):
        if not isinstance(got, list) or len(got) != len(expected):
            return "%s expected %s, got %s" % (where, _short(expected), _short(got))
        for i, (e, g) in enumerate(zip(expected, got)):
            d = diff(e, g, tol, "%s[%d]" % (where, i))
            if d:
                return d
        return None
    if isinstance(expected, dict):
        if not isinstance(got, dict) or sorted(expected) != sorted(got):
            return "%s expected %s, got %s" % (where, _short(expected), _short(got))
        for k in expected:
            d = diff(expected[k], got[k], tol, "%s[%r]" % (where, k))
            if d:
                return d
        return None
    if type(expected) is not type(got) or expected != got:
        return "%s expected %s, got %s" % (where, _short(expected), _short(got))
    return None


def compare(golden, results):
    """None when all results match the golden's; else the first difference."""
    expected = golden["results"]
    for i, exp in enumerate(expected):
        if i >= len(results):
            return None, "stopped before %r (%d of %d results)" % (exp["key"], i, len(expected))
        got = results[i]
        if got["key"] != exp["key"]:
            return exp["key"], "result %d: expected key %r, got key %r" % (i, exp["key"], got["key"])
        d = diff(exp["value"], got["value"], tuple(exp["tol"] or DEFAULT_TOL))
        if d:
            return exp["key"], "%s:%s" % (exp["key"], d)
    if len(results) > len(expected):
        return results[len(expected)]["key"], "extra result %r" % results[len(expected)]["key"]
    return None, None


def exception_tail(output):
    """The line naming the exception that stopped a program (its last `SomeError: ...` line)."""
    lines = [ln for ln in output.strip().splitlines() if ln.strip() and not ln.startswith(harness.MARK)]
    for line in reversed(lines):
        if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Iteration|Interrupt)\b", line):
            return line.strip()
    return lines[-1].strip() if lines else "(no output)"


def check(path, python, timeout, root):
    name = harness.program_name(path)
    gpath = harness.golden_path(name)
    if not os.path.exists(gpath):
        return {"name": name, "passed": False, "reason": "no golden (run conformance/record.py)"}
    with open(gpath, encoding="utf-8") as f:
        golden = json.load(f)
    code, results, output, secs = harness.run_program(path, python, "capas", timeout, root)
    key, why = compare(golden, results)
    if code is None:
        why = "timed out after %ss%s" % (timeout, " (%s)" % why if why else "")
    elif why and why.startswith("stopped before") and code != 0:
        why = "%s: %s" % (why, exception_tail(output))
    elif not why and code != 0:
        why = "exit status %s: %s" % (code, exception_tail(output))
    return {
        "name": name,
        "passed": why is None,
        "reason": why,
        "key": key,
        "seconds": round(secs, 2),
        "output": output if why else "",
    }


def git_commit(root):
    """The commit checked out at `root` (None when it is not a git checkout)."""
    try:
        out = subprocess.run(
            ["git", "-C", root, "log", "-1", "--format=%h %s"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.decode("utf-8", "replace").strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("filters", nargs="*", help="run only programs whose name contains one of these")
    ap.add_argument("-j", "--jobs", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--python", default=sys.executable, help="the Python that runs the programs")
    ap.add_argument(
        "--root",
        default=os.path.dirname(harness.HERE),
        help="the project root whose capas/ the programs import (default: this checkout)",
    )
    ap.add_argument("--strict", action="store_true", help="exit 1 when a program fails")
    ap.add_argument(
        "--min-passed",
        type=int,
        default=0,
        metavar="N",
        help="exit 1 when fewer than N programs pass (CI's floor: the rate README states)",
    )
    ap.add_argument("--json", metavar="OUT", help="write per-program results to this file")
    ap.add_argument("-v", "--verbose", action="store_true", help="print a failing program's output")
    args = ap.parse_args()

    root = os.path.abspath(args.root)
    paths = harness.find_programs(args.filters)
    passed = failed = 0
    records = []
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for rec in pool.map(lambda p: check(p, args.python, args.timeout, root), paths):
            records.append(rec)
            if rec["passed"]:
                passed += 1
                print("PASS %s" % rec["name"])
            else:
                failed += 1
                print("FAIL %s: %s" % (rec["name"], rec["reason"]))
                if args.verbose and rec.get("output"):
                    print("    " + rec["output"].strip().replace("\n", "\n    "))
            sys.stdout.flush()
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(
                {
                    "passed": passed,
                    "failed": failed,
                    "root": root,
                    "commit": git_commit(root),
                    "programs": [{k: v for k, v in r.items() if k != "output"} for r in records],
                },
                f,
                indent=1,
            )
    print("%d passed, %d failed" % (passed, failed))
    if passed < args.min_passed:
        print(
            "conformance: %d programs passed, fewer than the %d required (--min-passed); see the FAIL lines"
            % (passed, args.min_passed)
        )
        return 1
    return 1 if (args.strict and failed) else 0


if __name__ == "__main__":
    sys.exit(main())
