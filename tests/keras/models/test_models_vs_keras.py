"""Functional, Sequential and subclassed models against the keras reference."""

import numpy as np
import pytest

import capas as tf
from capas import keras
from capas.keras import layers


def seed_model(lib, name_prefix=""):
    inputs = lib.Input(shape=(784,), name="digits")
    x = lib.layers.Dense(64, activation="relu", name="dense_1")(inputs)
    x = lib.layers.Dense(64, activation="relu", name="dense_2")(x)
    outputs = lib.layers.Dense(10, activation="softmax", name="predictions")(x)
    return lib.Model(inputs=inputs, outputs=outputs)


@pytest.fixture
def ref():
    return pytest.importorskip("keras")


def test_functional_outputs_match_keras(ref):
    ours, theirs = seed_model(keras), seed_model(ref)
    theirs.set_weights(ours.get_weights())
    x = np.random.rand(7, 784).astype("float32")
    np.testing.assert_allclose(ours(x).numpy(), np.asarray(theirs(x)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


def test_layers_get_layer_and_shapes():
    model = seed_model(keras)
    assert [l.name for l in model.layers] == ["digits", "dense_1", "dense_2", "predictions"]
    assert model.get_layer("dense_2").units == 64 and model.get_layer(index=1).name == "dense_1"
    assert model.input_shape == (None, 784) and model.output_shape == (None, 10)
    with pytest.raises(ValueError, match="No layer named 'nope'.*dense_1"):
        model.get_layer("nope")


def test_intermediate_output_model_shares_weights():
    model = seed_model(keras)
    features = keras.Model(model.input, model.get_layer("dense_2").output)
    x = np.random.rand(3, 784).astype("float32")
    assert features(x).shape == (3, 64)
    assert features.get_layer("dense_1") is model.get_layer("dense_1")


def test_multi_input_multi_output_and_shared_layer():
    a = keras.Input((4,), name="a")
    b = keras.Input((4,), name="b")
    shared = layers.Dense(3, name="shared")
    out1 = layers.Dense(1, name="out1")(shared(a))
    out2 = layers.Dense(2, name="out2")(shared(b))
    model = keras.Model({"a": a, "b": b}, {"out1": out1, "out2": out2})
    x = {"a": np.ones((2, 4), "float32"), "b": np.zeros((2, 4), "float32")}
    y = model(x)
    assert set(y) == {"out1", "out2"} and y["out2"].shape == (2, 2)
    with pytest.raises(ValueError, match=r"lacks \['b'\]"):
        model({"a": x["a"]})


def test_nested_model_as_layer():
    inner = keras.Sequential([keras.Input((3,)), layers.Dense(2, name="inner_dense")], name="inner")
    inputs = keras.Input((3,))
    outer = keras.Model(inputs, layers.Dense(1)(inner(inputs)))
    assert outer(np.ones((5, 3), "float32")).shape == (5, 1)
    assert len(outer.weights) == 4


def test_symbolic_call_does_not_mutate_state():
    class ComputeSum(layers.Layer):
        def __init__(self, input_dim):
            super().__init__()
            self.total = tf.Variable(initial_value=tf.zeros((input_dim,)), trainable=False)

        def call(self, inputs):
            self.total.assign_add(tf.reduce_sum(inputs, axis=0))
            return inputs * 1.0

    layer = ComputeSum(2)
    inputs = keras.Input((2,))
    model = keras.Model(inputs, layer(inputs))
    np.testing.assert_array_equal(layer.total.numpy(), [0.0, 0.0])
    model(np.ones((3, 2), "float32"))
    np.testing.assert_array_equal(layer.total.numpy(), [3.0, 3.0])


def test_input_shape_mismatch_names_the_input():
    model = seed_model(keras)
    with pytest.raises(ValueError, match=r"Input 'digits'.*\(None, 784\).*\(2, 100\)"):
        model(np.ones((2, 100), "float32"))


def test_config_round_trip_and_clone():
    model = seed_model(keras)
    rebuilt = keras.Model.from_config(model.get_config())
    assert [l.name for l in rebuilt.layers] == [l.name for l in model.layers]
    rebuilt.set_weights(model.get_weights())
    x = np.random.rand(2, 784).astype("float32")
    np.testing.assert_allclose(rebuilt(x).numpy(), model(x).numpy(), rtol=1e-6)


def test_keras_reads_our_functional_config(ref):
    model = seed_model(keras)
    theirs = ref.Model.from_config(model.get_config())
    theirs.set_weights(model.get_weights())
    x = np.random.rand(2, 784).astype("float32")
    np.testing.assert_allclose(np.asarray(theirs(x)), model(x).numpy(), rtol=1e-5, atol=1e-6)


def test_sequential_add_pop_and_deferred_build():
    model = keras.Sequential()
    model.add(layers.Dense(4))
    model.add(layers.Dense(2))
    assert not model.built
    y = model(np.ones((3, 5), "float32"))
    assert y.shape == (3, 2) and model.output_shape == (None, 2)
    popped = model.pop()
    assert isinstance(popped, layers.Dense) and len(model.layers) == 1
    with_input = keras.Sequential([keras.Input((5,)), layers.Dense(3)])
    assert with_input.built and with_input.count_params() == 18


def test_subclassed_model_builds_on_first_call_and_explicit_build():
    class Net(keras.Model):
        def __init__(self):
            super().__init__(name="net")
            self.d1 = layers.Dense(8, activation="relu")
            self.d2 = layers.Dense(1)

        def call(self, x):
            return self.d2(self.d1(x))

    net = Net()
    assert net.weights == []
    net.build((None, 3))
    assert [tuple(w.shape) for w in net.weights] == [(3, 8), (8,), (8, 1), (1,)]
    assert net(np.ones((2, 3), "float32")).shape == (2, 1)
    assert net.layers == [net.d1, net.d2]


def test_summary_prints_keras_layout():
    lines = []
    seed_model(keras).summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert "Layer (type)" in text and "dense_1 (Dense)" in text and "(None, 64)" in text
    assert "Total params: 55,050" in text and "Trainable params: 55,050" in text


def test_ops_on_symbolic_tensors_become_nodes():
    inputs = keras.Input((3,))
    x = layers.Dense(2)(inputs)
    outputs = tf.nn.relu(x) * 2.0 + 1.0
    model = keras.Model(inputs, outputs)
    xv = np.random.rand(4, 3).astype("float32")
    dense = model.layers[1]
    expected = np.maximum(xv @ dense.kernel.detach().numpy() + dense.bias.detach().numpy(), 0) * 2 + 1
    np.testing.assert_allclose(model(xv).numpy(), expected, rtol=1e-6)
