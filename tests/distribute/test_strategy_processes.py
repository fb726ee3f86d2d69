"""tf.distribute strategies in real processes: torchrun, 2 ranks, gloo on the CPU.

Each script runs once in one process (one replica) and once under torchrun
(two replicas): the weights, History and evaluation must agree to 1e-5.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from tests.distribute._launch import one_process, torchrun

pytestmark = pytest.mark.slow
HERE = Path(__file__).parent


def _results(folder, rank):
    with open(folder / f"results_rank{rank}.json") as f:
        return json.load(f)


def _weights(folder, rank):
    data = np.load(folder / f"weights_rank{rank}.npz")
    return [data[f"arr_{i}"] for i in range(len(data.files))]


def _run_both(tmp_path, script):
    single, double = tmp_path / "one", tmp_path / "two"
    single.mkdir()
    double.mkdir()
    one_process(HERE / script, single)
    torchrun(HERE / script, double)
    return single, double


def test_keras_tutorial_fit_on_two_ranks_equals_one_process(tmp_path):
    single, double = _run_both(tmp_path, "_tutorial_script.py")
    reference, ranks = _results(single, 0), [_results(double, r) for r in range(2)]
    assert reference["replicas"] == 1 and ranks[0]["replicas"] == 2
    for r in range(2):
        for a, b in zip(_weights(single, 0), _weights(double, r)):
            np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
        for key, values in reference["history"].items():
            np.testing.assert_allclose(ranks[r]["history"][key], values, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(ranks[r]["evaluate"], reference["evaluate"], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(ranks[r]["more"], reference["more"], rtol=1e-5)  # generator, DataLoader
        # predict was sharded too, and every rank got all the rows back in their order
        np.testing.assert_allclose(ranks[r]["predict"], reference["predict"], rtol=1e-5, atol=1e-6)
        # validation and evaluate were sharded: each rank saw half of every batch
        assert [2 * n for n in ranks[r]["val_rows"]] == reference["val_rows"]
        assert [2 * n for n in ranks[r]["predict_rows"]] == reference["predict_rows"]
    # only rank 0 wrote the CSV log
    assert (double / "log_rank0.csv").exists() and not (double / "log_rank1.csv").exists()
    # an unseeded Dataset.shuffle agrees across ranks: the two parts are disjoint and cover the data
    seen0, seen1 = ranks[0]["seen"], ranks[1]["seen"]
    assert not set(seen0) & set(seen1)
    assert sorted(seen0 + seen1) == list(range(24))
    # at exit capas dropped its DDP reducers and left the group it joined, before interpreter
    # finalization (left to finalization, gloo's threads can abort the finished process)
    for r in range(2):
        exit_state = json.loads((double / f"exit_rank{r}.json").read_text())
        assert exit_state == {"group_alive": False, "ddp_wrappers": 0}


def test_custom_training_loop_with_run_and_reduce_equals_one_process(tmp_path):
    single, double = _run_both(tmp_path, "_custom_loop_script.py")
    reference = _results(single, 0)
    for r in range(2):
        np.testing.assert_allclose(_results(double, r)["losses"], reference["losses"], rtol=1e-5)
        for a, b in zip(_weights(single, 0), _weights(double, r)):
            np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
        # the sum over replicas came from DDP's reducer without a Python comm hook, and at exit capas dropped
        # the wrappers and left the group before finalization (a hook's callbacks run on gloo's threads,
        # which may outlive the interpreter and abort the finished rank)
        assert _results(double, r)["wrappers"] == 1 and _results(double, r)["comm_hooks"] == 0
        exit_state = json.loads((double / f"exit_rank{r}.json").read_text())
        assert exit_state == {"group_alive": False, "wrappers_alive": 0}
