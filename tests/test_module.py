"""tf.Module against TensorFlow's recorded names and order (tests/goldens/tfcore)."""

import json
import pathlib

import pytest

import capas as tf
from capas import keras

G = json.loads((pathlib.Path(__file__).parent / "goldens" / "tfcore" / "goldens.json").read_text())["module"]


class Dense(tf.Module):
    def __init__(self, in_features, out_features, name=None):
        super().__init__(name=name)
        with self.name_scope:
            self.w = tf.Variable(tf.ones([in_features, out_features]), name="w")
            self.b = tf.Variable(tf.zeros([out_features]), name="b")

    def __call__(self, x):
        return tf.nn.relu(x @ self.w + self.b)


class MyModule(tf.Module):  # the same module as in tests/goldens/tfcore/record.py
    def __init__(self, name=None):
        super().__init__(name=name)
        self.z_var = tf.Variable(1.0, name="z")
        self.a_list = [
            tf.Variable(2.0, name="l0"),
            tf.Variable(3.0, name="l1", trainable=False),
        ]
        self.m_dict = {
            "k2": tf.Variable(4.0, name="d2"),
            "k1": tf.Variable(5.0, name="d1"),
        }
        self.b_tuple = (tf.Variable(6.0, name="t0"),)
        self.dense_2 = Dense(2, 3, name="second")
        self.dense_1 = Dense(3, 1)

    @tf.Module.with_name_scope
    def make(self):
        return tf.Variable(0.0, name="made")


def test_names_order_and_scopes_match_tf():
    m = MyModule()
    assert m.name == G["name"]
    assert m.name_scope.name == G["name_scope"]
    assert [v.name for v in m.variables] == G["variables"]
    assert [v.name for v in m.trainable_variables] == G["trainable_variables"]
    assert [s.name for s in m.submodules] == G["submodules"]
    assert m.make().name == G["made"]
    assert Dense(1, 1).name == G["dense_default_name"]
    assert isinstance(keras.layers.Dense(1), tf.Module) is G["keras_layer_is_module"]


def test_bad_name_is_rejected_like_tf():
    assert G["bad_name_error"] == "ValueError"
    with pytest.raises(ValueError, match="'bad name' is not a valid module name"):
        tf.Module(name="bad name")


def test_module_trains_with_a_tape():
    layer = Dense(2, 1)
    x = tf.constant([[1.0, 2.0]])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(x))
    grads = tape.gradient(loss, layer.trainable_variables)
    assert [tuple(g.shape) for g in grads] == [(1,), (2, 1)]
    assert grads[1].reshape(-1).tolist() == [1.0, 2.0]


def test_name_scope_is_absolute_and_restored():
    with tf.name_scope("outer"):
        inner = tf.Module(name="inner")
    with tf.name_scope("elsewhere"):
        with inner.name_scope:
            v = tf.Variable(1.0, name="v")
        after = tf.Variable(1.0, name="after")
    assert v.name == "outer/inner/v:0"
    assert after.name == "elsewhere/after:0"


def test_init_scope_stops_recording():
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        with tf.init_scope():
            y = v * 3.0
        z = v * 2.0
    assert not y.requires_grad
    assert tape.gradient(z, v).item() == 2.0
