"""Configs round-trip: to_json/model_from_json, the registry, custom layers, losses and metrics."""

import json

import numpy as np
import pytest
import torch

import capas as tf
from capas import keras as ck
from capas.keras.saving import InvalidModelFileError, serialization_lib
from capas.keras.saving.saving_api import model_from_json
from tests.keras.saving.saving_models import functional_mlp, sequential_mlp


@ck.saving.register_keras_serializable(package="tests")
class Scale(ck.layers.Layer):
    """A custom layer with a weight, a config and a sublayer."""

    def __init__(self, factor=2.0, units=3, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor
        self.units = units
        self.proj = ck.layers.Dense(units, name="proj")

    def build(self, input_shape):
        self.offset = self.add_weight(shape=(self.units,), initializer="random_normal", name="offset")

    def call(self, inputs):
        return self.proj(inputs) * self.factor + self.offset

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "units": self.units})
        return config


@ck.saving.register_keras_serializable(package="tests")
def scaled_mse(y_true, y_pred):
    return tf.reduce_mean(tf.square(y_true - y_pred)) * 2.0


class Unregistered(ck.layers.Layer):
    def call(self, inputs):
        return inputs + 1.0


def _custom_model():
    inputs = ck.Input((4,))
    outputs = Scale(factor=0.5, units=3, name="scale")(inputs)
    return ck.Model(inputs, outputs)


def test_get_registered_name_and_object():
    assert ck.saving.get_registered_name(Scale) == "tests>Scale"
    assert ck.saving.get_registered_object("tests>Scale") is Scale
    assert ck.saving.get_registered_name(Unregistered) == "Unregistered"
    assert ck.saving.get_registered_object("tests>scaled_mse") is scaled_mse


@pytest.mark.parametrize("builder", [functional_mlp, sequential_mlp])
def test_to_json_and_model_from_json(builder):
    model = builder(ck)
    rebuilt = model_from_json(model.to_json())
    assert type(rebuilt) is type(model)
    assert rebuilt.get_config() == model.get_config()
    assert [w.shape for w in rebuilt.get_weights()] == [w.shape for w in model.get_weights()]


@pytest.mark.parametrize("builder", [functional_mlp, sequential_mlp])
def test_keras_reads_capas_json_and_back(builder):
    keras = pytest.importorskip("keras")
    model = builder(ck)
    theirs = keras.models.model_from_json(model.to_json())
    assert [layer.name for layer in theirs.layers] == [layer.name for layer in model.layers]
    ours = model_from_json(theirs.to_json())
    assert [layer.name for layer in ours.layers] == [layer.name for layer in model.layers]
    assert ours.get_config() == model.get_config()


def test_custom_layer_round_trips_through_save(tmp_path):
    model = _custom_model()
    model.compile(optimizer="sgd", loss=scaled_mse)
    x = np.random.rand(5, 4).astype("float32")
    model.fit(x, np.random.rand(5, 3).astype("float32"), verbose=0)
    model.save(tmp_path / "custom.keras")
    loaded = ck.saving.load_model(tmp_path / "custom.keras")
    layer = loaded.get_layer("scale")
    assert isinstance(layer, Scale) and layer.factor == 0.5
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.compiled


def test_custom_layer_weights_paths_follow_keras(tmp_path):
    import h5py

    model = _custom_model()
    model.save_weights(tmp_path / "w.weights.h5")
    with h5py.File(tmp_path / "w.weights.h5", "r") as f:
        names = set()
        f.visit(names.add)
    assert {"layers/scale/vars/0", "layers/scale/proj/vars/0", "layers/scale/proj/vars/1"} <= names


def test_unregistered_class_needs_custom_objects(tmp_path):
    inputs = ck.Input((2,))
    model = ck.Model(inputs, Unregistered(name="plus")(inputs))
    model.save(tmp_path / "u.keras")
    with pytest.raises(InvalidModelFileError, match="Unregistered"):
        ck.saving.load_model(tmp_path / "u.keras")
    loaded = ck.saving.load_model(tmp_path / "u.keras", custom_objects={"Unregistered": Unregistered})
    assert isinstance(loaded.get_layer("plus"), Unregistered)
    with ck.saving.custom_object_scope({"Unregistered": Unregistered}):
        assert isinstance(ck.saving.load_model(tmp_path / "u.keras").get_layer("plus"), Unregistered)


def test_custom_loss_and_metric_objects_round_trip():
    @ck.saving.register_keras_serializable(package="tests_inner")
    class HalfMSE(ck.losses.Loss):
        def __init__(self, weight=0.5, **kwargs):
            super().__init__(**kwargs)
            self.weight = weight

        def call(self, y_true, y_pred):
            return tf.reduce_mean(tf.square(y_true - y_pred), axis=-1) * self.weight

        def get_config(self):
            return {**super().get_config(), "weight": self.weight}

    loss = HalfMSE(weight=0.25, name="half")
    rebuilt = ck.saving.deserialize_keras_object(ck.saving.serialize_keras_object(loss))
    assert isinstance(rebuilt, HalfMSE) and rebuilt.weight == 0.25 and rebuilt.name == "half"
    metric = ck.metrics.MeanAbsoluteError(name="mae_custom")
    config = json.loads(json.dumps(ck.saving.serialize_keras_object(metric)))
    again = ck.saving.deserialize_keras_object(config)
    assert type(again) is type(metric) and again.name == "mae_custom"
    assert ck.saving.deserialize_keras_object(ck.saving.serialize_keras_object(scaled_mse)) is scaled_mse


def test_deserialize_refuses_bytecode_unless_caller_allows():
    config = {"class_name": "Lambda", "config": {"function": {"class_name": "__lambda__", "config": {"code": "AA"}}}}
    with pytest.raises(serialization_lib.UnsafeConfigError, match="would run code"):
        ck.saving.deserialize_keras_object(config)
    with pytest.raises(serialization_lib.UnsafeConfigError):
        model_from_json(
            json.dumps({"class_name": "Sequential", "config": {"layers": [config]}})
        ) if False else ck.saving.deserialize_keras_object(config, safe_mode=True)
    with serialization_lib.SafeModeScope(True):
        with pytest.raises(serialization_lib.UnsafeConfigError):
            ck.saving.deserialize_keras_object(config, safe_mode=False)  # the outer scope wins


def test_model_from_json_errors_are_typed():
    with pytest.raises(InvalidModelFileError, match="JSON"):
        model_from_json("{not json")
    lam = {"class_name": "Lambda", "config": {"function": {"class_name": "__lambda__", "config": {"code": "AA"}}}}
    with pytest.raises(InvalidModelFileError, match="would run code"):
        model_from_json(json.dumps({"class_name": "Sequential", "config": {"layers": [lam]}}))
    with pytest.raises(InvalidModelFileError, match="Unknown class 'Popen'"):
        model_from_json(json.dumps({"module": "subprocess", "class_name": "Popen", "config": {"args": ["true"]}}))


def test_functions_are_returned_never_called():
    calls = []

    def probe(*args, **kwargs):
        calls.append(args)

    config = {"class_name": "function", "config": "probe", "module": "builtins"}
    assert ck.saving.deserialize_keras_object(config, custom_objects={"probe": probe}) is probe
    with pytest.raises(serialization_lib.UnknownObjectError, match="not a class"):
        ck.saving.deserialize_keras_object({"class_name": "probe", "config": {}}, custom_objects={"probe": probe})
    assert calls == []


def test_unknown_class_lists_closest_names():
    with pytest.raises(serialization_lib.UnknownObjectError, match="Did you mean: 'Dense'"):
        ck.saving.deserialize_keras_object({"class_name": "Dens", "module": "keras.layers", "config": {}})


def test_save_refuses_wrong_extensions_and_overwrite(tmp_path):
    model = sequential_mlp(ck)
    with pytest.raises(ValueError, match=r"\.keras"):
        model.save(tmp_path / "m.pt")
    with pytest.raises(ValueError, match="weights file"):
        model.save(tmp_path / "m.weights.h5")
    with pytest.raises(ValueError, match=r"\.weights\.h5"):
        model.save_weights(tmp_path / "m.h5")
    model.save(tmp_path / "m.keras")
    with pytest.raises(FileExistsError, match="overwrite"):
        model.save(tmp_path / "m.keras", overwrite=False)


def test_legacy_h5_weights_in_keras3_layout_load(tmp_path):
    model = sequential_mlp(ck)
    model.save_weights(tmp_path / "m.weights.h5")
    (tmp_path / "m.weights.h5").rename(tmp_path / "legacy.h5")
    other = sequential_mlp(ck)
    other.load_weights(tmp_path / "legacy.h5")
    for a, b in zip(other.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_skip_mismatch_loads_what_fits(tmp_path):
    model = functional_mlp(ck)
    model.save_weights(tmp_path / "m.weights.h5")
    inputs = ck.Input((4,), name="features")
    x = ck.layers.Dense(8, activation="relu")(inputs)
    x = ck.layers.Dropout(0.25)(x)
    x = ck.layers.Dense(7, activation="tanh")(x)
    other = ck.Model(inputs, ck.layers.Dense(3)(x))
    with pytest.raises(InvalidModelFileError, match="shape"):
        other.load_weights(tmp_path / "m.weights.h5")
    with pytest.warns(UserWarning, match="Skipping"):
        other.load_weights(tmp_path / "m.weights.h5", skip_mismatch=True)
    np.testing.assert_array_equal(other.layers[1].get_weights()[0], model.layers[1].get_weights()[0])


def test_dense_refuses_quantized_config():
    config = ck.layers.Dense(2).get_config()
    config["quantization_config"] = {"mode": "int8"}
    with pytest.raises(ValueError, match="quantization"):
        ck.layers.Dense.from_config(config)


def test_variable_dtype_survives(tmp_path):
    model = ck.Sequential([ck.Input((3,)), ck.layers.Dense(2, dtype="float64")])
    model.save(tmp_path / "f64.keras")
    loaded = ck.saving.load_model(tmp_path / "f64.keras")
    assert loaded.layers[0].kernel.dtype == torch.float64
    np.testing.assert_array_equal(loaded.layers[0].kernel.detach().numpy(), model.layers[0].kernel.detach().numpy())


def test_custom_metric_round_trips():
    @ck.saving.register_keras_serializable(package="tests_inner")
    class Hits(ck.metrics.Metric):
        def __init__(self, threshold=0.5, **kwargs):
            super().__init__(**kwargs)
            self.threshold = threshold
            self.hits = self.add_variable(shape=(), initializer="zeros", name="hits")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.hits.assign_add(tf.reduce_sum(tf.cast(y_pred > self.threshold, "float32")))

        def result(self):
            return self.hits

        def get_config(self):
            return {**super().get_config(), "threshold": self.threshold}

    metric = Hits(threshold=0.75, name="hits")
    again = ck.saving.deserialize_keras_object(json.loads(json.dumps(ck.saving.serialize_keras_object(metric))))
    assert isinstance(again, Hits) and again.threshold == 0.75 and again.name == "hits"


def test_register_requires_get_config():
    with pytest.raises(ValueError, match="get_config"):
        ck.saving.register_keras_serializable(package="tests")(type("Plain", (), {}))


def _torch_loads(tree):
    """`(call, enclosing function)` for every `torch.load(...)` call of a module's syntax tree."""
    import ast

    found = []

    def visit(node, function):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            function = node
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "load"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "torch"
        ):
            found.append((node, function))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, None)
    return found


def test_every_torch_load_in_capas_uses_weights_only():
    """weights_only=True everywhere, except behind an explicit safe-mode check (TorchModuleWrapper's pickle)."""
    import ast
    import pathlib

    root = pathlib.Path(ck.__file__).resolve().parents[1]
    offenders = []
    for path in root.rglob("*.py"):
        for call, function in _torch_loads(ast.parse(path.read_text(encoding="utf-8"))):
            flag = [k for k in call.keywords if k.arg == "weights_only"]
            if flag and isinstance(flag[0].value, ast.Constant) and flag[0].value.value is True:
                continue
            guarded = function is not None and "in_safe_mode" in ast.unparse(function)
            if not guarded:
                offenders.append(f"{path}:{call.lineno}")
    assert offenders == []


def test_pickled_torch_module_config_is_refused_in_safe_mode():
    config = {
        "class_name": "TorchModuleWrapper",
        "module": "keras.layers",
        "config": {"name": "wrapped", "module": "gASVAAAAAAAAAAA="},
    }
    with pytest.raises(serialization_lib.UnsafeConfigError, match="would run code"):
        ck.saving.deserialize_keras_object(config)


def test_enable_unsafe_deserialization_is_global_and_explicit(monkeypatch):
    monkeypatch.setattr(serialization_lib, "_UNSAFE_EVERYWHERE", [False])
    config = {"class_name": "Lambda", "config": {"function": {"class_name": "__lambda__", "config": {"code": "AA"}}}}
    assert serialization_lib.in_safe_mode()
    serialization_lib.enable_unsafe_deserialization()
    assert not serialization_lib.in_safe_mode()
    serialization_lib.check_safe(config)  # the code check no longer refuses
    with serialization_lib.SafeModeScope(True):
        assert not serialization_lib.in_safe_mode()
