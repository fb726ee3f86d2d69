"""capas._kernels.softmax computes torch's softmax (and Keras's) on every route it takes."""

import numpy as np
import pytest
import torch

import capas as tf
from capas import _kernels, keras
from capas.keras import layers
from tests.conftest import keras_reference

# (shape, whether the transposed route is taken): last axes shorter than one vector (8 floats with
# AVX2, 16 with AVX-512) with enough rows take it, on either machine.
_SHAPES = [((1024, 7), True), ((4, 64, 3), True), ((256, 5), True), ((64, 10), False), ((512, 16), False)]


@pytest.mark.parametrize(("shape", "rerouted"), _SHAPES)
def test_the_route_taken_is_the_one_named(shape, rerouted):
    assert _kernels._short_rows(torch.empty(shape), -1) is rerouted


def test_the_short_axis_is_one_vector_of_floats_on_this_machine():
    capability = torch.backends.cpu.get_cpu_capability()
    assert _kernels._SHORT_AXIS == (16 if capability == "AVX512" else 8)
    rows = _kernels._MIN_ROWS
    assert _kernels._short_rows(torch.empty(rows, _kernels._SHORT_AXIS - 1), -1)
    assert not _kernels._short_rows(torch.empty(rows, _kernels._SHORT_AXIS), -1)
    assert not _kernels._short_rows(torch.empty(rows - 1, 2), -1)


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
    x = np.random.default_rng(1).normal(size=(300, 7)).astype("float32") * 3  # rerouted on either machine
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

    def build(lib):
        model = lib.Sequential([lib.Input((32,)), lib.layers.Dense(16, "relu"), lib.layers.Dense(10, "softmax")])
        model.compile(lib.optimizers.SGD(0.1), "sparse_categorical_crossentropy")
        return model

    _fit_like_keras(ref, build, x, y, batch_size=256, epochs=3, rtol=1e-5, atol=1e-6)


def _fit_like_keras(ref, build, x, y, batch_size, epochs, rtol, atol):
    """`build(lib)` with capas and with the keras package, the same weights, fitted alike: the weights agree."""
    models = [build(keras), build(ref)]
    models[1].set_weights(models[0].get_weights())
    for model in models:
        model.fit(x, y, batch_size=batch_size, epochs=epochs, shuffle=False, verbose=0)
    for got, expected in zip(models[0].get_weights(), models[1].get_weights()):
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol)


def _graphs_of(fn, *args):
    """Compile `fn` with Inductor's own graph capture (AOT autograd) and return the forward and backward ATen graphs."""
    from torch._dynamo.backends.common import aot_autograd
    from torch._functorch.aot_autograd import make_boxed_func

    graphs = []

    def capture(gm, example_inputs):
        graphs.append(gm)
        return make_boxed_func(gm.forward)

    torch._dynamo.reset()
    result = torch.compile(fn, backend=aot_autograd(fw_compiler=capture, bw_compiler=capture), dynamic=False)(*args)
    result.backward()
    return graphs


def _targets(gm):
    return {str(node.target) for node in gm.graph.nodes if node.op == "call_function"}


# (channels-last input shape, kernel, strides, padding): 2-D with a stride that overlaps, 1-D, 3-D, padded 2-D.
_POOLS = [
    ((4, 13, 13, 6), (2, 2), (2, 2), 0),
    ((4, 12, 12, 3), (3, 3), (2, 1), (1, 1)),
    ((3, 17, 5), 3, 2, 0),
    ((2, 6, 7, 8, 3), (2, 2, 2), (2, 2, 2), 0),
]


@pytest.mark.slow
@pytest.mark.parametrize(("shape", "kernel", "strides", "padding"), _POOLS, ids=["2d", "2d-padded", "1d", "3d"])
def test_compiled_max_pool_is_one_opaque_op_with_eager_values(shape, kernel, strides, padding):
    """Compiled on the CPU, max pooling calls ATen's kernels through `capas::max_pool(_backward)`:
    Inductor never writes its scatter-add backward, and the gradients equal eager mode's bit for bit."""
    x = torch.randn(shape).movedim(-1, 1)  # channels first over channels-last memory, as the layers pass it
    weights = torch.randn(_kernels.max_pool(x, kernel, strides, padding).shape)

    def loss(x):
        return (_kernels.max_pool(torch.relu(x), kernel, strides, padding) * weights).sum()

    compiled_x = x.clone().requires_grad_()
    forward, backward = _graphs_of(loss, compiled_x)
    assert "capas.max_pool.default" in _targets(forward)
    assert "capas.max_pool_backward.default" in _targets(backward)
    assert not any("max_pool" in t and t.startswith("aten.") for g in (forward, backward) for t in _targets(g))

    eager_x = x.clone().requires_grad_()
    expected = loss(eager_x)
    expected.backward()
    torch._dynamo.reset()
    compiled_x.grad = None
    got = torch.compile(loss, dynamic=False)(compiled_x)
    got.backward()
    torch.testing.assert_close(got, expected)  # Inductor sums in its own order
    assert torch.equal(compiled_x.grad, eager_x.grad)  # the same ATen backward kernel, bit for bit


def test_eager_max_pool_is_torchs():
    x = torch.randn(2, 3, 9, 9)
    assert torch.equal(_kernels.max_pool(x, (3, 3), (2, 2), (1, 1)), torch.nn.functional.max_pool2d(x, 3, 2, 1))
    x1 = torch.randn(2, 3, 9)
    assert torch.equal(_kernels.max_pool(x1, 2, 2), torch.nn.functional.max_pool1d(x1, 2, 2))


@pytest.mark.slow
def test_compiled_pooling_model_trains_like_keras():
    """MaxPooling1D/2D (valid and same) in a `jit_compile=True` fit, against the keras package's eager fit."""
    ref = keras_reference()
    rng = np.random.default_rng(5)
    x = rng.normal(size=(96, 12, 12, 2)).astype("float32")
    y = rng.integers(0, 4, size=96)

    def build(lib):
        L = lib.layers
        model = lib.Sequential(
            [
                lib.Input((12, 12, 2)),
                L.Conv2D(4, 3, activation="relu"),
                L.MaxPooling2D(2),
                L.MaxPooling2D(2, strides=1, padding="same"),
                L.Reshape((25, 4)),
                L.MaxPooling1D(2),
                L.Flatten(),
                L.Dense(4, activation="softmax"),
            ]
        )
        jit = {"jit_compile": True} if lib is keras else {}
        model.compile(lib.optimizers.Adam(0.01), "sparse_categorical_crossentropy", **jit)
        return model

    _fit_like_keras(ref, build, x, y, batch_size=32, epochs=2, rtol=1e-4, atol=1e-5)


def test_compiled_adam_computes_its_step_size_once_per_step():
    """Adam's `alpha = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)` inside a compiled step is one small
    kernel of its own (`computed_once`); without it Inductor inlines the two `pow`s into the update's
    element loop over every weight. Checked on the C++ Inductor writes, and the value is unchanged."""
    from torch._inductor.utils import run_and_get_code

    torch._dynamo.reset()
    variables = [tf.Variable(torch.randn(64, 32)), tf.Variable(torch.randn(32))]
    opt = keras.optimizers.Adam(learning_rate=0.01)
    opt.build(variables)
    plan = opt._plan([True] * len(variables), variables)
    learning_rate = opt._graph_learning_rate()
    grads = [torch.randn(64, 32), torch.randn(32)]

    @torch.compile(fullgraph=True)
    def step(*step_grads):
        opt._graph_apply(plan, list(step_grads), learning_rate)

    expected = [v.detach().clone() for v in variables]
    reference = keras.optimizers.Adam(learning_rate=0.01)
    reference_vars = [tf.Variable(e) for e in expected]
    reference.apply(grads, reference_vars)
    _, code = run_and_get_code(step, *grads)
    kernels = [k for source in code for k in source.split("cpp_pybinding(")[1:] if "std::pow" in k]
    assert kernels, "the step size is computed in the graph"
    for kernel in kernels:  # every pow comes before the first loop over the weights (2048 and 32 of them)
        loops = [kernel.find(f"<static_cast<int64_t>({n}L)") for n in (2048, 32)]
        first_loop = min(i for i in loops if i >= 0) if max(loops) >= 0 else len(kernel)
        assert kernel.rfind("std::pow") < first_loop, kernel
    for got, want in zip(variables, reference_vars):
        torch.testing.assert_close(got, want, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(("shape", "rerouted"), [((1024, 7), True), ((256, 5), True), ((64, 10), False)])
def test_sparse_cross_entropy_values_and_gradients_match_torch(shape, rerouted):
    x = (torch.randn(shape) * 4).requires_grad_()
    labels = torch.randint(0, shape[1], (shape[0],))
    loss = _kernels.sparse_cross_entropy(x, labels)
    x_ref = x.detach().clone().requires_grad_()
    ref = torch.nn.functional.cross_entropy(x_ref, labels, reduction="none")
    torch.testing.assert_close(loss, ref, rtol=1e-6, atol=1e-6)
    grad = torch.rand(shape[0])
    loss.backward(grad)
    ref.backward(grad)
    torch.testing.assert_close(x.grad, x_ref.grad, rtol=1e-5, atol=1e-6)
    if not rerouted:
        assert torch.equal(loss, ref)


def test_sparse_crossentropy_on_the_rerouted_path_matches_keras():
    ref = keras_reference()
    rng = np.random.default_rng(3)
    logits = rng.normal(size=(512, 7)).astype("float32") * 3  # seven classes: rerouted with AVX2 and AVX-512
    labels = rng.integers(0, 7, size=512)
    for from_logits, y_pred in ((True, logits), (False, None)):
        if y_pred is None:  # a softmax output: the loss reads the logits behind it (the fused path)
            model = keras.Sequential([keras.Input((7,)), layers.Activation("softmax")])
            y_pred_capas = model(logits)
            y_pred_ref = ref.activations.softmax(ref.ops.convert_to_tensor(logits))
        else:
            y_pred_capas, y_pred_ref = torch.from_numpy(logits), ref.ops.convert_to_tensor(logits)
        got = keras.losses.SparseCategoricalCrossentropy(from_logits=from_logits)(labels, y_pred_capas)
        want = ref.losses.SparseCategoricalCrossentropy(from_logits=from_logits)(labels, y_pred_ref)
        np.testing.assert_allclose(float(got), float(ref.ops.convert_to_numpy(want)), rtol=1e-5)
