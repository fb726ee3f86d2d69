"""The recording rule: capas ops record gradients only inside a GradientTape.

Outside a tape an op given a Variable returns a tensor without grad (so
`.numpy()` works); inside one, gradients flow and equal torch.autograd's.
"""

import numpy as np
import pytest
import torch

import capas as tf

# (name, function of one float tensor of shape (3, 4) returning a tensor)
OPS = [
    ("reduce_sum", lambda x: tf.reduce_sum(x)),
    ("reduce_mean", lambda x: tf.math.reduce_mean(x, axis=1)),
    ("reduce_max", lambda x: tf.reduce_max(x, axis=0, keepdims=True)),
    ("reduce_logsumexp", lambda x: tf.reduce_logsumexp(x, axis=-1)),
    ("reduce_prod", lambda x: tf.reduce_prod(x, axis=[0, 1])),
    ("square", lambda x: tf.square(x)),
    ("math.square", lambda x: tf.math.square(x)),
    ("add", lambda x: tf.add(x, 1.0)),
    ("multiply", lambda x: tf.multiply(x, x)),
    ("divide", lambda x: tf.divide(x, 2.0)),
    ("pow", lambda x: tf.pow(x, 3)),
    ("maximum", lambda x: tf.maximum(x, 0.0)),
    ("matmul", lambda x: tf.matmul(x, x, transpose_b=True)),
    ("tensordot", lambda x: tf.tensordot(x, x, [[1], [1]])),
    ("einsum", lambda x: tf.einsum("ij,ij->i", x, x)),
    ("transpose", lambda x: tf.transpose(x)),
    ("reshape", lambda x: tf.reshape(x, [-1])),
    ("expand_dims", lambda x: tf.expand_dims(x, 0)),
    ("concat", lambda x: tf.concat([x, x], axis=0)),
    ("stack", lambda x: tf.stack([x, x])),
    ("split", lambda x: tf.split(x, 2, axis=1)[1]),
    ("tile", lambda x: tf.tile(x, [2, 1])),
    ("gather", lambda x: tf.gather(x, [2, 0], axis=1)),
    ("gather_nd", lambda x: tf.gather_nd(x, [[0, 1], [2, 3]])),
    ("where", lambda x: tf.where(x > 0, x, tf.zeros_like(x))),
    ("pad", lambda x: tf.pad(x, [[1, 1], [0, 2]], "REFLECT")),
    ("clip_by_value", lambda x: tf.clip_by_value(x, -0.5, 0.5)),
    ("cumsum", lambda x: tf.cumsum(x, axis=1, exclusive=True)),
    ("norm", lambda x: tf.norm(x, axis=1)),
    ("identity", lambda x: tf.identity(x)),
    ("cast", lambda x: tf.cast(x, tf.float64)),
    ("sigmoid", lambda x: tf.nn.sigmoid(x)),
    ("relu", lambda x: tf.nn.relu(x)),
    ("gelu", lambda x: tf.nn.gelu(x)),
    ("softmax", lambda x: tf.nn.softmax(x)),
    ("l2_normalize", lambda x: tf.nn.l2_normalize(x, axis=1)),
    ("moments", lambda x: tf.nn.moments(x, axes=[0])[1]),
    ("sparse_xent", lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits([0, 1, 3], x)),
    ("sigmoid_xent", lambda x: tf.nn.sigmoid_cross_entropy_with_logits(tf.ones_like(x), x)),
    ("boolean_mask", lambda x: tf.boolean_mask(x, [True, False, True])),
    ("sort", lambda x: tf.sort(x, axis=1)),
    ("top_k", lambda x: tf.math.top_k(x, 2).values),
]

IDS = [name for name, _ in OPS]


def _value():
    return np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)


@pytest.mark.parametrize("fn", [f for _, f in OPS], ids=IDS)
def test_outside_a_tape_ops_on_variables_record_nothing(fn):
    v = tf.Variable(_value())
    out = fn(v)
    assert isinstance(out, torch.Tensor) and not out.requires_grad and out.grad_fn is None
    out.numpy()  # works without .detach()


@pytest.mark.parametrize("fn", [f for _, f in OPS], ids=IDS)
def test_inside_a_tape_gradients_match_torch_autograd(fn):
    v = tf.Variable(_value())
    with tf.GradientTape() as tape:
        out = fn(v)
        loss = tf.reduce_sum(out * out)
    grad = tape.gradient(loss, v)
    # oracle: the same computation with plain autograd recording enabled
    ref = torch.tensor(_value(), requires_grad=True)
    with tf.record_gradients():
        ref_out = fn(ref)
    (ref_grad,) = torch.autograd.grad((ref_out * ref_out).sum(), ref)
    assert grad is not None
    np.testing.assert_allclose(grad.numpy(), ref_grad.numpy(), rtol=1e-5, atol=1e-6)


def test_tape_gradient_of_the_seed_loss_matches_torch():
    x = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]], np.float32)
    w = tf.Variable(np.ones((3, 2), np.float32))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.math.square(tf.matmul(x, w)))
    grad = tape.gradient(loss, w)
    wt = torch.ones((3, 2), requires_grad=True)
    (expected,) = torch.autograd.grad(torch.sum(torch.square(torch.from_numpy(x) @ wt)), wt)
    np.testing.assert_allclose(grad.numpy(), expected.numpy(), rtol=1e-6)


def test_stop_recording_and_no_grad_are_respected():
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        with tape.stop_recording():
            assert not tf.reduce_sum(v).requires_grad
        assert tf.reduce_sum(v).requires_grad
    with torch.no_grad():
        assert not tf.square(v).requires_grad


def test_record_gradients_makes_ops_record_for_backward():
    v = tf.Variable([1.0, 2.0])
    with tf.record_gradients():
        loss = tf.reduce_sum(tf.square(v))
    loss.backward()
    np.testing.assert_allclose(v.grad.numpy(), [2.0, 4.0])


def test_watched_constant_gets_gradient():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.multiply(x, x)
    assert float(tape.gradient(y, x)) == 6.0


def test_custom_gradient_replaces_the_gradient():
    @tf.custom_gradient
    def log1pexp(x):
        e = tf.exp(x)

        def grad(dy):
            return dy * (1 - 1 / (1 + e))

        return tf.math.log(1 + e), grad

    x = tf.Variable([0.0, 2.0, 100.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(log1pexp(x))
    grad = tape.gradient(y, x)
    # oracle: the analytic derivative sigmoid(x), from torch
    np.testing.assert_allclose(grad.numpy(), torch.sigmoid(torch.tensor([0.0, 2.0, 100.0])).numpy(), rtol=1e-6)


def test_custom_gradient_with_two_arguments_and_a_count_error():
    @tf.custom_gradient
    def mul(a, b):
        return a * b, lambda dy: (dy * b * 10, dy * a)

    a, b = tf.Variable([2.0]), tf.Variable([3.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(mul(a, b))
    ga, gb = tape.gradient(y, [a, b])
    assert ga.tolist() == [30.0] and gb.tolist() == [2.0]

    @tf.custom_gradient
    def bad(a, b):
        return a * b, lambda dy: dy

    with tf.GradientTape() as tape:
        y = tf.reduce_sum(bad(a, b))
    with pytest.raises(ValueError, match=r"returned 1 gradients for 2 arguments"):
        tape.gradient(y, [a, b])


def test_custom_gradient_reaches_variables_through_the_variables_keyword():
    v = tf.Variable(2.0)

    @tf.custom_gradient
    def scale(x):
        def grad(dy, variables=None):
            assert [id(u) for u in variables] == [id(v)]
            return dy * 0.0, [dy * 7.0]

        return x * v, grad

    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = scale(x)
    gx, gv = tape.gradient(y, [x, v])
    assert float(gx) == 0.0 and float(gv) == 7.0


def test_custom_gradient_counts_the_variable_gradients():
    v = tf.Variable(2.0)

    @tf.custom_gradient
    def scale(x):
        return x * v, lambda dy, variables=None: (dy, [])

    with tf.GradientTape() as tape:
        y = scale(tf.constant(3.0))
    with pytest.raises(ValueError, match="scale returned 0 variable gradients for 1 variables"):
        tape.gradient(y, v)


def test_custom_gradient_with_loss_backward_outside_a_tape():
    @tf.custom_gradient
    def triple_grad(x):
        return x * 1.0, lambda dy: dy * 3.0

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    triple_grad(x).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]
