"""The benchmark program runs (tiny sizes) and writes its JSON; no timing is asserted."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_benchmark_smoke_run(tmp_path):
    out = tmp_path / "results.json"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--smoke", "--threads", "1", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(out.read_text())
    workloads = {(r["workload"], r["framework"]) for r in data["rows"]}
    for workload in ("seed", "wide", "cnn", "predict", "evaluate"):
        assert (workload, "torch") in workloads and (workload, "capas") in workloads
    assert ("tape", "capas-backward") in workloads
    assert all(r["ratio_vs_torch"] > 0 for r in data["rows"])
    assert "vs torch" in result.stdout


def test_peak_rss_probe_counts_the_run_not_the_data_or_imports():
    """`--rss` reports the peak above the imports and the data: a block made and freed after the
    reset shows up, the data made before it does not."""
    code = (
        "import torch\n"
        "from benchmarks.__main__ import _peak_rss_mb, _reset_peak_rss\n"
        "data = torch.ones(64 * 2**20 // 4)\n"  # 64 MiB made before the reset, kept
        "temp = torch.ones(96 * 2**20 // 4); del temp\n"  # 96 MiB peak before the reset
        "base = _reset_peak_rss()\n"
        "block = torch.ones(32 * 2**20 // 4); del block\n"  # 32 MiB made and freed after it
        "print(_peak_rss_mb() - base)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    run_mb = float(out.stdout.split()[-1])
    assert 30 <= run_mb < 60, run_mb  # the 32 MiB block, not the 96 MiB temporary or the 64 MiB data


def test_peak_rss_row_runs_a_runner_in_its_own_process():
    from benchmarks.__main__ import _peak_rss_row

    peak, run = _peak_rss_row("seed", "capas", 512, "cpu", 1)
    assert 0 < run < peak


def test_a_runner_measured_alone_is_built_alone():
    # A peak-RSS process builds only the runner it measures: the other runners' models and copies of
    # the data would count as its memory.
    import torch

    from benchmarks.__main__ import _data, _make_runners

    x, y = _data(256, "cpu")
    everyone = _make_runners("seed", x, y, torch.device("cpu"), False, True)
    assert {"torch", "torch-probs", "capas", "capas-jit"} <= set(everyone)
    for name in ("torch", "capas", "capas-jit"):
        alone = _make_runners("seed", x, y, torch.device("cpu"), False, True, only=name)
        assert list(alone) == [name]
        assert type(alone[name]) is type(everyone[name])
