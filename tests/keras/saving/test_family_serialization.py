"""Every family's serialize/deserialize/get against the `keras` package (torch backend).

One implementation (`serialization_lib.serialize_family_object` and friends) serves all
families, so these tests check its output byte for byte against what Keras 3 writes for
the same built-in, custom registered objects, and functions, and that each side loads the
other's dicts.
"""

import json

import pytest

from capas import keras as ck


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


def _json(config):
    """What a file holds (tuples and lists are both JSON arrays)."""
    return json.loads(json.dumps(config))


# (family, make) pairs; `make(module)` builds the same object from capas's or Keras's family module.
BUILTINS = [
    ("losses", lambda m: m.mean_squared_error),
    ("losses", lambda m: m.categorical_crossentropy),
    ("losses", lambda m: m.MeanAbsoluteError(reduction="sum", name="mae")),
    ("losses", lambda m: m.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1, name="cce")),
    ("losses", lambda m: m.Dice(axis=(1, 2), name="dice")),
    ("metrics", lambda m: m.binary_accuracy),
    ("metrics", lambda m: m.Mean(name="avg")),
    ("metrics", lambda m: m.AUC(curve="PR", num_thresholds=50, name="auc")),
    ("metrics", lambda m: m.SparseCategoricalAccuracy(name="acc")),
    ("metrics", lambda m: m.TopKCategoricalAccuracy(k=3, name="top3")),
    ("metrics", lambda m: m.MeanSquaredError(name="mse")),
    ("activations", lambda m: m.relu),
    ("activations", lambda m: m.swish),
    ("activations", lambda m: m.softmax),
    ("initializers", lambda m: m.GlorotUniform(seed=3)),
    ("initializers", lambda m: m.Constant(0.5)),
    ("initializers", lambda m: m.VarianceScaling(scale=2.0, mode="fan_out")),
    ("regularizers", lambda m: m.L1L2(l1=0.1, l2=0.2)),
    ("regularizers", lambda m: m.OrthogonalRegularizer(factor=0.5)),  # Keras rounds 0.1 to float32
    ("constraints", lambda m: m.MaxNorm(max_value=2.0, axis=1)),
    ("constraints", lambda m: m.NonNeg()),
    ("schedules", lambda m: m.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.9)),
    ("schedules", lambda m: m.CosineDecay(0.1, decay_steps=100, alpha=0.1)),
    ("layers", lambda m: m.Dense(3, activation="relu", name="d")),
    ("layers", lambda m: m.Conv2D(4, (3, 3), strides=(2, 2), name="c")),
]


def _family(root, family):
    return root.optimizers.schedules if family == "schedules" else getattr(root, family)


@pytest.mark.parametrize("family,make", BUILTINS, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BUILTINS)])
def test_builtin_serializes_as_keras_does(keras, family, make):
    ours_module, theirs_module = _family(ck, family), _family(keras, family)
    ours = ours_module.serialize(make(ours_module))
    theirs = theirs_module.serialize(make(theirs_module))
    assert _json(ours) == _json(theirs)


@pytest.mark.parametrize("family,make", BUILTINS, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BUILTINS)])
def test_keras_written_config_loads_and_capas_written_config_loads_in_keras(keras, family, make):
    ours_module, theirs_module = _family(ck, family), _family(keras, family)
    original = make(ours_module)
    theirs = _json(theirs_module.serialize(make(theirs_module)))
    ours = _json(ours_module.serialize(original))
    loaded = ours_module.deserialize(theirs)
    if callable(original) and not hasattr(original, "get_config"):
        assert loaded is original
        if family != "metrics":  # keras.metrics.deserialize cannot read its own function dicts
            assert theirs_module.deserialize(ours).__name__ == original.__name__
    else:
        assert type(loaded) is type(original)
        assert _json(loaded.get_config()) == _json(original.get_config())
        assert _json(theirs_module.deserialize(ours).get_config()) == _json(loaded.get_config())


def test_optimizer_serializes_as_tensorflow_keras_does(keras):
    # Keras's torch backend writes its own subclass's module; TF's (the reference) writes
    # `keras.optimizers` and no registered name, which is what capas writes.
    ours = ck.optimizers.serialize(ck.optimizers.Adam(learning_rate=0.01, name="opt"))
    theirs = keras.optimizers.serialize(keras.optimizers.Adam(learning_rate=0.01, name="opt"))
    assert {k: v for k, v in ours.items() if k not in ("module", "registered_name")} == {
        k: v for k, v in theirs.items() if k not in ("module", "registered_name")
    }
    assert (ours["module"], ours["registered_name"]) == ("keras.optimizers", None)
    assert type(ck.optimizers.deserialize(_json(theirs))) is ck.optimizers.Adam


# The same custom objects, registered under the same names in both libraries.
def _register_pair(keras):
    pairs = {}
    for lib in (ck, keras):

        @lib.saving.register_keras_serializable(package="family_test")
        def scaled_error(y_true, y_pred):
            return (y_true - y_pred) ** 2

        @lib.saving.register_keras_serializable(package="family_test")
        class HalfL2(lib.regularizers.Regularizer):
            def __init__(self, factor=0.5):
                self.factor = factor

            def __call__(self, x):
                return self.factor * (x * x).sum()

            def get_config(self):
                return {"factor": self.factor}

        @lib.saving.register_keras_serializable(package="family_test")
        class Twice(lib.initializers.Initializer):
            def __call__(self, shape, dtype=None):
                raise NotImplementedError("only serialized here")

            def get_config(self):
                return {}

        pairs[lib] = {"fn": scaled_error, "regularizer": HalfL2(0.25), "initializer": Twice()}
    return pairs[ck], pairs[keras]


@pytest.mark.parametrize("family", ["losses", "metrics", "activations", "initializers", "regularizers", "constraints"])
def test_registered_function_serializes_as_keras_does(keras, family):
    ours, theirs = _register_pair(keras)
    written = getattr(ck, family).serialize(ours["fn"])
    assert written == getattr(keras, family).serialize(theirs["fn"])
    assert written == {
        "module": "builtins",
        "class_name": "function",
        "config": "family_test>scaled_error",
        "registered_name": "function",
    }
    assert getattr(ck, family).deserialize(written) is ours["fn"]


@pytest.mark.parametrize("family,key", [("regularizers", "regularizer"), ("initializers", "initializer")])
def test_registered_class_serializes_as_keras_does(keras, family, key):
    ours, theirs = _register_pair(keras)
    written = getattr(ck, family).serialize(ours[key])
    assert _json(written) == _json(getattr(keras, family).serialize(theirs[key]))
    assert written["registered_name"].startswith("family_test>")
    assert type(getattr(ck, family).deserialize(written)) is type(ours[key])


def test_compile_config_stores_functions_as_keras_does(keras):
    ours_model = ck.Sequential([ck.Input((2,)), ck.layers.Dense(1)])
    ours_model.compile(optimizer="sgd", loss=ck.losses.mean_squared_error, metrics=[ck.metrics.mean_absolute_error])
    theirs_model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    theirs_model.compile(
        optimizer="sgd", loss=keras.losses.mean_squared_error, metrics=[keras.metrics.mean_absolute_error]
    )
    ours = ck.saving.serialize_keras_object(ours_model)["compile_config"]
    theirs = keras.saving.serialize_keras_object(theirs_model)["compile_config"]
    assert _json(ours["loss"]) == _json(theirs["loss"])
    assert _json(ours["metrics"]) == _json(theirs["metrics"])


@pytest.mark.parametrize(
    "family,name,near",
    [
        ("losses", "mean_squared_eror", "mean_squared_error"),
        ("metrics", "acurracy", "accuracy"),
        ("activations", "rellu", "relu"),
        ("initializers", "glorot_unifrom", "glorot_uniform"),
        ("regularizers", "l3", "l2"),
        ("constraints", "max_nrom", "max_norm"),
        ("optimizers", "adamm", "adam"),
        ("schedules", "ExponentialDecai", "ExponentialDecay"),
    ],
)
def test_unknown_names_name_the_family_and_the_closest_names(family, name, near):
    module = _family(ck, family)
    singular = {"losses": "loss", "schedules": "learning rate schedule"}.get(family, family[:-1])
    for call in (lambda: module.deserialize(name), lambda: module.deserialize({"class_name": name, "config": {}})):
        with pytest.raises(ValueError, match=rf"Unknown {singular}: '{name}'.*'{near}'") as info:
            call()
        package = "optimizers.schedules" if family == "schedules" else family
        assert f"capas.keras.{package}" in str(info.value)


@pytest.mark.parametrize("family", ["losses", "metrics", "activations", "initializers", "regularizers", "constraints"])
def test_function_dict_resolves_through_custom_objects(family):
    def my_function(*args):
        return args[0]

    config = {"module": "builtins", "class_name": "function", "config": "my_function", "registered_name": "function"}
    module = getattr(ck, family)
    assert module.deserialize(config, custom_objects={"my_function": my_function}) is my_function
    with pytest.raises(ValueError, match="my_function"):
        module.deserialize(config)


@pytest.mark.parametrize("family", ["optimizers", "schedules", "regularizers", "constraints"])
def test_classes_and_non_configurable_objects_are_not_serialized(family):
    module = _family(ck, family)
    with pytest.raises(TypeError, match="Cannot serialize"):
        module.serialize(object())
    with pytest.raises(TypeError, match="Cannot serialize the class"):
        module.serialize(type("Anything", (), {"get_config": lambda self: {}}))
