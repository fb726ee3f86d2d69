"""fit's training=True overrides a `training=False` written into a functional graph, as in
Keras 3 (conformance 034); a frozen BatchNormalization still keeps its moving statistics.
Expected moving means from the `keras` package (torch backend)."""

import keras as real_keras
import numpy as np

from capas import keras


def _moving_mean(k, freeze):
    bn = k.layers.BatchNormalization()
    base = k.Sequential([k.Input((3,)), bn])
    base.trainable = not freeze
    inputs = k.Input((3,))
    model = k.Model(inputs, k.layers.Dense(1, kernel_initializer="ones")(base(inputs, training=False)))
    model.compile(optimizer="sgd", loss="mse")
    x = np.linspace(0.0, 2.0, 24, dtype="float32").reshape(8, 3)
    model.fit(x, np.ones((8, 1), "float32"), epochs=1, batch_size=4, verbose=0, shuffle=False)
    return np.asarray(bn.moving_mean.numpy())


def test_unfrozen_base_called_with_training_false_trains_its_batchnorm():
    got = _moving_mean(keras, freeze=False)
    want = _moving_mean(real_keras, freeze=False)
    assert np.any(want != 0.0)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7)


def test_frozen_batchnorm_keeps_its_statistics():
    got = _moving_mean(keras, freeze=True)
    want = _moving_mean(real_keras, freeze=True)
    np.testing.assert_array_equal(got, want)
