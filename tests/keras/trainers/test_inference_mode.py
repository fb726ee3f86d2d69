"""evaluate/predict run under torch.inference_mode() (the first batch under no_grad), and nothing
they create lazily is an inference tensor that breaks a later fit. Numbers from the `keras` package
(torch backend) with the same weights."""

import numpy as np
import pytest
import torch

import capas as tf
from capas import keras
from capas.keras import layers


class ModeProbe(layers.Layer):
    """An identity layer that records the grad mode of each call."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.__dict__["modes"] = []

    def call(self, inputs):
        if not torch.compiler.is_compiling():
            self.modes.append((torch.is_inference_mode_enabled(), torch.is_grad_enabled()))
        return inputs


def _model(lib, probe=None):
    inputs = lib.Input((8,))
    h = lib.layers.Dense(16, activation="relu", name="h")(inputs)
    if probe is not None:
        h = probe(h)
    return lib.Model(inputs, lib.layers.Dense(3, activation="softmax", name="out")(h))


def _data(n=80, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 8)).astype("float32")
    return x, np.argmax(x[:, :3], axis=1)


def test_evaluate_and_predict_run_in_inference_mode_after_a_no_grad_first_batch():
    probe = ModeProbe()
    model = _model(keras, probe)
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y = _data()
    probe.modes.clear()
    model.evaluate(x, y, batch_size=16, verbose=0)
    assert probe.modes == [(False, False)] + [(True, False)] * 4
    probe.modes.clear()
    model.predict(x, batch_size=16, verbose=0)
    assert probe.modes == [(False, False)] + [(True, False)] * 4


def test_fit_after_evaluate_and_predict_on_a_fresh_model_trains():
    x, y = _data()
    model = _model(keras)
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.evaluate(x, y, batch_size=16, verbose=0)  # builds the metrics inside evaluate
    model.predict(x, batch_size=16, verbose=0)
    for metric in model.metrics:
        for variable in metric.variables:
            assert not variable.is_inference(), variable.name
    history = model.fit(x, y, batch_size=16, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_validation_inside_fit_and_evaluate_after_fit_match_keras():
    ref = pytest.importorskip("keras")
    x, y = _data()
    vx, vy = _data(40, seed=1)
    ours, theirs = _model(keras), _model(ref)
    theirs.set_weights(ours.get_weights())
    for model, opt in ((ours, keras.optimizers.SGD(0.1)), (theirs, ref.optimizers.SGD(0.1))):
        model.compile(opt, "sparse_categorical_crossentropy", metrics=["accuracy"])
    # evaluate before fit (the metrics are built under evaluate), then fit with validation
    np.testing.assert_allclose(
        ours.evaluate(x, y, batch_size=16, verbose=0), theirs.evaluate(x, y, batch_size=16, verbose=0), rtol=1e-5
    )
    h1 = ours.fit(x, y, batch_size=16, epochs=2, shuffle=False, validation_data=(vx, vy), verbose=0)
    h2 = theirs.fit(x, y, batch_size=16, epochs=2, shuffle=False, validation_data=(vx, vy), verbose=0)
    assert set(h1.history) == set(h2.history)
    for key in h2.history:
        np.testing.assert_allclose(h1.history[key], h2.history[key], rtol=1e-5, atol=1e-6, err_msg=key)
    np.testing.assert_allclose(
        ours.predict(vx, batch_size=16, verbose=0), theirs.predict(vx, batch_size=16, verbose=0), rtol=1e-5, atol=1e-6
    )
    np.testing.assert_allclose(
        ours.evaluate(vx, vy, batch_size=16, verbose=0), theirs.evaluate(vx, vy, batch_size=16, verbose=0), rtol=1e-5
    )


def test_a_stateful_rnn_evaluated_then_trained():
    # Its carried states are made in the forward pass: evaluate keeps them normal tensors (no_grad).
    model = keras.Sequential([keras.Input((5, 2), batch_size=4), layers.SimpleRNN(3, stateful=True), layers.Dense(1)])
    model.compile("sgd", "mse")
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(8, 5, 2)).astype("float32"), rng.normal(size=(8, 1)).astype("float32")
    model.evaluate(x, y, batch_size=4, verbose=0)
    model.predict(x, batch_size=4, verbose=0)
    model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)


def test_a_custom_test_step_runs_under_no_grad_and_callbacks_see_every_batch():
    # A user's test_step may record a GradientTape: it runs as in TF, outside inference_mode (whose
    # tensors cannot enter autograd) and outside no_grad.
    seen = []

    class Custom(keras.Model):
        def test_step(self, data):
            x, y = data
            seen.append(torch.is_inference_mode_enabled())
            with tf.GradientTape() as tape:
                tape.watch(x)
                loss = self.compute_loss(x=x, y=y, y_pred=self(x, training=False))
            gradient = tape.gradient(loss, x)
            assert gradient is not None and gradient.shape == x.shape
            return super().test_step(data)

    inputs = keras.Input((8,))
    model = Custom(inputs, layers.Dense(3, activation="softmax")(inputs))
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y = _data()
    batches = []
    callback = keras.callbacks.LambdaCallback(
        on_test_batch_end=lambda batch, logs: batches.append((batch, sorted(logs), logs["loss"]))
    )
    result = model.evaluate(x, y, batch_size=16, verbose=0, callbacks=[callback], return_dict=True)
    assert seen == [False] * 5
    assert [b for b, _, _ in batches] == [0, 1, 2, 3, 4]
    assert all(keys == ["accuracy", "loss"] for _, keys, _ in batches)
    assert batches[-1][2] == pytest.approx(result["loss"])


def test_a_custom_predict_step_may_record_a_gradient_tape():
    class Saliency(keras.Model):
        def predict_step(self, data):
            x = data[0] if isinstance(data, tuple) else data
            with tf.GradientTape() as tape:
                tape.watch(x)
                top = tf.reduce_max(self(x, training=False), axis=-1)
            return tape.gradient(top, x)

    inputs = keras.Input((8,))
    model = Saliency(inputs, layers.Dense(3, activation="softmax")(layers.Dense(4, activation="tanh")(inputs)))
    x, _ = _data(40)
    saliency = model.predict(x, batch_size=16, verbose=0)
    whole = tf.constant(x)
    with tf.GradientTape() as tape:  # the same gradients in one eager call
        tape.watch(whole)
        top = tf.reduce_max(model(whole, training=False), axis=-1)
    np.testing.assert_allclose(saliency, tape.gradient(top, whole).numpy(), rtol=1e-5, atol=1e-7)
    assert np.any(saliency != 0)


class TorchDropout(layers.Layer):
    """A layer holding a torch `nn.Dropout`, which follows torch's module mode, not Keras's `training`."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.drop = torch.nn.Dropout(0.5)

    def call(self, inputs):
        return self.drop(inputs)


def test_torch_modules_run_in_eval_mode_in_predict_and_evaluate_and_get_their_mode_back():
    inputs = keras.Input((8,))
    model = keras.Model(inputs, TorchDropout()(keras.layers.Dense(4)(inputs)))
    model.compile("sgd", "mse")
    x = np.ones((32, 8), "float32")
    for mode in (True, False):
        model.train(mode)
        first, second = model.predict(x, verbose=0), model.predict(x, verbose=0)
        np.testing.assert_array_equal(first, second)  # no dropout: torch's eval mode
        assert model.evaluate(x, first, verbose=0) == 0.0
        assert all(module.training is mode for module in model.modules())
