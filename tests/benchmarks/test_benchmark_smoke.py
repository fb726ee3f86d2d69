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
    for workload in ("seed", "wide", "cnn", "predict"):
        assert (workload, "torch") in workloads and (workload, "capas") in workloads
    assert ("tape", "capas-backward") in workloads
    assert all(r["ratio_vs_torch"] > 0 for r in data["rows"])
    assert "vs torch" in result.stdout
