"""The legacy `.h5` whole-model format and function initializers, checked against real TF 2.21.

`tests/goldens/kerasfit/tf_model.h5` was written by tf.keras; `capas_model.h5`
was written by capas (`write_capas_h5.py`) and loaded by tf.keras in
`record.py`, which stored TF's predictions for it in golden.json.
"""

import json
import os

import h5py
import numpy as np
import pytest

import capas as tf
from capas import keras
from capas.keras import layers
from capas.keras.saving import InvalidModelFileError

HERE = os.path.join(os.path.dirname(__file__), "..", "..", "goldens", "kerasfit")
with open(os.path.join(HERE, "golden.json")) as _f:
    GOLDEN = json.load(_f)


def test_tf_written_h5_loads_with_the_same_predictions():
    golden = GOLDEN["tf_h5"]
    model = keras.models.load_model(os.path.join(HERE, "tf_model.h5"))
    np.testing.assert_allclose(
        model.predict(np.array(golden["x"], "float32"), verbose=0), golden["predict"], rtol=1e-5, atol=1e-6
    )
    assert model.compiled and type(model.optimizer).__name__ == "Adam"


def test_capas_written_h5_loads_under_tf_with_the_same_predictions():
    golden = GOLDEN["capas_h5"]
    with open(os.path.join(HERE, "capas_model_inputs.json")) as f:
        inputs = json.load(f)
    # What TF computed from the capas file is what capas computed before saving it...
    np.testing.assert_allclose(inputs["capas_predict"], golden["predict"], rtol=1e-5, atol=1e-6)
    assert (golden["compiled"], golden["optimizer"], golden["loss"]) == (
        True,
        "Adam",
        "sparse_categorical_crossentropy",
    )
    assert golden["learning_rate"] == pytest.approx(0.01)
    # ...and what capas computes from the same file today.
    model = keras.models.load_model(os.path.join(HERE, "capas_model.h5"))
    np.testing.assert_allclose(
        model.predict(np.array(inputs["x"], "float32"), verbose=0), golden["predict"], rtol=1e-5, atol=1e-6
    )


def small_model():
    inputs = keras.Input(shape=(4,))
    h = layers.Dense(5, activation="relu", name="hidden")(inputs)
    h = layers.BatchNormalization(name="norm")(h)
    return keras.Model(inputs, layers.Dense(2, name="out")(h))


def test_h5_round_trip_keeps_weights_and_compile_config(tmp_path):
    model = small_model()
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
    x, y = np.random.default_rng(0).standard_normal((8, 4)).astype("float32"), np.ones((8, 2), "float32")
    model.fit(x, y, epochs=1, verbose=0)
    path = str(tmp_path / "m.h5")
    model.save(path)
    with h5py.File(path, "r") as f:
        assert {"model_config", "training_config", "keras_version", "backend"} <= set(f.attrs)
        assert [n.decode() for n in f["model_weights"].attrs["layer_names"]] == [layer.name for layer in model.layers]
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    assert type(loaded.optimizer).__name__ == "SGD"
    assert loaded.optimizer.learning_rate == pytest.approx(0.05)
    history = loaded.fit(x, y, epochs=1, verbose=0)
    assert list(history.history) == ["loss", "mae"]
    uncompiled = keras.models.load_model(path, compile=False)
    assert not uncompiled.compiled


def test_load_weights_reads_a_legacy_h5(tmp_path):
    twin = keras.Sequential(
        [keras.Input(shape=(4,)), layers.Dense(5, activation="relu"), layers.Dense(2, activation="softmax")]
    )
    twin.load_weights(os.path.join(HERE, "tf_model.h5"))
    golden = GOLDEN["tf_h5"]
    np.testing.assert_allclose(
        twin.predict(np.array(golden["x"], "float32"), verbose=0), golden["predict"], rtol=1e-5, atol=1e-6
    )


def test_weights_h5_still_round_trips(tmp_path):
    model, other = small_model(), small_model()
    path = str(tmp_path / "m.weights.h5")
    model.save_weights(path)
    other.load_weights(path)
    for a, b in zip(model.get_weights(), other.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_mismatched_h5_fails_and_leaves_the_model_unchanged(tmp_path):
    path = str(tmp_path / "m.h5")
    small_model().save(path)
    with h5py.File(path, "a") as f:
        group = f["model_weights/out"]
        name = group.attrs["weight_names"][0].decode()
        del group[name]
        group.create_dataset(name, data=np.zeros((3, 3), "float32"))
    with pytest.raises(InvalidModelFileError, match="shape"):
        keras.models.load_model(path)
    target = small_model()
    before = [w.copy() for w in target.get_weights()]
    with pytest.raises(InvalidModelFileError, match="shape"):
        target.load_weights(path)
    for a, b in zip(before, target.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_weights_only_h5_is_not_a_model(tmp_path):
    path = str(tmp_path / "w.h5")
    with h5py.File(path, "w") as f:
        f.attrs["layer_names"] = [b"dense"]
    with pytest.raises(InvalidModelFileError, match="load_weights"):
        keras.models.load_model(path)


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_function_initializer_saves_by_name(tmp_path, suffix):
    model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(4, kernel_initializer=tf.random.normal, name="d")])
    path = str(tmp_path / f"m{suffix}")
    model.save(path)
    loaded = keras.models.load_model(path)
    assert loaded.get_layer("d").kernel_initializer is tf.random.normal
    np.testing.assert_array_equal(loaded.get_weights()[0], model.get_weights()[0])


def test_unregistered_function_initializer_is_refused_at_save(tmp_path):
    def mine(shape, dtype=None):
        return tf.ones(shape)

    model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(4, kernel_initializer=mine)])
    with pytest.raises(TypeError, match="register_keras_serializable"):
        model.save(str(tmp_path / "m.keras"))
    assert not os.path.exists(tmp_path / "m.keras")


def test_registered_function_initializer_round_trips(tmp_path):
    @keras.saving.register_keras_serializable(package="kerasfit_test")
    def twos(shape, dtype=None):
        return 2 * tf.ones(shape)

    model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(4, kernel_initializer=twos, name="d")])
    path = str(tmp_path / "m.keras")
    model.save(path)
    assert keras.models.load_model(path).get_layer("d").kernel_initializer is twos


def test_a_file_naming_an_unknown_capas_function_is_refused(tmp_path):
    model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(4, kernel_initializer=tf.random.normal)])
    path = str(tmp_path / "m.h5")
    model.save(path)
    with h5py.File(path, "a") as f:
        text = f.attrs["model_config"]
        text = text.decode() if isinstance(text, bytes) else text
        f.attrs["model_config"] = text.replace('"random.normal"', '"os.system"')
    with pytest.raises(InvalidModelFileError, match="os.system"):
        keras.models.load_model(path)
