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


# ---- the tape's scoping, on the torch side (TF's answers are in test_tape_tf.py)


def test_a_watched_constant_stops_recording_when_its_tape_closes():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        assert x.requires_grad
        y = x * x
    assert not x.requires_grad
    assert (x * 2.0).grad_fn is None
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [2.0, 4.0])
    assert not x.requires_grad


def test_a_constant_watched_by_two_open_tapes_stays_on_until_the_last_closes():
    x = tf.constant(2.0)
    outer = tf.GradientTape()
    with outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
        assert x.requires_grad
    assert not x.requires_grad


def test_watching_a_frozen_variable_keeps_it_frozen():
    frozen = tf.Variable(4.0, trainable=False)
    with tf.GradientTape() as tape:
        tape.watch(frozen)
        y = frozen * frozen
    assert float(tape.gradient(y, frozen)) == 8.0
    assert not frozen.requires_grad and not frozen.trainable


def test_parameters_of_plain_torch_modules_are_watched_like_variables():
    linear = torch.nn.Linear(3, 1)
    x = torch.ones(2, 3)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(linear(x))
    g_w, g_b = tape.gradient(loss, [linear.weight, linear.bias])
    np.testing.assert_allclose(g_w.numpy(), [[2.0, 2.0, 2.0]])
    assert float(g_b[0]) == 2.0


def test_unconnected_gradients_accepts_the_enum_and_strings_and_names_bad_values():
    a, b = tf.Variable(1.0), tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        y = a * 3.0
    assert float(tape.gradient(y, b, unconnected_gradients=tf.UnconnectedGradients.ZERO)) == 0.0
    assert float(tape.gradient(y, b, unconnected_gradients="zero")) == 0.0
    assert tape.gradient(y, b, unconnected_gradients=tf.UnconnectedGradients.NONE) is None
    with pytest.raises(ValueError, match="unconnected_gradients.*'zeros'"):
        tape.gradient(y, b, unconnected_gradients="zeros")


def test_gradient_keeps_no_graph_unless_another_tape_records():
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = x * x * x
        g = tape.gradient(y, x)  # inside its own block: TF records nothing for it
    assert g.grad_fn is None
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = x * x * x
        g = inner.gradient(y, x)
    assert g.grad_fn is not None
    assert float(outer.gradient(g, x)) == 12.0


def test_watched_variables_lists_the_weights_of_models_called_in_the_block():
    from capas.keras import layers

    model = tf.keras.Sequential([layers.Dense(3), layers.Dense(1)])
    model.build((None, 2))
    with tf.GradientTape() as tape:
        model(torch.ones(1, 2))
    assert [id(v) for v in tape.watched_variables()] == [id(v) for v in model.trainable_weights]


def test_watch_rejects_non_tensors_by_name():
    with tf.GradientTape() as tape, pytest.raises(TypeError, match="received float"):
        tape.watch(3.0)


def test_batch_jacobian_names_the_shapes_when_batches_differ():
    x = tf.constant(np.ones((3, 2), "float32"))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x[:2] * 2.0
    with pytest.raises(ValueError, match=r"\(2, 2\).*\(3, 2\)"):
        tape.batch_jacobian(y, x)


def test_jacobian_through_a_custom_gradient_falls_back_to_one_pass_per_row():
    @tf.custom_gradient
    def doubled_grad(x):
        return x * 1.0, lambda dy: dy * 2.0

    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = doubled_grad(x)
    np.testing.assert_allclose(tape.jacobian(y, x).numpy(), [[2.0, 0.0], [0.0, 2.0]])


def test_reset_forgets_watched_constants():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        tape.reset()
        assert not x.requires_grad
        y = x * x
    assert tape.gradient(y, x) is None
