"""numpy and tensors together, `.numpy()` as a value, tensor idioms: capas against TF-recorded goldens.

The cases live in tests/goldens/interop/cases.py; record.py ran them under real TensorFlow.
"""

import json
import os
import sys

import numpy as np
import pytest
import torch

import capas as tf

GOLDENS = os.path.join(os.path.dirname(__file__), "goldens", "interop")
sys.path.insert(0, GOLDENS)
from cases import GROUPS, run_case

sys.path.remove(GOLDENS)


def _load(group):
    with open(os.path.join(GOLDENS, f"{group}.json")) as f:
        return json.load(f)["cases"]


def _params():
    for group, cases in GROUPS.items():
        expected = _load(group)
        for name, code in cases.items():
            yield pytest.param(code, expected[name], id=f"{group}-{name}")


def _same(ours, theirs):
    if ours["kind"] != theirs["kind"] or ours.get("dtype") != theirs.get("dtype"):
        return False
    if ours["kind"] == "list":
        return len(ours["value"]) == len(theirs["value"]) and all(
            _same(a, b) for a, b in zip(ours["value"], theirs["value"])
        )
    a, b = ours["value"], theirs["value"]
    if isinstance(b, (list, float)) and ours["kind"] not in ("str", "type", "other"):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and np.allclose(a, b, rtol=1e-6, atol=0)
    return a == b


@pytest.mark.parametrize("code, expected", _params())
def test_case_matches_tensorflow(code, expected):
    ours = run_case(tf, np, code, tf.is_tensor, lambda v: isinstance(v, tf.Variable))
    assert _same(ours, expected), f"{code!r}: capas {ours} != TensorFlow {expected}"


def test_every_case_was_recorded():
    for group, cases in GROUPS.items():
        assert set(_load(group)) == set(cases), f"{group}.json is stale: rerun record.py under TensorFlow"


# -- gradients flow through numpy operands -------------------------------------------------


def test_gradient_flows_through_tensor_times_array():
    w = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(w * np.array([3.0, 4.0]) + np.array([1.0, 1.0]) - [0.5, 0.5])
    (grad,) = tape.gradient(loss, [w])
    np.testing.assert_allclose(grad.numpy(), [3.0, 4.0])


def test_gradient_flows_through_array_on_the_left():
    w = tf.Variable([[1.0], [2.0]])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(np.array([[1.0, 1.0], [2.0, 0.0]]) @ w)
    np.testing.assert_allclose(tape.gradient(loss, w).numpy(), [[3.0], [1.0]])


def test_float_list_into_int_tensor_names_the_fix():
    with pytest.raises(TypeError, match=r"\[1.5, 2.0\].*int32.*tf.cast"):
        tf.constant([1, 2]) * [1.5, 2.0]


# -- plain torch code in the same process --------------------------------------------------


def test_plain_torch_training_still_works():
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x = torch.randn(16, 3)
    y = x @ torch.tensor([[1.0], [-2.0], [0.5]])
    losses = []
    for _ in range(30):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.1 * losses[0]


def test_torch_semantics_kept_for_tensors_scalars_and_views():
    a = torch.arange(6.0).reshape(2, 3)
    assert (a == torch.arange(6.0).reshape(2, 3)).all()
    assert (a * 2.0).dtype == torch.float32 and (torch.arange(3) * 2.5).dtype == torch.float32
    view = a.numpy()  # N-d numpy() stays a zero-copy view of a plain tensor
    a.add_(1.0)
    assert view[0, 0] == 1.0
    assert torch.from_numpy(a.numpy()).shape == (2, 3)
    assert a.numpy(force=True).shape == (2, 3) and isinstance(torch.tensor(1.0).numpy(force=True), np.ndarray)
    assert a.shape == torch.Size([2, 3]) and type(a.shape) is torch.Size
    assert torch.float32 == torch.float32 and torch.float32 != torch.float64
    assert {torch.float32: 1}[torch.float32] == 1
    assert a[1, ::2].tolist() == [4.0, 6.0]


def test_torch_tensor_times_array_keeps_a_correct_value():
    # torch answered this through numpy (a float64 tensor without gradient); it now follows TF.
    out = torch.ones(2) * np.array([2.0, 3.0])
    assert isinstance(out, torch.Tensor) and out.dtype == torch.float32
    assert out.tolist() == [2.0, 3.0]
    assert (torch.ones(2) == np.array([1.0, 0.0])).tolist() == [True, False]


def test_numpy_inside_a_tape_detaches():
    w = tf.Variable([1.0, 2.0])
    with tf.GradientTape():
        y = w * 2.0
        assert y.numpy().tolist() == [2.0, 4.0]
        assert np.array(y).tolist() == [2.0, 4.0]
        assert float(tf.reduce_sum(y)) == 6.0


def test_negative_step_slice_keeps_gradient():
    w = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(w[::-2] * np.array([10.0, 1.0]))
    np.testing.assert_allclose(tape.gradient(loss, w).numpy(), [1.0, 0.0, 10.0])


def test_shape_and_dtype_names_on_plain_torch_objects():
    z = torch.zeros(2, 5, dtype=torch.float16)
    assert z.shape.as_list() == [2, 5] and z.shape.rank == 2 and z.shape.dims == [2, 5]
    assert z.dtype.name == "float16" and z.dtype == "float16" and z.dtype.as_numpy_dtype is np.float16
    assert z.shape.merge_with([None, 5]) == tf.TensorShape([2, 5])
    with pytest.raises(ValueError, match=r"\(2, 5\).*\(3, 5\)"):
        z.shape.assert_is_compatible_with([3, 5])


def test_lstm_takes_numpy_initial_state():
    layer = tf.keras.layers.LSTM(3)
    x = np.random.rand(2, 4, 5).astype("float32")
    h = np.random.rand(2, 3).astype("float32")
    c = np.random.rand(2, 3).astype("float32")
    from_numpy = layer(x, initial_state=[h, c])
    from_tensors = layer(tf.constant(x), initial_state=[tf.constant(h), tf.constant(c)])
    np.testing.assert_allclose(from_numpy.numpy(), from_tensors.numpy(), rtol=1e-6)
    assert not np.allclose(from_numpy.numpy(), layer(x).numpy())  # the state was used


def test_functional_model_with_numpy_and_list_constants():
    inputs = tf.keras.Input((2,))
    y = inputs * np.array([1.0, 2.0]) + [10.0, 20.0]
    model = tf.keras.Model(inputs, np.array([1.0, 1.0]) - y)
    out = model(np.ones((1, 2), "float32"))
    assert out.dtype == torch.float32
    np.testing.assert_allclose(out.numpy(), [[-10.0, -21.0]])


def test_numpy_meets_tensors_without_warnings():
    import warnings

    t = tf.constant([[1.0, -2.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.array(t).tolist() == [[1.0, -2.0]]
        assert np.array(t, copy=True) is not np.array(t, copy=True)
        assert np.abs(t).tolist() == [[1.0, 2.0]]
        assert (t * np.ones(2)).tolist() == [[1.0, -2.0]]
        assert isinstance(np.argmax(t), np.int64)


def test_np_array_copy_true_does_not_alias_the_tensor():
    t = torch.zeros(3)
    copied, view = np.array(t, copy=True), np.asarray(t)
    t.add_(1.0)
    assert copied.tolist() == [0.0, 0.0, 0.0] and view.tolist() == [1.0, 1.0, 1.0]
