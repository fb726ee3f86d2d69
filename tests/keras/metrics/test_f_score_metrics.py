"""FBetaScore and F1Score against keras.metrics."""

import numpy as np
import pytest

from capas.keras import metrics


def _batches(rng, weighted, n_batches=3, n=10, c=4):
    out = []
    for _ in range(n_batches):
        y_true = rng.integers(0, 2, size=(n, c)).astype("f")
        y_pred = rng.uniform(size=(n, c)).astype("f")
        kwargs = {"sample_weight": rng.uniform(0, 2, size=(n,)).astype("f")} if weighted else {}
        out.append({"args": (y_true, y_pred), "kwargs": kwargs})
    return out


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("threshold", [None, 0.5, 0.8])
@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
def test_f1_matches_keras(keras, run_pair, rng, average, threshold, weighted):
    ours = metrics.F1Score(average=average, threshold=threshold)
    theirs = keras.metrics.F1Score(average=average, threshold=threshold)
    assert ours.get_config() == theirs.get_config()
    run_pair(ours, theirs, _batches(rng, weighted))


@pytest.mark.parametrize("beta", [0.5, 2.0])
@pytest.mark.parametrize("average", [None, "macro", "weighted", "micro"])
def test_fbeta_matches_keras(keras, run_pair, rng, beta, average):
    ours = metrics.FBetaScore(average=average, beta=beta, threshold=0.4)
    theirs = keras.metrics.FBetaScore(average=average, beta=beta, threshold=0.4)
    assert ours.get_config() == theirs.get_config()
    run_pair(ours, theirs, _batches(rng, True))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"average": "mean"}, "average"),
        ({"beta": 1}, "beta"),
        ({"beta": -1.0}, "beta"),
        ({"threshold": 1.5}, "threshold"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        metrics.FBetaScore(**kwargs)


def test_rejects_1d_inputs_naming_shapes():
    m = metrics.F1Score()
    with pytest.raises(ValueError, match=r"F1Score.*\(4,\)"):
        m.update_state(np.zeros(4, "f"), np.zeros(4, "f"))
