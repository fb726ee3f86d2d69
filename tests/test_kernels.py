"""capas._kernels.softmax computes torch's softmax (and Keras's) on every route it takes."""

import numpy as np
import pytest
import torch

import capas as tf
from capas import _kernels, keras
from capas.keras import layers
from tests.conftest import keras_reference

# (shape, whether the transposed route is taken): short last axes with enough rows take it.
_SHAPES = [((1024, 10), True), ((4, 64, 3), True), ((256, 15), True), ((64, 10), False), ((512, 16), False)]


@pytest.mark.parametrize(("shape", "rerouted"), _SHAPES)
def test_values_and_gradients_match_torch(shape, rerouted):
    x = (torch.randn(shape) * 4).requires_grad_()
    y = _kernels.softmax(x, -1)
    assert y.is_contiguous() and y.shape == x.shape
    x_ref = x.detach().clone().requires_grad_()
    y_ref = torch.softmax(x_ref, -1)
    torch.testing.assert_close(y, y_ref, rtol=2e-7, atol=1e-7)
    grad = torch.randn(shape)
    y.backward(grad)
    y_ref.backward(grad)
    torch.testing.assert_close(x.grad, x_ref.grad, rtol=1e-5, atol=1e-6)  # y * (g - sum(g * y)) cancels
    if not rerouted:
        assert torch.equal(y, y_ref)  # the direct kernel, bit for bit


@pytest.mark.parametrize(
    "x",
    [torch.randn(1024, 10, dtype=torch.float64), torch.randn(10, 1024).t(), torch.randn(1024, 10)[:, :7]],
    ids=["float64", "transposed-view", "strided"],
)
def test_other_inputs_take_torchs_kernel(x):
    assert torch.equal(_kernels.softmax(x, -1), torch.softmax(x, -1))
    assert torch.equal(_kernels.softmax(x, 0), torch.softmax(x, 0))


def test_public_softmaxes_match_keras():
    ref = keras_reference()
    x = np.random.default_rng(1).normal(size=(300, 10)).astype("float32") * 3
    expected = np.asarray(ref.ops.convert_to_numpy(ref.activations.softmax(ref.ops.convert_to_tensor(x))))
    for got in (
        keras.activations.softmax(torch.from_numpy(x)),
        keras.ops.softmax(x),
        tf.nn.softmax(x),
        layers.Softmax()(x),
    ):
        np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-6, atol=1e-7)


def test_dense_softmax_predict_matches_keras():
    ref = keras_reference()
    x = np.random.default_rng(2).normal(size=(512, 20)).astype("float32")
    model = keras.Sequential([keras.Input((20,)), layers.Dense(10, activation="softmax")])
    ref_model = ref.Sequential([ref.Input((20,)), ref.layers.Dense(10, activation="softmax")])
    ref_model.set_weights(model.get_weights())
    np.testing.assert_allclose(model.predict(x, verbose=0), ref_model.predict(x, verbose=0), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize(("shape", "units"), [((256, 64), 10), ((1024, 1600), 3), ((64, 64), 10), ((256, 64), 16)])
def test_addmm_values_and_gradients_match_torch(shape, units):
    x = torch.randn(shape).requires_grad_()
    kernel = torch.randn(shape[1], units).requires_grad_()
    bias = torch.randn(units).requires_grad_()
    y = _kernels.addmm(bias, x, kernel)
    leaves = [t.detach().clone().requires_grad_() for t in (bias, x, kernel)]
    y_ref = torch.addmm(*leaves)
    assert y.is_contiguous() and y.shape == y_ref.shape
    torch.testing.assert_close(y, y_ref, rtol=1e-5, atol=1e-5 * shape[1] ** 0.5)
    grad = torch.randn(y.shape)
    y.backward(grad)
    y_ref.backward(grad)
    assert kernel.grad.stride() == kernel.stride()  # the gradient comes back in the kernel's layout
    for got, ref in zip((bias, x, kernel), leaves):
        torch.testing.assert_close(got.grad, ref.grad, rtol=1e-5, atol=1e-5 * shape[0] ** 0.5)


def test_dense_training_matches_keras_on_the_rerouted_path():
    ref = keras_reference()
    rng = np.random.default_rng(3)
    x = rng.normal(size=(512, 32)).astype("float32")
    y = rng.integers(0, 10, size=512)
    models = []
    for lib in (keras, ref):
        model = lib.Sequential([lib.Input((32,)), lib.layers.Dense(16, "relu"), lib.layers.Dense(10, "softmax")])
        model.compile(lib.optimizers.SGD(0.1), "sparse_categorical_crossentropy")
        models.append(model)
    models[1].set_weights(models[0].get_weights())
    for model in models:
        model.fit(x, y, batch_size=256, epochs=3, shuffle=False, verbose=0)
    for got, expected in zip(models[0].get_weights(), models[1].get_weights()):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
