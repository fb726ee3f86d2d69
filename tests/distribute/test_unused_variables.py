"""Trainable variables that the loss does not use, under DDP (torchrun, 2 ranks, gloo on the CPU).

DDP's reducer waits for a gradient of every variable it was given. capas looks
at the first step's graph: when a variable is missing there (on any rank), DDP
is told to look for unused variables at every step (`find_unused_parameters`).
"""

import json
from pathlib import Path

import numpy as np
import pytest

from tests.distribute._launch import one_process, torchrun

pytestmark = pytest.mark.slow
SCRIPT = Path(__file__).with_name("_unused_script.py")


def _results(folder, rank):
    with open(folder / f"results_rank{rank}.json") as f:
        return json.load(f)


def _weights(folder, rank):
    data = np.load(folder / f"weights_rank{rank}.npz")
    return [data[f"arr_{i}"] for i in range(len(data.files))]


def _folders(tmp_path, *names):
    out = [tmp_path / n for n in names]
    for folder in out:
        folder.mkdir()
    return out


def test_unused_variable_trains_in_fit_and_custom_loop_as_one_process(tmp_path):
    one, two = _folders(tmp_path, "one", "two")
    one_process(SCRIPT, one, "unused")
    torchrun(SCRIPT, two, "unused")
    reference = _results(one, 0)
    for r in range(2):
        ranks = _results(two, r)
        np.testing.assert_allclose(ranks["fit"], reference["fit"], rtol=1e-5)
        np.testing.assert_allclose(ranks["loop"], reference["loop"], rtol=1e-5)
        for a, b in zip(_weights(one, 0), _weights(two, r)):
            np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)


def test_variable_unused_after_the_first_step_is_a_clear_error_or_handled_on_request(tmp_path, monkeypatch):
    one, plain, forced = _folders(tmp_path, "one", "plain", "forced")
    one_process(SCRIPT, one, "varying")
    torchrun(SCRIPT, plain, "varying")
    for r in range(2):
        message = _results(plain, r)["error"]
        assert "received no gradient" in message and "CAPAS_DDP_FIND_UNUSED_PARAMETERS=1" in message
    monkeypatch.setenv("CAPAS_DDP_FIND_UNUSED_PARAMETERS", "1")
    torchrun(SCRIPT, forced, "varying")
    first, second = _results(forced, 0), _results(forced, 1)
    assert "error" not in first and len(first["second"]) == 1
    reference = _results(one, 0)
    for ranks, r in ((first, 0), (second, 1)):
        np.testing.assert_allclose(ranks["fit"] + ranks["second"], reference["fit"] + reference["second"], rtol=1e-5)
        for a, b in zip(_weights(one, 0), _weights(forced, r)):
            np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
