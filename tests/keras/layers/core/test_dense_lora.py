"""LoRA for Dense, compared with the keras package (torch backend)."""

import keras
import numpy as np
import pytest

from capas import keras as ck
from tests.keras.layers._keras_diff import assert_same_as_keras

X = np.random.RandomState(0).randn(6, 5).astype("float32")


def _random_weights(layer, seed=1):
    rng = np.random.RandomState(seed)
    layer.set_weights([rng.randn(*w.shape).astype("float32") for w in layer.get_weights()])


def _name(variable):
    return variable.name.split(":")[0]


def test_lora_weights_and_trainability_match_keras():
    theirs = keras.layers.Dense(3, lora_rank=2)
    theirs.build((None, 5))
    ours = ck.layers.Dense(3, lora_rank=2)
    ours.build((None, 5))
    assert [_name(w) for w in ours.weights] == [w.name for w in theirs.weights]
    assert [_name(w) for w in ours.trainable_weights] == [w.name for w in theirs.trainable_weights]
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    np.testing.assert_array_equal(ours.lora_kernel_b.numpy(), np.zeros((2, 3), "float32"))
    assert ours.get_config()["lora_rank"] == theirs.get_config()["lora_rank"] == 2


@pytest.mark.parametrize("alpha", [None, 6])
def test_lora_outputs_and_gradients_match_keras(alpha):
    theirs = keras.layers.Dense(3, activation="tanh")
    theirs.build((None, 5))
    theirs.enable_lora(2, lora_alpha=alpha)
    _random_weights(theirs)
    ours = ck.layers.Dense(3, activation="tanh")
    ours.build((None, 5))
    ours.enable_lora(2, lora_alpha=alpha)
    assert_same_as_keras(ours, theirs, [X])


def test_lora_training_moves_only_the_update(tmp_path):
    model = ck.Sequential([ck.Input((5,)), ck.layers.Dense(3, lora_rank=2, name="d")])
    layer = model.get_layer("d")
    kernel = layer.kernel.numpy().copy()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(X, np.ones((6, 3), "float32"), epochs=2, verbose=0)
    np.testing.assert_array_equal(layer.kernel.numpy(), kernel)
    assert np.any(layer.lora_kernel_b.numpy() != 0)
    expected = model.predict(X, verbose=0)
    path = str(tmp_path / "lora.keras")
    model.save(path)
    loaded = ck.saving.load_model(path)
    again = loaded.get_layer("d")
    assert again.lora_enabled and again.lora_rank == 2
    np.testing.assert_array_equal(again.lora_kernel_b.numpy(), np.zeros((2, 3), "float32"))
    np.testing.assert_allclose(loaded.predict(X, verbose=0), expected, rtol=1e-5, atol=1e-6)
    # The file is Keras 3's layout: keras loads it and computes the same.
    theirs = keras.saving.load_model(path)
    np.testing.assert_allclose(theirs.predict(X, verbose=0), expected, rtol=1e-5, atol=1e-6)


def test_lora_refusals():
    layer = ck.layers.Dense(3)
    with pytest.raises(ValueError, match="not built"):
        layer.enable_lora(2)
    layer.build((None, 5))
    layer.enable_lora(2)
    with pytest.raises(ValueError, match="already enabled"):
        layer.enable_lora(2)
    with pytest.raises(ValueError, match="positive integer"):
        ck.layers.Dense(3, lora_rank=0)
    constrained = ck.layers.Dense(3, kernel_constraint="non_neg")
    constrained.build((None, 5))
    with pytest.raises(ValueError, match="kernel constraints"):
        constrained.enable_lora(2)
