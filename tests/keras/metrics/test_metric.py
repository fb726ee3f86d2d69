"""The Metric base: user subclasses, state variables, config, errors, device following."""

import numpy as np
import pytest
import torch

import capas
from capas.keras import metrics


class BinaryTruePositives(metrics.Metric):
    """The seed's custom metric: a user subclass built on add_variable."""

    def __init__(self, name="binary_true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.true_positives = self.add_variable(shape=(), initializer="zeros", name="true_positives")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = torch.as_tensor(y_true).bool()
        y_pred = torch.as_tensor(y_pred).bool()
        values = (y_true & y_pred).float()
        if sample_weight is not None:
            values = values * torch.as_tensor(sample_weight, dtype=torch.float32)
        self.true_positives.assign_add(values.sum())

    def result(self):
        return self.true_positives


def _keras_twin(keras):
    class KerasBinaryTruePositives(keras.metrics.Metric):
        def __init__(self, name="binary_true_positives", **kwargs):
            super().__init__(name=name, **kwargs)
            self.true_positives = self.add_variable(shape=(), initializer="zeros", name="true_positives")

        def update_state(self, y_true, y_pred, sample_weight=None):
            ops = keras.ops
            values = ops.cast(ops.logical_and(ops.cast(y_true, "bool"), ops.cast(y_pred, "bool")), "float32")
            if sample_weight is not None:
                values = values * ops.cast(sample_weight, "float32")
            self.true_positives.assign(self.true_positives + ops.sum(values))

        def result(self):
            return self.true_positives

    return KerasBinaryTruePositives()


def test_user_metric_matches_keras_user_metric(keras, run_pair, rng):
    batches = []
    for i in range(3):
        y_true = rng.integers(0, 2, size=(8,)).astype("f")
        y_pred = rng.integers(0, 2, size=(8,)).astype("f")
        kwargs = {"sample_weight": rng.uniform(size=(8,)).astype("f")} if i else {}
        batches.append({"args": (y_true, y_pred), "kwargs": kwargs})
    ours = BinaryTruePositives()
    theirs = _keras_twin(keras)
    assert [v.path for v in ours.variables] == [v.path for v in theirs.variables]
    run_pair(ours, theirs, batches)


def test_user_metric_variables_are_non_trainable_capas_variables():
    m = BinaryTruePositives()
    (v,) = m.variables
    assert isinstance(v, capas.Variable)
    assert not v.trainable and v.path == "binary_true_positives/true_positives"
    assert v.aggregation == "sum"


def test_add_weight_alias_and_initializers():
    class M(metrics.Metric):
        def __init__(self):
            super().__init__(name="m")
            self.a = self.add_weight(shape=(2,), initializer="ones", name="a")
            self.b = self.add_variable(shape=(3,), initializer=lambda shape, dtype: np.full(shape, 4.0), name="b")
            self.c = self.add_variable(shape=(), initializer=2.5, dtype="float64", name="c", aggregation="mean")

        def update_state(self, x):
            pass

        def result(self):
            return self.a.sum()

    m = M()
    assert [v.path for v in m.variables] == ["m/a", "m/b", "m/c"]
    assert m.a.numpy().tolist() == [1.0, 1.0] and m.b.numpy().tolist() == [4.0] * 3
    assert m.c.dtype == torch.float64 and m.c.aggregation == "mean"
    m.reset_state()
    assert not any(v.numpy().any() for v in m.variables)


def test_sub_metrics_are_tracked():
    class Pair(metrics.Metric):
        def __init__(self):
            super().__init__(name="pair")
            self.first = metrics.Mean(name="first")
            self.second = metrics.Sum(name="second")

        def update_state(self, x):
            self.first.update_state(x)
            self.second.update_state(x)

        def result(self):
            return self.first.result() + self.second.result()

    m = Pair()
    assert [v.path for v in m.variables] == ["first/total", "first/count", "second/total"]
    assert float(m([1.0, 3.0])) == 6.0
    m.reset_state()
    assert float(m.result()) == 0.0


def test_forgetting_super_init_is_reported():
    class Broken(metrics.Metric):
        def __init__(self):
            self.v = None

        def update_state(self, x):
            pass

    with pytest.raises(RuntimeError, match="super\\(\\).__init__"):
        Broken().add_variable((), "zeros")
    with pytest.raises(RuntimeError, match="Broken.*super\\(\\).__init__"):
        Broken().update_state(1.0)


def test_default_names_and_repr(keras):
    m = metrics.Mean()
    assert m.name == "mean" and repr(m) == "<Mean name=mean>"
    assert metrics.TruePositives().name.startswith("true_positives")
    assert metrics.Mean(dtype="float64").result().dtype == torch.float64


def test_call_returns_a_tensor_without_host_sync():
    m = metrics.Mean()
    out = m([1.0, 2.0])
    assert isinstance(out, torch.Tensor) and out.shape == ()


def test_update_does_not_record_gradients():
    y_pred = torch.rand(4, 3, requires_grad=True)
    m = metrics.SparseCategoricalAccuracy()
    m.update_state(torch.tensor([0, 1, 2, 1]), y_pred)
    assert not m.result().requires_grad
    mse = metrics.MeanSquaredError()
    mse.update_state(torch.rand(4, 3), y_pred)
    assert not mse.result().requires_grad and not mse.total.requires_grad


def test_state_follows_the_device_of_the_data_and_keeps_identity():
    m = metrics.AUC()
    before = list(m.variables)
    # A 'meta' tensor cannot hold data; CPU tensors keep the state where it is.
    m.update_state(torch.tensor([0.0, 1.0]), torch.tensor([0.2, 0.9]))
    assert [id(v) for v in m.variables] == [id(v) for v in before]
    assert all(v.device.type == "cpu" for v in m.variables)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_state_moves_to_cuda_once():
    m = metrics.SparseCategoricalAccuracy()
    total = m.total
    y = torch.tensor([0, 1], device="cuda")
    p = torch.tensor([[0.9, 0.1], [0.2, 0.8]], device="cuda")
    m.update_state(y, p)
    assert m.total is total and total.device.type == "cuda"
    assert m.result().device.type == "cuda" and float(m.result()) == 1.0


def test_deepcopy_and_pickle_keep_independent_state():
    import copy
    import pickle

    m = metrics.AUC(name="a")
    m.update_state([0.0, 1.0, 1.0], [0.2, 0.7, 0.4])
    clone = copy.deepcopy(m)
    assert clone.true_positives is clone.variables[0] and clone.true_positives is not m.true_positives
    clone.update_state([0.0, 1.0], [0.9, 0.1])
    assert float(m.result()) == 1.0 and float(clone.result()) != 1.0
    restored = pickle.loads(pickle.dumps(m))
    assert float(restored.result()) == 1.0 and restored.variables[0].path == "a/true_positives"


@pytest.mark.parametrize(
    "make, y_true, y_pred",
    [
        (lambda m: m.R2Score(name="r2"), np.ones((4, 3), "f"), np.zeros((4, 3), "f")),
        (lambda m: m.F1Score(name="f1"), np.eye(3, dtype="f"), np.eye(3, dtype="f")),
        (lambda m: m.F1Score(average="micro", name="f1"), np.eye(3, dtype="f"), np.eye(3, dtype="f")),
        (lambda m: m.AUC(multi_label=True, name="auc"), np.ones((4, 3), "f"), np.full((4, 3), 0.3, "f")),
        (lambda m: m.Precision(thresholds=[0.2, 0.4], name="p"), np.ones(4, "f"), np.full(4, 0.3, "f")),
        (lambda m: m.SpecificityAtSensitivity(0.5, name="s"), np.ones(4, "f"), np.full(4, 0.3, "f")),
    ],
)
def test_state_variables_match_keras(keras, make, y_true, y_pred):
    ours, theirs = make(metrics), make(keras.metrics)
    ours.update_state(y_true, y_pred)
    theirs.update_state(y_true, y_pred)
    assert [(v.path, tuple(v.shape)) for v in ours.variables] == [(v.path, tuple(v.shape)) for v in theirs.variables]
