"""Variable: a Parameter with TF's face (names, repr, assign, trainable)."""

import copy
import pickle

import numpy as np
import pytest
import torch

import capas as tf
from tests.conftest import aten_ops_run


def test_variable_is_a_torch_parameter():
    v = tf.Variable([[1.0, 2.0]], name="w")
    assert isinstance(v, torch.nn.Parameter)
    assert v.requires_grad and v.trainable
    assert v.dtype == torch.float32


def test_name_and_path_follow_tf_and_keras3():
    with tf.name_scope("outer"):
        v = tf.Variable(1.0, name="a")
    assert v.name == "outer/a:0"
    assert v.path == "outer/a"


def test_repr_matches_tensorflow():
    v = tf.Variable(np.zeros(4, dtype="float32"), name="c")
    assert repr(v) == "<tf.Variable 'c:0' shape=(4,) dtype=float32, numpy=array([0., 0., 0., 0.], dtype=float32)>"
    m = tf.Variable(np.ones((2, 2), dtype="float32"), name="m")
    assert repr(m).startswith("<tf.Variable 'm:0' shape=(2, 2) dtype=float32, numpy=\narray([[")


def test_python_numbers_follow_tf_dtypes():
    assert tf.Variable(1.0).dtype == torch.float32
    assert tf.Variable(1).dtype == torch.int32
    assert tf.Variable(np.zeros(2, dtype="float64")).dtype == torch.float64


def test_non_trainable_has_no_grad():
    v = tf.Variable(tf.zeros((2,)), trainable=False)
    assert not v.requires_grad and v.trainable is False


def test_assign_family_records_no_graph():
    v = tf.Variable([1.0, 2.0])
    out = v.assign_add([1.0, 1.0])
    assert out is v
    np.testing.assert_array_equal(v.numpy(), [2.0, 3.0])
    v.assign_sub(np.array([2.0, 3.0], dtype="float32"))
    np.testing.assert_array_equal(v.numpy(), [0.0, 0.0])
    v.assign([5.0, 6.0])
    assert v.grad_fn is None and v.requires_grad


def test_assign_wrong_shape_names_variable_and_shapes():
    v = tf.Variable(tf.zeros((2, 3)), name="kernel")
    with pytest.raises(ValueError, match=r"kernel:0.*\(2, 3\).*\(4,\)"):
        v.assign(np.zeros(4, dtype="float32"))
    np.testing.assert_array_equal(v.numpy(), np.zeros((2, 3)))


def test_callable_initial_value_with_shape():
    v = tf.Variable(tf.random_normal_initializer(stddev=0.05), shape=(3, 2))
    assert tuple(v.shape) == (3, 2)


def test_deepcopy_and_pickle_keep_name_and_value():
    v = tf.Variable([1.0, 2.0], name="k")
    for w in (copy.deepcopy(v), pickle.loads(pickle.dumps(v))):
        assert isinstance(w, tf.Variable) and w.name == "k:0"
        np.testing.assert_array_equal(w.numpy(), v.numpy())


def test_torch_ops_return_plain_tensors():
    v = tf.Variable([1.0, 2.0])
    assert type(v * 2) is torch.Tensor


def test_missing_initial_value_is_a_clear_error():
    with pytest.raises(ValueError, match="initial_value"):
        tf.Variable()


def test_unknown_kwarg_is_a_type_error():
    with pytest.raises(TypeError, match="unexpected keyword"):
        tf.Variable(1.0, colour="red")


def test_a_variable_copies_the_value_it_is_given():
    value = torch.zeros(3)
    array = np.zeros(3, dtype="float32")
    made = tf.Variable(value), tf.Variable(array), tf.Variable(lambda: value)
    value += 1.0
    array += 1.0
    for variable in made:
        np.testing.assert_array_equal(variable.numpy(), np.zeros(3, dtype="float32"))


def test_layer_weights_and_optimizer_slots_are_made_without_a_copy():
    # Building holds each value once: an initializer's output and a slot's zeros become the variable.
    from capas import keras

    layer = keras.layers.Dense(32)
    assert "aten::clone" not in aten_ops_run(lambda: layer.build((None, 64)))
    optimizer = keras.optimizers.Adam()
    assert "aten::clone" not in aten_ops_run(lambda: optimizer.build(layer.trainable_variables))
    assert len(optimizer.variables) == 2 + 2 * 2  # iterations, learning rate, two slots per weight


def test_a_shared_initializer_result_is_still_copied():
    from capas import keras

    shared = torch.ones(4, 2)

    class Reuses(keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(4, 2), initializer=lambda shape, dtype: shared)

    layer = Reuses()
    layer.build((None, 4))
    shared += 1.0
    np.testing.assert_array_equal(layer.w.numpy(), np.ones((4, 2), dtype="float32"))
    optimizer = keras.optimizers.Adam()
    slot = optimizer.add_variable((4, 2), initializer=lambda shape, dtype: shared)
    shared += 1.0
    np.testing.assert_array_equal(slot.numpy(), np.full((4, 2), 2.0, dtype="float32"))
