"""Side-by-side benchmarks: capas against a hand-written PyTorch loop (and Keras 3 when installed).

    python -m benchmarks                       # every workload, default sizes
    python -m benchmarks --workloads seed cnn --repeats 7 --threads 2
    python -m benchmarks --smoke               # tiny sizes: checks the program runs
    python -m benchmarks --device cuda

Every runner does one epoch (or one predict or evaluate pass) per pass; a timed repetition is as
many passes as make the torch loop's last at least `--min-time` seconds (0.5: one pass for the
training workloads, several for `predict` and `evaluate`); repetitions are interleaved (capas, torch,
keras, capas, torch, ...) after one warm-up each, and the medians of the times per pass
are reported with the ratio of samples/s to the plain PyTorch loop (> 1 is
faster than PyTorch). The reference `torch` loop is the fastest one a PyTorch
engineer would write (logits and `F.cross_entropy`, fused/foreach optimizers,
denormals flushed); `torch-probs` is the softmax-probability loop, kept as a second,
labelled row. The machine's load average is recorded, since PyTorch's 2-thread mode
collapses when another process takes a core. `--threads 1 2` runs the whole table at
each thread count; `--rss` measures the peak RSS of each training runner's run, above the
imports and the data, in a process of its own (and, for `jit_compile=True`, of the torch loop
with `torch.compile(net)`).
"""

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time

import torch

WORKLOADS = ("seed", "wide", "cnn", "predict", "evaluate", "tape", "conv2d")
DEFAULT_SAMPLES = {
    "seed": 60000,
    "wide": 15360,
    "cnn": 6400,
    "predict": 60000,
    "evaluate": 60000,
    "tape": 60000,
    "conv2d": 32,
}


def _rss_mb():
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return float("nan")


def _make_runners(workload, x, y, device, with_keras, with_jit, only=None):
    """The runners of `workload` by name; `only`: just that one (a peak-RSS process builds no other model)."""
    import capas as tf
    from capas import keras as ck

    from benchmarks import frameworks, plain_torch

    makers = {"torch": lambda: plain_torch.make(workload, x, y, device)}
    if workload in ("seed", "wide", "cnn"):
        makers["torch-probs"] = lambda: plain_torch.make(workload, x, y, device, probs=True)
    if workload == "conv2d":
        makers["capas"] = lambda: frameworks.Conv2DRunner(ck, x)
    elif workload == "predict":
        makers["capas"] = lambda: frameworks.PredictRunner(ck, x)
    elif workload == "evaluate":
        makers["capas"] = lambda: frameworks.EvaluateRunner(ck, x, y)
    elif workload == "tape":
        makers["capas"] = lambda: frameworks.TapeRunner(tf, x, y)
        makers["capas-backward"] = lambda: frameworks.TapeRunner(tf, x, y, use_backward=True)
    else:
        makers["capas"] = lambda: frameworks.FitRunner(ck, workload, x, y)
        if with_jit:
            makers["capas-jit"] = lambda: frameworks.FitRunner(ck, workload, x, y, jit=True)
    if with_keras and workload not in ("tape", "conv2d"):
        real_keras = _keras_on_torch()
        if real_keras is not None:
            if workload == "predict":
                makers["keras"] = lambda: frameworks.PredictRunner(real_keras, x.cpu().numpy())
            elif workload == "evaluate":
                makers["keras"] = lambda: frameworks.EvaluateRunner(real_keras, x.cpu().numpy(), y.cpu().numpy())
            else:
                makers["keras"] = lambda: frameworks.FitRunner(real_keras, workload, x.cpu().numpy(), y.cpu().numpy())
    if only is not None:
        return {only: makers[only]()}
    return {name: make() for name, make in makers.items()}


def _keras_on_torch():
    """The `keras` package with its torch backend, or None (not installed, or another backend)."""
    os.environ.setdefault("KERAS_BACKEND", "torch")
    try:
        import keras as real_keras
    except ImportError:
        return None
    return real_keras if real_keras.backend.backend() == "torch" else None


def _timed(runner, passes, device):
    """Seconds per pass of `runner`, over `passes` back-to-back passes."""
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(passes):
        runner.run()
    if device.type == "cuda":
        torch.cuda.synchronize()
    return (time.perf_counter() - start) / passes


def run_workload(workload, samples, repeats, device, with_keras, with_jit, min_time=0.0):
    """Rows of one workload: every runner's median seconds per pass over `repeats` interleaved samples.

    A sample is as many back-to-back passes as make the torch loop's last at least `min_time` seconds
    (the same count for every runner): a 60 ms predict pass alone is at the mercy of one scheduler hiccup.
    """
    gen = torch.Generator().manual_seed(0)
    shape = (samples, 28, 28, 32) if workload == "conv2d" else (samples, 784)
    x = torch.rand(*shape, generator=gen).to(device)
    y = torch.randint(0, 10, (samples,), generator=gen).to(device)
    runners = _make_runners(workload, x, y, device, with_keras, with_jit)
    times = {name: [] for name in runners}
    rss = {name: [] for name in runners}
    for runner in runners.values():  # warm-up (and compilation)
        runner.run()
    passes = max(1, math.ceil(min_time / _timed(runners["torch"], 1, device))) if min_time > 0 else 1
    for _ in range(repeats):
        for name, runner in runners.items():
            times[name].append(_timed(runner, passes, device))
            rss[name].append(_rss_mb())
    base = statistics.median(times["torch"])
    rows = []
    for name, runner in runners.items():
        med = statistics.median(times[name])
        rows.append(
            {
                "workload": workload,
                "framework": name,
                "median_s": med,
                "us_per_step": med / runner.steps * 1e6,
                "samples_per_s": runner.n / med,
                "ratio_vs_torch": base / med,
                "rss_mb": rss[name][-1],
                "rss_growth_mb": rss[name][-1] - rss[name][0],
                "all_s": times[name],
                "passes_per_sample": passes,
            }
        )
    return rows


def _peak_rss_mb():
    """The process's peak RSS in MB since the last `_reset_peak_rss` (Linux's VmHWM)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak_rss():
    """Make the peak RSS the current RSS (Linux: `5` to /proc/self/clear_refs); returns the current RSS in MB.

    Where the reset is not possible, the peak keeps earlier highs (making the data, say), and a
    runner's own memory is hidden under them.
    """
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass
    return _rss_mb()


def _peak_rss_row(workload, framework, samples, device, threads):
    """`(peak, run)` RSS in MB of one runner, built and run for two epochs in a fresh process.

    `peak` is the process's high-water mark; `run` is that mark less the resident memory
    after the imports and the data: every process imports torch, capas and (when installed)
    keras and makes the same tensors before it reads that baseline and resets the peak to it,
    so `run` holds what the runner itself costs (its copies of the data, model, activations,
    gradients, optimizer state, compiled code), not which libraries it loaded or the
    temporaries of making the data.
    """
    code = (
        "import os, torch, capas\n"
        "os.environ.setdefault('KERAS_BACKEND', 'torch')\n"
        "try:\n    import keras\nexcept ImportError:\n    pass\n"
        "from benchmarks.__main__ import _data, _one_runner, _peak_rss_mb, _reset_peak_rss\n"
        f"torch.set_num_threads({threads})\n"
        f"x, y = _data({samples}, {str(device)!r})\n"
        "base = _reset_peak_rss()\n"
        f"r = _one_runner({workload!r}, {framework!r}, x, y, {str(device)!r}); r.run(); r.run()\n"
        "print(_peak_rss_mb(), base)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=1800,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    )
    if out.returncode != 0:
        raise RuntimeError(f"peak RSS run of {workload}/{framework} failed:\n{out.stderr[-2000:]}")
    peak, base = (float(v) for v in out.stdout.strip().splitlines()[-1].split())
    return peak, peak - base


def _add_peak_rss(rows, workload, samples, device, threads):
    """Each training runner's peak RSS (its own process) and its ratio to the torch loop's; capas's
    `jit_compile=True` is also set against the torch loop with `torch.compile(net)`, whose compiler
    costs memory alike (`compiled_rss_mb`, `peak_rss_vs_torch_compile`)."""
    base = None
    for r in rows:
        if r["framework"] == "torch-probs":
            continue
        r["peak_rss_mb"], r["run_rss_mb"] = _peak_rss_row(workload, r["framework"], samples, device, threads)
        base = base or r["run_rss_mb"]
        r["peak_rss_vs_torch"] = r["run_rss_mb"] / base
        if r["framework"] == "capas-jit":
            _, compiled = _peak_rss_row(workload, "torch-compile", samples, device, threads)
            r["compiled_rss_mb"] = compiled
            r["peak_rss_vs_torch_compile"] = r["run_rss_mb"] / compiled


def _rss_summary(rows):
    parts = []
    for r in rows:
        if "peak_rss_mb" not in r:
            continue
        vs_compile = (
            f"{r['peak_rss_vs_torch_compile']:.2f}x torch.compile's {r['compiled_rss_mb']:.0f} MB; "
            if "compiled_rss_mb" in r
            else ""
        )
        parts.append(
            f"{r['framework']} {r['run_rss_mb']:.0f} MB ({r['peak_rss_vs_torch']:.2f}x; {vs_compile}"
            f"process peak {r['peak_rss_mb']:.0f} MB)"
        )
    return ", ".join(parts)


def _data(samples, device):
    gen = torch.Generator().manual_seed(0)
    x = torch.rand(samples, 784, generator=gen).to(device)
    y = torch.randint(0, 10, (samples,), generator=gen).to(device)
    return x, y


def _one_runner(workload, framework, x, y, device):
    device = torch.device(device)
    if framework in ("torch", "torch-compile"):
        from benchmarks import plain_torch

        return plain_torch.make(workload, x, y, device, compiled=framework == "torch-compile")
    return _make_runners(workload, x, y, device, framework == "keras", framework == "capas-jit", only=framework)[
        framework
    ]


def _print_table(workload, samples, rows):
    print(f"\n{workload} ({samples} samples)")
    print(f"  {'framework':16s} {'µs/step':>10s} {'samples/s':>12s} {'vs torch':>9s} {'RSS MB':>8s} {'growth':>7s}")
    for r in rows:
        print(
            f"  {r['framework']:16s} {r['us_per_step']:10.0f} {r['samples_per_s']:12.0f} "
            f"{r['ratio_vs_torch']:8.2f}x {r['rss_mb']:8.0f} {r['rss_growth_mb']:7.1f}"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workloads", nargs="*", default=list(WORKLOADS), choices=WORKLOADS)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, nargs="+", default=[2], help="one table per thread count")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--samples", type=int, default=None, help="samples per epoch (default per workload)")
    parser.add_argument("--no-keras", action="store_true", help="leave Keras 3 out even when installed")
    parser.add_argument("--no-jit", action="store_true", help="leave capas jit_compile=True out")
    parser.add_argument(
        "--rss", action="store_true", help="also measure each training runner's peak RSS in a process of its own"
    )
    parser.add_argument(
        "--min-time", type=float, default=0.5, help="seconds the torch loop runs per timed sample (passes repeat)"
    )
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one repeat: checks the program runs")
    parser.add_argument("--json", default="bench_results/results.json")
    args = parser.parse_args(argv)

    device = torch.device(args.device)
    if args.smoke:
        args.repeats = 1
        args.min_time = 0.0
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(
        f"capas benchmarks: device={device} threads={args.threads} repeats={args.repeats} "
        f"torch={torch.__version__} python={platform.python_version()} cpus={os.cpu_count()} "
        f"load_avg={load[0]:.2f}"
    )
    all_rows = []
    for threads in args.threads:
        torch.set_num_threads(threads)
        for workload in args.workloads:
            samples = args.samples or DEFAULT_SAMPLES[workload]
            if args.smoke:  # tiny sizes (conv2d's unit is a whole 28x28x32 image batch: keep its default)
                samples = min(samples, 512)
            rows = run_workload(
                workload,
                samples,
                args.repeats,
                device,
                not args.no_keras and not args.smoke,
                not args.no_jit and not args.smoke,
                args.min_time,
            )
            for r in rows:
                r["threads"] = threads
            if args.rss and workload in ("seed", "wide", "cnn"):
                _add_peak_rss(rows, workload, samples, device, threads)
            all_rows.extend(rows)
            print(f"\n[threads={threads}]", end="")
            _print_table(workload, samples, rows)
            if args.rss and workload in ("seed", "wide", "cnn"):
                print("  peak RSS of the run, above the imports and the data (own process): " + _rss_summary(rows))
    load_after = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    result = {
        "device": str(device),
        "threads": args.threads,
        "repeats": args.repeats,
        "min_time_s": args.min_time,
        "cpus": os.cpu_count(),
        "load_avg_before": load[0],
        "load_avg_after": load_after[0],
        "torch": torch.__version__,
        "rows": all_rows,
    }
    os.makedirs(os.path.dirname(args.json) or ".", exist_ok=True)
    with open(args.json, "w") as fh:
        json.dump(result, fh, indent=1)
    print(f"\nload average after: {load_after[0]:.2f}; results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
