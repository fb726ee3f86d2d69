"""A functional or sequential model hands each layer a plain tensor by a short path (`Layer._call_plain`);
what `Layer.__call__` would do at that depth still happens: the training flag, masks, a subclass's own
`__call__`, the full path for layers that need it (activity regularizers), the layer's name on an error,
and `model.call(x)` called directly at the top level. The model's input checks keep their short path's
promises too (dtype cast, shape error). Values from the `keras` package."""

import keras as real_keras
import numpy as np
import pytest
import torch

from capas import keras


def _mlp(k):
    inputs = k.Input((4,))
    h = k.layers.Dense(8, activation="relu", kernel_initializer="glorot_uniform")(inputs)
    h = k.layers.Dropout(0.5, seed=1)(h)
    outputs = k.layers.Dense(3, activation="softmax")(h)
    return k.Model(inputs, outputs)


def _same_weights(src, dst):
    dst.set_weights([np.asarray(w) for w in src.get_weights()])


def test_inference_and_direct_call_match_keras():
    model, reference = _mlp(keras), _mlp(real_keras)
    _same_weights(model, reference)
    x = np.random.default_rng(0).random((5, 4), dtype=np.float32)
    want = np.asarray(reference(x, training=False))
    np.testing.assert_allclose(model(x, training=False).numpy(), want, rtol=1e-6, atol=1e-7)
    # `model.call` at the top level: each layer takes the top-level path, as `model(x)` does
    direct = model.call(torch.from_numpy(x))
    assert not direct.requires_grad
    np.testing.assert_allclose(direct.numpy(), want, rtol=1e-6, atol=1e-7)


def test_training_flag_reaches_layers_on_the_short_path():
    model = _mlp(keras)
    x = torch.ones(64, 4)
    assert torch.equal(model(x, training=False), model(x, training=False))
    assert not torch.equal(model(x, training=True), model(x, training=False))  # dropout is on


def test_masks_flow_along_the_short_path():
    def build(k):
        inputs = k.Input((3,))
        masked = k.layers.Masking(mask_value=0.0)(k.layers.Reshape((3, 1))(inputs))
        return k.Model(inputs, k.layers.GlobalAveragePooling1D()(masked))

    x = np.array([[1.0, 0.0, 3.0], [2.0, 2.0, 0.0]], dtype=np.float32)
    want = np.asarray(build(real_keras)(x))
    np.testing.assert_allclose(build(keras)(x).numpy(), want, rtol=1e-6)
    np.testing.assert_allclose(want[:, 0], [2.0, 2.0])  # the masked zeros are left out of the mean


def test_a_layer_with_its_own_dunder_call_keeps_it():
    calls = []

    class Counting(keras.layers.Layer):
        def __call__(self, *args, **kwargs):
            calls.append(1)
            return super().__call__(*args, **kwargs)

        def call(self, x):
            return x * 2.0

    inputs = keras.Input((2,))
    model = keras.Model(inputs, Counting()(inputs))
    calls.clear()
    out = model(torch.ones(1, 2))
    assert calls == [1]
    assert torch.equal(out, torch.full((1, 2), 2.0))


def test_activity_regularizer_takes_the_full_path():
    def build(k):
        inputs = k.Input((4,))
        h = k.layers.Dense(3, kernel_initializer="ones", activity_regularizer=k.regularizers.L2(0.1))(inputs)
        return k.Model(inputs, k.layers.Dense(2, kernel_initializer="ones")(h))

    x = np.arange(8, dtype=np.float32).reshape(2, 4) / 8.0
    model, reference = build(keras), build(real_keras)
    model(x)
    reference(x)
    assert len(model.losses) == len(reference.losses) == 1
    np.testing.assert_allclose(float(model.losses[0]), float(np.asarray(reference.losses[0])), rtol=1e-6)


def test_an_error_inside_a_layer_on_the_short_path_names_the_layer():
    class Breaks(keras.layers.Layer):
        broken = False

        def call(self, x):
            if self.broken:
                raise ValueError("the value is out of range")
            return x

    inputs = keras.Input((2,))
    layer = Breaks(name="breaks_here")
    model = keras.Sequential([keras.Input((2,)), layer])
    functional = keras.Model(inputs, layer(inputs))
    layer.broken = True
    for m in (model, functional):
        with pytest.raises(ValueError, match="out of range") as info:
            m(torch.ones(1, 2))
        assert "breaks_here" in str(info.value)


def test_model_inputs_are_cast_and_checked_as_keras_does():
    model, reference = _mlp(keras), _mlp(real_keras)
    _same_weights(model, reference)
    x = np.random.default_rng(1).random((3, 4))  # float64
    want = np.asarray(reference(x, training=False))
    got = model(torch.from_numpy(x), training=False)
    assert got.dtype == torch.float32 and str(want.dtype) == "float32"
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-6, atol=1e-7)
    with pytest.raises(ValueError):
        reference(np.ones((2, 5), dtype=np.float32))
    with pytest.raises(ValueError, match=r"expects shape \(None, 4\).*\(2, 5\)"):
        model(torch.ones(2, 5))


def _pooled_sequential(k):
    return k.Sequential(
        [
            k.Input((3,)),
            k.layers.Reshape((3, 1)),
            k.layers.Masking(mask_value=0.0),
            k.layers.GlobalAveragePooling1D(),
            k.layers.Dropout(0.5, seed=1),
        ]
    )


def _pooled_subclass(k):
    class Pooled(k.Model):
        def __init__(self):
            super().__init__()
            self.reshape = k.layers.Reshape((3, 1))
            self.masking = k.layers.Masking(mask_value=0.0)
            self.pool = k.layers.GlobalAveragePooling1D()
            self.drop = k.layers.Dropout(0.5, seed=1)

        def call(self, x):
            return self.drop(self.pool(self.masking(self.reshape(x))))

    return Pooled()


@pytest.mark.parametrize("build", [_pooled_sequential, _pooled_subclass], ids=["sequential", "subclassed"])
def test_layers_of_sequential_and_subclassed_models_take_the_short_path_with_training_and_masks(build):
    x = np.array([[1.0, 0.0, 3.0], [2.0, 2.0, 0.0]], dtype=np.float32)
    want = np.asarray(build(real_keras)(x, training=False))
    model = build(keras)
    np.testing.assert_allclose(model(x, training=False).numpy(), want, rtol=1e-6)
    np.testing.assert_allclose(want[:, 0], [2.0, 2.0])  # the mask reached the pooling
    wide = torch.ones(256, 3)
    assert not torch.equal(model(wide, training=True), model(wide, training=False))  # dropout is on
