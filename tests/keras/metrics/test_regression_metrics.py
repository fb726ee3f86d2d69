"""Regression metrics against keras.metrics."""

import numpy as np
import pytest

from capas.keras import metrics

SHAPES = [((6, 3), None), ((6, 3), (6,)), ((6, 1), (6, 1)), ((6,), None), ((6, 1), None), ((2, 4, 3), (2, 4))]


def _batches(rng, y_shape, w_shape, positive=False, n_batches=3):
    out = []
    for _ in range(n_batches):
        if positive:
            y_true = rng.uniform(0, 3, size=y_shape).astype("f")
            y_pred = rng.uniform(0, 3, size=y_shape).astype("f")
        else:
            y_true = rng.normal(size=y_shape).astype("f")
            y_pred = rng.normal(size=y_shape).astype("f")
        y_true.reshape(-1)[0] = 0.0  # exercises epsilon guards
        kwargs = {} if w_shape is None else {"sample_weight": rng.uniform(0, 2, size=w_shape).astype("f")}
        out.append({"args": (y_true, y_pred), "kwargs": kwargs})
    return out


@pytest.mark.parametrize("y_shape, w_shape", SHAPES)
@pytest.mark.parametrize(
    "cls_name, positive",
    [
        ("MeanSquaredError", False),
        ("RootMeanSquaredError", False),
        ("MeanAbsoluteError", False),
        ("MeanAbsolutePercentageError", False),
        ("MeanSquaredLogarithmicError", True),
        ("CosineSimilarity", False),
        ("LogCoshError", False),
    ],
)
def test_regression_matches_keras(keras, run_pair, rng, cls_name, positive, y_shape, w_shape):
    ours = getattr(metrics, cls_name)()
    theirs = getattr(keras.metrics, cls_name)()
    assert ours.get_config() == theirs.get_config()
    run_pair(ours, theirs, _batches(rng, y_shape, w_shape, positive), rtol=2e-5)


def test_cosine_similarity_axis(keras, run_pair, rng):
    ours, theirs = metrics.CosineSimilarity(axis=0), keras.metrics.CosineSimilarity(axis=0)
    run_pair(ours, theirs, _batches(rng, (4, 3), None))


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("num_regressors", [0, 2, 40])
@pytest.mark.parametrize("aggregation", ["uniform_average", "variance_weighted_average", None])
def test_r2_score_matches_keras(keras, run_pair, rng, aggregation, num_regressors, weighted):
    ours = metrics.R2Score(class_aggregation=aggregation, num_regressors=num_regressors)
    theirs = keras.metrics.R2Score(class_aggregation=aggregation, num_regressors=num_regressors)
    assert ours.get_config() == theirs.get_config()
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run_pair(ours, theirs, _batches(rng, (6, 3), (6,) if weighted else None), rtol=1e-4, atol=1e-5)


def test_r2_score_bad_arguments():
    with pytest.raises(ValueError, match="class_aggregation"):
        metrics.R2Score(class_aggregation="sum")
    with pytest.raises(ValueError, match="num_regressors"):
        metrics.R2Score(num_regressors=-1)
    with pytest.raises(ValueError, match=r"R2Score.*\(5,\)"):
        metrics.R2Score().update_state(np.zeros(5, "f"), np.zeros(5, "f"))


@pytest.mark.parametrize(
    "fn",
    [
        "mean_squared_error",
        "mean_absolute_error",
        "mean_absolute_percentage_error",
        "mean_squared_logarithmic_error",
        "log_cosh",
    ],
)
def test_functions_match_keras(keras, rng, fn):
    y_true, y_pred = rng.uniform(0, 2, size=(4, 3)).astype("f"), rng.uniform(0, 2, size=(4, 3)).astype("f")
    ours = getattr(metrics, fn)(y_true, y_pred)
    np.testing.assert_allclose(ours.numpy(), np.asarray(getattr(keras.metrics, fn)(y_true, y_pred)), rtol=1e-6)


def test_weights_that_cannot_match_the_values_raise_like_keras(keras):
    # Rank-1 inputs reduce to one value per batch: per-sample weights cannot apply.
    y, w = np.ones(6, "f"), np.ones(6, "f")
    with pytest.raises(RuntimeError):
        keras.metrics.MeanSquaredError().update_state(y, y, sample_weight=w)
    with pytest.raises(ValueError, match=r"MeanSquaredError.*\(6,\)"):
        metrics.MeanSquaredError().update_state(y, y, sample_weight=w)


@pytest.mark.parametrize("axis", [-1, 0])
@pytest.mark.parametrize("w_shape", [None, (6,)])
@pytest.mark.parametrize("cls_name", ["PearsonCorrelation", "ConcordanceCorrelation"])
def test_correlation_matches_keras(keras, run_pair, rng, cls_name, w_shape, axis):
    if axis == 0 and w_shape is not None:
        w_shape = (3,)
    ours = getattr(metrics, cls_name)(axis=axis)
    theirs = getattr(keras.metrics, cls_name)(axis=axis)
    assert ours.get_config() == theirs.get_config()
    run_pair(ours, theirs, _batches(rng, (6, 3), w_shape), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("fn", ["pearson_correlation", "concordance_correlation"])
def test_correlation_functions_match_keras(keras, rng, fn):
    y_true, y_pred = rng.normal(size=(4, 5)).astype("f"), rng.normal(size=(4, 5)).astype("f")
    ours = getattr(metrics, fn)(y_true, y_pred)
    np.testing.assert_allclose(ours.numpy(), np.asarray(getattr(keras.metrics, fn)(y_true, y_pred)), rtol=1e-5)
