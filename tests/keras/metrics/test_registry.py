"""metrics.get / serialize / deserialize against keras.metrics, and user classes."""

import re

import pytest
import torch

from capas.keras import metrics
from capas.keras.saving import object_registration

NAMES = [
    "accuracy",
    "binary_accuracy",
    "categorical_accuracy",
    "sparse_categorical_accuracy",
    "top_k_categorical_accuracy",
    "sparse_top_k_categorical_accuracy",
    "auc",
    "AUC",
    "precision",
    "recall",
    "true_positives",
    "mse",
    "MSE",
    "mae",
    "mape",
    "msle",
    "bce",
    "binary_crossentropy",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    "kl_divergence",
    "poisson",
    "hinge",
    "squared_hinge",
    "categorical_hinge",
    "cosine_similarity",
    "log_cosh_error",
    "root_mean_squared_error",
    "r2_score",
    "f1_score",
    "f_beta_score",
    "binary_io_u",
    "mean",
    "sum",
    "SparseCategoricalAccuracy",
]


def _base(name):
    return re.sub(r"_\d+$", "", name)


@pytest.mark.parametrize("name", NAMES)
def test_get_resolves_keras_names(keras, name):
    ours, theirs = metrics.get(name), keras.metrics.get(name)
    assert type(ours).__name__ == type(theirs).__name__
    assert _base(ours.name) == _base(theirs.name)


def test_registry_keys_match_keras(keras):
    from keras.src.metrics import ALL_OBJECTS_DICT as keras_table

    assert set(keras_table) <= set(metrics.ALL_OBJECTS_DICT)
    assert set(metrics.ALL_OBJECTS_DICT) - set(keras_table) == {"MeanTensor", "mean_tensor"}


def test_get_passes_through_objects_and_functions():
    m = metrics.AUC()
    assert metrics.get(m) is m
    assert metrics.get(metrics.binary_accuracy) is metrics.binary_accuracy
    assert isinstance(metrics.get(metrics.Recall), metrics.Recall)
    assert metrics.get(None) is None


def test_unknown_name_lists_closest_names():
    with pytest.raises(ValueError, match="Unknown metric: 'acc'.*'accuracy'"):
        metrics.get("acc")
    with pytest.raises(ValueError, match="'precision'"):
        metrics.get("precison")


def test_keras_also_rejects_acc(keras):
    with pytest.raises(ValueError):
        keras.metrics.get("acc")


def test_not_a_metric_raises():
    with pytest.raises(ValueError, match="Could not interpret"):
        metrics.get(42)


@pytest.mark.parametrize(
    "make",
    [
        lambda m: m.AUC(curve="PR", num_thresholds=50, name="a"),
        lambda m: m.AUC(thresholds=[0.2, 0.6], name="a"),
        lambda m: m.Precision(thresholds=[0.2, 0.7], top_k=2, class_id=1, name="p"),
        lambda m: m.BinaryAccuracy(threshold=0.3, name="b"),
        lambda m: m.SparseTopKCategoricalAccuracy(k=3, name="s"),
        lambda m: m.F1Score(average="macro", threshold=0.4, name="f"),
        lambda m: m.MeanIoU(num_classes=3, name="iou"),
        lambda m: m.R2Score(class_aggregation=None, name="r2"),
        lambda m: m.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0, name="x"),
        lambda m: m.SensitivityAtSpecificity(0.4, num_thresholds=20, name="s"),
        lambda m: m.Mean(name="loss"),
        lambda m: m.MeanMetricWrapper(fn=m.mean_squared_error, name="w"),
    ],
)
def test_serialize_matches_keras_and_round_trips(keras, make):
    ours, theirs = make(metrics), make(keras.metrics)
    config = metrics.serialize(ours)
    assert config == keras.metrics.serialize(theirs)
    clone = metrics.deserialize(config)
    assert type(clone) is type(ours)
    assert clone.get_config() == ours.get_config()
    # Keras reads what capas writes.
    assert type(keras.metrics.deserialize(config)).__name__ == type(ours).__name__


def test_from_config_round_trip_for_every_default_constructible_class():
    for name, cls in sorted(metrics.ALL_OBJECTS_DICT.items()):
        if name[0].islower() or cls in (metrics.Metric, metrics.MeanMetricWrapper):
            continue
        try:
            m = cls()
        except TypeError:
            continue  # needs arguments (IoU, *At*)
        clone = cls.from_config(m.get_config())
        assert clone.get_config() == m.get_config(), name


def test_deserialize_names_and_functions():
    assert isinstance(metrics.deserialize("mse"), metrics.MeanSquaredError)
    fn_config = metrics.serialize(metrics.sparse_categorical_accuracy)
    assert fn_config == {
        "module": "builtins",
        "class_name": "function",
        "config": "sparse_categorical_accuracy",
        "registered_name": "function",
    }
    assert metrics.deserialize(fn_config) is metrics.sparse_categorical_accuracy
    with pytest.raises(ValueError, match="Unknown metric"):
        metrics.deserialize({"class_name": "NoSuchMetric", "config": {}})


class _Count(metrics.Metric):
    def __init__(self, name="count_things", dtype=None, scale=1.0):
        super().__init__(name=name, dtype=dtype)
        self.scale = scale
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")

    def update_state(self, values, sample_weight=None):
        self.total.add_(torch.as_tensor(values, dtype=torch.float32).sum() * self.scale)

    def result(self):
        return self.total.detach().clone()

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}


def test_registered_user_metric_resolves_everywhere():
    object_registration.register_keras_serializable(package="metrics_test")(_Count)
    m = metrics.get("metrics_test>_Count")
    assert isinstance(m, _Count)
    config = metrics.serialize(_Count(scale=2.0))
    assert config["registered_name"] == "metrics_test>_Count"
    clone = metrics.deserialize(config)
    assert isinstance(clone, _Count) and clone.scale == 2.0


def test_custom_objects_resolve_unregistered_classes():
    class Local(_Count):
        pass

    config = metrics.serialize(Local())
    with pytest.raises(ValueError):
        metrics.deserialize({**config, "registered_name": None})
    assert isinstance(metrics.deserialize(config, custom_objects={"Local": Local}), Local)


def test_public_names_match_keras(keras):
    import types

    ours = {
        n
        for n in dir(metrics)
        if not n.startswith("_") and n != "ALL_OBJECTS_DICT" and not isinstance(getattr(metrics, n), types.ModuleType)
    }
    theirs = {n for n in dir(keras.metrics) if not n.startswith("_")}
    assert theirs - ours == set()
    assert ours - theirs == {"MeanTensor"}
