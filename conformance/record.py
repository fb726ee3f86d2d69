#!/usr/bin/env python3
"""Record the goldens: run every conformance program under real TensorFlow.

Usage (from the project root):
    python conformance/record.py --python /path/to/tf-venv/bin/python [-j N] [name filters...]

Each program runs with CONFORMANCE_TARGET=tensorflow; its reported lines are written to
conformance/goldens/<program>.json together with the program's source and the TensorFlow
version that produced them. A program that fails under TensorFlow is a bug in the program:
no golden is written for it and the exit status is 1.
"""

import argparse
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness


def tf_version(python):
    code = "import os; os.environ['TF_CPP_MIN_LOG_LEVEL']='2'; import tensorflow as tf; print(tf.__version__)"
    out = subprocess.run([python, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True)
    return out.stdout.decode().strip().splitlines()[-1]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("filters", nargs="*", help="record only programs whose name contains one of these")
    ap.add_argument("--python", required=True, help="a Python that has tensorflow installed")
    ap.add_argument("-j", "--jobs", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=300.0)
    args = ap.parse_args()

    version = tf_version(args.python)
    root = os.path.dirname(harness.HERE)
    paths = harness.find_programs(args.filters)
    os.makedirs(harness.GOLDENS, exist_ok=True)
    failed = 0

    def one(path):
        return path, harness.run_program(path, args.python, "tensorflow", args.timeout, root)

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for path, (code, results, output, secs) in pool.map(one, paths):
            name = harness.program_name(path)
            if code != 0 or not results:
                failed += 1
                tail = "\n".join(output.strip().splitlines()[-15:])
                print("FAIL %s (exit %s, %d results)\n%s" % (name, code, len(results), tail))
                continue
            golden = {
                "program": name,
                "source": harness.program_source(path),
                "recorded_with": "tensorflow %s" % version,
                "program_sha256": harness.program_digest(path),
                "results": results,
            }
            tmp = harness.golden_path(name) + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(golden, f, indent=1)
                f.write("\n")
            os.replace(tmp, harness.golden_path(name))
            print("recorded %s: %d results (%.1fs)" % (name, len(results), secs))
            sys.stdout.flush()
    print("%d recorded, %d failed" % (len(paths) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
