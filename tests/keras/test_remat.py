"""keras.remat and keras.RematScope: same values and gradients, and the recomputation Keras does."""

import numpy as np
import pytest
import torch

import capas
from capas import keras
from tests.conftest import keras_reference

MODES = [None, "full", "list_of_layers", "larger_than", "activations"]


def _forward_calls(k, mode, threshold, gradient):
    """How often the layer's `call` ran for one forward and backward pass, with its output and gradient."""
    calls = {"n": 0}

    class Counting(k.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.inner = k.layers.Dense(3, activation="tanh")

        def call(self, x):
            calls["n"] += 1
            return self.inner(x) * 2.0

        def compute_output_shape(self, input_shape):
            return tuple(input_shape[:-1]) + (3,)

    with k.RematScope(mode=mode, layer_names=["count_me"], output_size_threshold=threshold):
        layer = Counting(name="count_me")
    x = torch.tensor(np.arange(8, dtype="float32").reshape(2, 4) / 8)
    layer(x)
    layer.inner.set_weights([np.full((4, 3), 0.1, "float32"), np.full((3,), 0.2, "float32")])
    calls["n"] = 0
    y, grads = gradient(layer, x)
    return calls["n"], np.asarray(y), [np.asarray(g) for g in grads]


def _keras_gradient(layer, x):
    y = layer(x)
    grads = torch.autograd.grad(y.sum(), [v.value for v in layer.trainable_variables])
    return y.detach().numpy(), [g.numpy() for g in grads]


def _capas_gradient(layer, x):
    with capas.GradientTape() as tape:
        y = layer(x)
        loss = capas.reduce_sum(y)
    grads = tape.gradient(loss, layer.trainable_variables)
    return y.detach().numpy(), [g.numpy() for g in grads]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("threshold", [5, 100])
def test_remat_scope_recomputes_as_keras_and_keeps_values(mode, threshold):
    ref = keras_reference()
    mine = _forward_calls(keras, mode, threshold, _capas_gradient)
    theirs = _forward_calls(ref, mode, threshold, _keras_gradient)
    assert mine[0] == theirs[0]
    np.testing.assert_allclose(mine[1], theirs[1], rtol=1e-6)
    for a, b in zip(mine[2], theirs[2]):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    plain = _forward_calls(keras, None, threshold, _capas_gradient)
    expected_extra = {"full": 1, "list_of_layers": 1, "larger_than": int(threshold < 6)}.get(mode, 0)
    assert mine[0] == plain[0] + expected_extra


def test_remat_function_recomputes_in_backward_with_the_same_gradient():
    ref = keras_reference()
    counts = []
    for k in (keras, ref):
        calls = {"n": 0}

        def f(t, calls=calls):
            calls["n"] += 1
            return torch.sin(t) * t

        x = torch.linspace(-1, 1, 5, requires_grad=True)
        y = k.remat(f)(x)
        y.sum().backward()
        counts.append(calls["n"])
        torch.testing.assert_close(x.grad, torch.cos(x.detach()) * x.detach() + torch.sin(x.detach()))
    assert counts[0] == counts[1] == 2


def test_layers_outside_the_scope_and_inference_are_not_rematerialized():
    with keras.RematScope(mode="full"):
        inside = keras.layers.Dense(2)
    outside = keras.layers.Dense(2)
    assert inside._remat_mode.mode == "full" and outside._remat_mode is None
    with keras.RematScope(mode="full"):
        with keras.RematScope(mode=None):
            off = keras.layers.Dense(2)
    assert off._remat_mode.mode is None
    model = keras.Sequential([keras.Input((3,)), inside])
    np.testing.assert_allclose(model.predict(np.ones((2, 3)), verbose=0), model(torch.ones(2, 3)).numpy())


def test_a_model_built_in_a_scope_trains_as_without():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(16, 4)).astype("float32"), rng.normal(size=(16, 1)).astype("float32")
    losses = []
    for mode in (None, "full"):
        keras.utils.set_random_seed(1)
        with keras.RematScope(mode=mode):
            model = keras.Sequential(
                [keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)]
            )
        model.compile(optimizer="sgd", loss="mse")
        losses.append(model.fit(x, y, epochs=2, batch_size=4, shuffle=False, verbose=0).history["loss"])
    np.testing.assert_allclose(losses[0], losses[1], rtol=1e-6)


def test_an_unknown_mode_is_refused_as_keras():
    for k in (keras, keras_reference()):
        with pytest.raises(ValueError, match="Invalid mode 'everything'"):
            k.RematScope(mode="everything")
