"""Losing a rank: the job stops within a bounded time, and resumes from its backup under torchrun restarts."""

import time
from pathlib import Path

import numpy as np
import pytest

from tests.distribute._launch import one_process, torchrun

pytestmark = pytest.mark.slow
SCRIPT = Path(__file__).with_name("_failure_script.py")


def _weights(folder, rank):
    data = np.load(folder / f"weights_rank{rank}.npz")
    return [data[f"arr_{i}"] for i in range(len(data.files))]


@pytest.mark.parametrize("mode", ["crash", "hang"])
def test_a_lost_rank_ends_the_job_with_an_error_in_bounded_time(tmp_path, mode, monkeypatch):
    monkeypatch.setenv("CAPAS_DIST_TIMEOUT", "15")  # the collective timeout bounds the wait for a hung rank
    start = time.monotonic()
    result = torchrun(SCRIPT, tmp_path, mode, tmp_path / "backup", check=False, timeout=170)
    assert result.returncode != 0
    assert time.monotonic() - start < 120
    assert (tmp_path / f"lost_{mode}").exists() and not (tmp_path / "weights_rank0.npz").exists()
    if mode == "hang":  # rank 0's collective timed out with an error that says so
        assert "timeout" in result.stderr.lower() or "timed out" in result.stderr.lower(), result.stderr[-2000:]


def test_torchrun_restart_resumes_from_the_backup_and_ends_as_an_uninterrupted_run(tmp_path):
    reference, resumed = tmp_path / "reference", tmp_path / "resumed"
    reference.mkdir()
    resumed.mkdir()
    one_process(SCRIPT, reference, "none", reference / "backup")
    torchrun(SCRIPT, resumed, "crash", resumed / "backup", extra=("--max_restarts", "1"), timeout=240, rdzv=True)
    assert (resumed / "lost_crash").exists()  # the first attempt did lose rank 1
    for rank in range(2):
        for a, b in zip(_weights(reference, 0), _weights(resumed, rank)):
            np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)


def test_models_that_differ_across_ranks_are_named_in_the_error(tmp_path):
    result = torchrun(Path(__file__).with_name("_mismatch_script.py"), check=False, timeout=120)
    assert result.returncode != 0
    assert "differs across ranks" in result.stderr and "(4, 8)" in result.stderr and "(4, 9)" in result.stderr, (
        result.stderr[-2000:]
    )
