"""Confusion metrics (counts, Precision, Recall, *At*, AUC) against keras.metrics."""

import numpy as np
import pytest
import torch

from capas.keras import metrics

EDGES = np.array([0.0, 0.25, 0.5, 0.75, 1.0, 0.005, 0.995], dtype="f")


def _binary_batches(rng, n_batches=3, n=12, cols=None, weights=None, edges=True):
    batches = []
    for _ in range(n_batches):
        shape = (n,) if cols is None else (n, cols)
        y_true = rng.integers(0, 2, size=shape).astype("f")
        y_pred = rng.uniform(size=shape).astype("f")
        if edges:  # values on bucket edges: both libraries must bucket them alike
            y_pred.reshape(-1)[: len(EDGES)] = EDGES
        kwargs = {}
        if weights == "per_sample":
            kwargs["sample_weight"] = rng.uniform(0, 2, size=(n,)).astype("f")
        elif weights == "full" and cols is not None:
            kwargs["sample_weight"] = rng.uniform(0, 2, size=shape).astype("f")
        elif weights == "scalar":
            kwargs["sample_weight"] = np.float32(0.5)
        batches.append({"args": (y_true, y_pred), "kwargs": kwargs})
    return batches


THRESHOLDS = [None, 0.3, [0.1, 0.5, 0.9], [0.0, 0.25, 0.5, 0.75, 1.0]]


@pytest.mark.parametrize("weights", [None, "per_sample", "scalar"])
@pytest.mark.parametrize("thresholds", THRESHOLDS)
@pytest.mark.parametrize("cls_name", ["TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives"])
def test_counts_match_keras(keras, run_pair, rng, cls_name, thresholds, weights):
    ours = getattr(metrics, cls_name)(thresholds=thresholds)
    theirs = getattr(keras.metrics, cls_name)(thresholds=thresholds)
    assert ours.get_config()["thresholds"] == theirs.get_config()["thresholds"]
    run_pair(ours, theirs, _binary_batches(rng, weights=weights))


@pytest.mark.parametrize("weights", [None, "per_sample", "full"])
@pytest.mark.parametrize("thresholds", THRESHOLDS)
@pytest.mark.parametrize("cls_name", ["Precision", "Recall"])
def test_precision_recall_match_keras(keras, run_pair, rng, cls_name, thresholds, weights):
    ours = getattr(metrics, cls_name)(thresholds=thresholds)
    theirs = getattr(keras.metrics, cls_name)(thresholds=thresholds)
    run_pair(ours, theirs, _binary_batches(rng, cols=3, weights=weights))


@pytest.mark.parametrize(
    "options",
    [
        {"top_k": 1},
        {"top_k": 2},
        {"class_id": 2},
        {"top_k": 2, "class_id": 1},
        {"top_k": 2, "thresholds": [0.2, 0.6]},
        {"class_id": 0, "thresholds": [0.0, 0.25, 0.5, 0.75, 1.0]},
    ],
)
@pytest.mark.parametrize("cls_name", ["Precision", "Recall"])
def test_precision_recall_top_k_and_class_id(keras, run_pair, rng, cls_name, options):
    ours = getattr(metrics, cls_name)(**options)
    theirs = getattr(keras.metrics, cls_name)(**options)
    assert {k: v for k, v in ours.get_config().items() if k != "name"} == {
        k: v for k, v in theirs.get_config().items() if k != "name"
    }
    run_pair(ours, theirs, _binary_batches(rng, cols=4, weights="per_sample", edges=False))


def test_seed_precision_recall_numbers(keras):
    y_true, y_score = [0, 1, 1, 1], [0.9, 0.2, 0.8, 0.7]
    for cls_name in ("Precision", "Recall"):
        ours = getattr(metrics, cls_name)()
        theirs = getattr(keras.metrics, cls_name)()
        expected = float(theirs(np.array(y_true), np.array(y_score)))
        assert float(ours(y_true, y_score)) == pytest.approx(expected, abs=1e-6)
        assert expected == pytest.approx(2 / 3, abs=1e-6)


def test_seed_auc_number(keras):
    y_true, y_score = [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]
    expected = float(keras.metrics.AUC()(np.array(y_true), np.array(y_score, dtype="f")))
    assert float(metrics.AUC()(y_true, y_score)) == pytest.approx(expected, abs=1e-6)


AT_CASES = [
    ("SensitivityAtSpecificity", {"specificity": 0.5}),
    ("SpecificityAtSensitivity", {"sensitivity": 0.6}),
    ("PrecisionAtRecall", {"recall": 0.4}),
    ("RecallAtPrecision", {"precision": 0.55}),
]


@pytest.mark.parametrize("extra", [{}, {"num_thresholds": 1}, {"num_thresholds": 7}, {"class_id": 1}])
@pytest.mark.parametrize("cls_name, kwargs", AT_CASES)
def test_at_metrics_match_keras(keras, run_pair, rng, cls_name, kwargs, extra):
    ours = getattr(metrics, cls_name)(**kwargs, **extra)
    theirs = getattr(keras.metrics, cls_name)(**kwargs, **extra)
    assert {k: v for k, v in ours.get_config().items() if k != "name"} == {
        k: v for k, v in theirs.get_config().items() if k != "name"
    }
    run_pair(ours, theirs, _binary_batches(rng, cols=3, weights="per_sample"))


@pytest.mark.parametrize("summation_method", ["interpolation", "minoring", "majoring"])
@pytest.mark.parametrize("curve", ["ROC", "PR", "PRGAIN"])
@pytest.mark.parametrize("num_thresholds", [200, 3, 10])
def test_auc_curves_and_summations(keras, run_pair, rng, curve, summation_method, num_thresholds):
    options = {"curve": curve, "summation_method": summation_method, "num_thresholds": num_thresholds}
    ours = metrics.AUC(**options)
    theirs = keras.metrics.AUC(**options)
    run_pair(ours, theirs, _binary_batches(rng, weights="per_sample"), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize(
    "options",
    [
        {"thresholds": [0.3, 0.1, 0.7]},
        {"thresholds": [0.25, 0.5, 0.75]},
        {"thresholds": [0.3, 0.1, 0.7], "curve": "PR"},
        {"from_logits": True},
        {"label_weights": [0.2, 1.0, 0.5]},
        {"multi_label": True},
        {"multi_label": True, "num_labels": 3},
        {"multi_label": True, "label_weights": [0.2, 1.0, 0.5]},
        {"multi_label": True, "curve": "PR"},
        {"multi_label": True, "thresholds": [0.3, 0.1, 0.7]},
    ],
)
@pytest.mark.parametrize("weights", [None, "per_sample", "full"])
def test_auc_options(keras, run_pair, rng, options, weights):
    ours = metrics.AUC(**options)
    theirs = keras.metrics.AUC(**options)
    batches = _binary_batches(rng, cols=3, weights=weights)
    if options.get("from_logits"):
        for b in batches:
            b["args"] = (b["args"][0], (b["args"][1] - 0.5) * 8)
    run_pair(ours, theirs, batches, rtol=1e-4, atol=1e-5)
    expected = {k: v for k, v in theirs.get_config().items() if k not in ("name", "label_weights")}
    got = {k: v for k, v in ours.get_config().items() if k not in ("name", "label_weights")}
    assert got == expected


def test_auc_variables_and_paths_match_keras(keras):
    ours, theirs = metrics.AUC(name="auc_x"), keras.metrics.AUC(name="auc_x")
    assert [v.path for v in ours.variables] == [v.path for v in theirs.variables]
    assert [tuple(v.shape) for v in ours.variables] == [tuple(v.shape) for v in theirs.variables]
    assert ours.thresholds == pytest.approx(theirs.thresholds)


def test_default_names_are_uniquified_like_keras():
    first, second = metrics.Precision(), metrics.Precision()
    assert first.name.startswith("precision") and second.name.startswith("precision")
    assert first.name != second.name


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: metrics.Precision(thresholds=[1.5]), "in \\[0, 1\\]"),
        (lambda: metrics.AUC(num_thresholds=1), "num_thresholds"),
        (lambda: metrics.AUC(curve="XY"), "curve"),
        (lambda: metrics.AUC(summation_method="mid"), "summation_method"),
        (lambda: metrics.AUC(num_labels=3), "num_labels"),
        (lambda: metrics.RecallAtPrecision(1.5), "precision"),
        (lambda: metrics.SensitivityAtSpecificity(0.5, num_thresholds=0), "num_thresholds"),
    ],
)
def test_bad_arguments_raise(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_multi_label_auc_needs_rank_2():
    m = metrics.AUC(multi_label=True)
    with pytest.raises(ValueError, match="rank 2"):
        m.update_state(torch.zeros(4), torch.zeros(4))


def test_class_id_needs_2d_predictions():
    with pytest.raises(ValueError, match="class_id"):
        metrics.Precision(class_id=1).update_state([0, 1], [0.2, 0.8])


def test_large_batch_uses_no_python_loop_and_matches_numpy(rng):
    # 200 thresholds x 100k predictions: the bucketed path, checked against numpy.
    y_true = rng.integers(0, 2, size=100_000).astype("f")
    y_pred = rng.uniform(size=100_000).astype("f")
    m = metrics.TruePositives(thresholds=list(np.linspace(0, 1, 200)))
    m.update_state(torch.from_numpy(y_true), torch.from_numpy(y_pred))
    thresholds = np.arange(200, dtype="f") / 199
    expected = ((y_pred[None, :] > thresholds[:, None]) & (y_true[None, :] > 0)).sum(1)
    np.testing.assert_allclose(m.result().numpy(), expected, atol=2)


@pytest.mark.parametrize("cls_name", ["AUC", "Precision", "Recall", "TruePositives"])
def test_rank_mismatch_by_one_trailing_axis_matches_keras(keras, run_pair, rng, cls_name):
    batches = []
    for _ in range(2):
        y_true = rng.integers(0, 2, size=(8, 1)).astype("f")
        y_pred = rng.uniform(size=(8,)).astype("f")
        batches.append({"args": (y_true, y_pred), "kwargs": {"sample_weight": rng.uniform(size=(8,)).astype("f")}})
    run_pair(getattr(metrics, cls_name)(), getattr(keras.metrics, cls_name)(), batches)
