"""GradientTape over torch.autograd: gradients compared with autograd and gradcheck."""

import numpy as np
import pytest
import torch

import capas as tf


def test_gradient_of_variable_matches_autograd():
    w = tf.Variable(np.random.rand(3, 2).astype("float32"))
    x = torch.rand(4, 3)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.matmul(x, w) ** 2)
    g = tape.gradient(loss, w)
    w2 = w.detach().clone().requires_grad_(True)
    (torch.matmul(x, w2) ** 2).sum().backward()
    torch.testing.assert_close(g, w2.grad)


def test_watch_constant_tensor():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert float(tape.gradient(y, x)) == pytest.approx(6.0)


def test_unconnected_source_is_none_or_zero():
    a = tf.Variable(1.0)
    b = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        y = a * 3.0
    assert tape.gradient(y, [a, b])[1] is None
    zero = tape.gradient(y, [a, b], unconnected_gradients="zero")[1]
    assert float(zero) == 0.0


def test_nested_structures_of_sources():
    a = tf.Variable(1.0)
    b = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = a * b
    grads = tape.gradient(y, {"a": a, "rest": [b]})
    assert float(grads["a"]) == 2.0 and float(grads["rest"][0]) == 1.0


def test_non_persistent_tape_twice_raises():
    a = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        y = a * a
    tape.gradient(y, a)
    with pytest.raises(RuntimeError, match="persistent=True"):
        tape.gradient(y, a)


def test_persistent_tape_allows_several_gradients():
    a = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        y = a * a
        z = y * a
    assert float(tape.gradient(y, a)) == 4.0
    assert float(tape.gradient(z, a)) == 12.0


def test_stop_recording_blocks_gradient():
    a = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        with tape.stop_recording():
            c = a * 5.0
        y = a * 1.0 + c
    assert float(tape.gradient(y, a)) == 1.0


def test_ops_outside_tape_keep_no_graph():
    v = tf.Variable([1.0, 2.0])
    s = tf.reduce_sum(v)
    assert not s.requires_grad
    assert s.numpy() == 3.0


def test_numpy_inside_tape_works_like_tensorflow():
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape():
        s = tf.reduce_sum(v * v)
        assert s.requires_grad
        assert s.numpy() == 5.0


def test_gradcheck_through_layer_ops():
    def f(x):
        return tf.nn.softmax(tf.matmul(x, x.T), axis=-1).sum(dim=0)

    x = torch.rand(3, 3, dtype=torch.float64, requires_grad=True)
    with tf.record_gradients():
        assert torch.autograd.gradcheck(f, (x,))


def test_record_gradients_enables_loss_backward():
    from capas.keras import layers

    dense = layers.Dense(2)
    x = torch.rand(4, 3)
    with tf.record_gradients():
        loss = dense(x).sum()
    loss.backward()
    assert dense.kernel.grad is not None
