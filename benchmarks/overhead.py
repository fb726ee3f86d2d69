"""What capas's additions to torch's classes (capas/_compat/) cost, measured with and without them.

    python -m benchmarks.overhead                # full sizes
    python -m benchmarks.overhead --smoke        # a quick run

Each side runs in its own process: `without` imports capas with `capas._torch_compat` replaced
by an empty module (torch's classes untouched), `with` imports capas normally. Micro rows time
one plain-torch expression (ns per call, best of the repeats); the model rows time a Dense call,
one seed `fit` step and one seed GradientTape step (µs, median of the repeats). Repeats of the
two sides are interleaved so that a change of machine load hits both.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
import timeit
import types

MICRO = {
    "a + b": "a + b",
    "a * 2.0": "a * 2.0",
    "a[0]": "a[0]",
    "a[:, 1:]": "a[:, 1:]",
    "a.shape": "a.shape",
    "a.dtype == torch.float32": "a.dtype == torch.float32",
    "a.dtype in (f16, bf16)": "a.dtype in (torch.float16, torch.bfloat16)",
    "s.numpy()": "s.numpy()",
}


def _micro(number):
    import torch

    env = {
        "torch": torch,
        "a": torch.ones(4, 4),
        "b": torch.ones(4, 4),
        "s": torch.tensor(1.0),
    }
    return {
        name: min(timeit.repeat(code, globals=env, number=number, repeat=5)) / number * 1e9
        for name, code in MICRO.items()
    }


def _models(samples):
    import torch

    import capas
    from benchmarks.frameworks import FitRunner, TapeRunner

    torch.manual_seed(0)
    x = torch.rand(samples, 784)
    y = torch.randint(0, 10, (samples,))
    dense = capas.keras.layers.Dense(64, activation="relu")
    batch = x[:64]
    dense(batch)
    fit = FitRunner(capas.keras, "seed", x, y)
    tape = TapeRunner(capas, x, y)
    fit.run()
    tape.run()
    out = {}
    start = time.perf_counter()
    for _ in range(200):
        dense(batch)
    out["Dense(64) call, batch 64 (µs)"] = (time.perf_counter() - start) / 200 * 1e6
    start = time.perf_counter()
    fit.run()
    out["seed fit step (µs)"] = (time.perf_counter() - start) / fit.steps * 1e6
    start = time.perf_counter()
    tape.run()
    out["seed tape step (µs)"] = (time.perf_counter() - start) / tape.steps * 1e6
    return out


def child(side, number, samples):
    import torch

    torch.set_num_threads(1)
    if side == "without":
        sys.modules["capas._torch_compat"] = types.ModuleType("capas._torch_compat")
    import capas  # noqa: F401

    result = _micro(number)
    result.update(_models(samples))
    print(json.dumps(result))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--child", choices=["with", "without"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    number, samples = (2000, 640) if args.smoke else (100000, 6400)
    if args.child:
        return child(args.child, number, samples)
    repeats = 1 if args.smoke else args.repeats
    runs = {"without": [], "with": []}
    for _ in range(repeats):
        for side, results in runs.items():
            cmd = [sys.executable, "-m", "benchmarks.overhead", "--child", side] + (["--smoke"] if args.smoke else [])
            proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
            results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    rows = []
    print(f"{'what':38s} {'without':>10s} {'with':>10s} {'ratio':>7s}")
    for name in runs["with"][0]:
        pick = min if name in MICRO else statistics.median
        before = pick(r[name] for r in runs["without"])
        after = pick(r[name] for r in runs["with"])
        unit = "ns" if name in MICRO else ""
        rows.append({"what": name, "without": before, "with": after, "ratio": after / before})
        print(f"{name + (' (ns)' if unit else ''):38s} {before:10.1f} {after:10.1f} {after / before:7.2f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"repeats": repeats, "rows": rows}, f, indent=1)
    return None


if __name__ == "__main__":
    main()
