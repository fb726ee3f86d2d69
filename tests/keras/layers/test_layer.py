"""The Layer base: build once, tracking, names, losses, trainable, errors."""

import numpy as np
import pytest
import torch

import capas as tf
from capas import keras
from capas.keras import layers


class Lineal(layers.Layer):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.builds = 0

    def build(self, input_shape):
        self.builds += 1
        self.a = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal", name="a")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", name="b")

    def call(self, inputs):
        return tf.matmul(inputs, self.a) + self.b


class Pair(layers.Layer):
    def __init__(self):
        super().__init__()
        self.first = Lineal(3)
        self.second = Lineal(2)

    def call(self, x):
        return self.second(tf.nn.relu(self.first(x)))


def test_build_runs_once_on_first_call():
    layer = Lineal(4)
    assert not layer.built and layer.weights == []
    for _ in range(3):
        layer(tf.ones((2, 5)))
    assert layer.builds == 1 and layer.built
    assert [tuple(w.shape) for w in layer.weights] == [(5, 4), (4,)]


def test_names_unique_snake_case_per_class():
    a, b = Lineal(), Lineal()
    assert a.name.startswith("lineal") and b.name != a.name


def test_nested_variable_names_carry_the_scope():
    p = Pair()
    p(tf.ones((1, 2)))
    assert [w.name for w in p.weights] == [
        f"{p.name}/{p.first.name}/a:0",
        f"{p.name}/{p.first.name}/b:0",
        f"{p.name}/{p.second.name}/a:0",
        f"{p.name}/{p.second.name}/b:0",
    ]


def test_raw_variables_and_lists_and_dicts_are_tracked():
    class Holder(layers.Layer):
        def __init__(self):
            super().__init__()
            self.w = tf.Variable(tf.ones((2,)))
            self.frozen = tf.Variable(tf.zeros((2,)), trainable=False)
            self.blocks = [layers.Dense(2), layers.Dense(3)]
            self.named = {"x": layers.Dense(1)}

        def call(self, x):
            for block in self.blocks:
                x = block(x)
            return self.named["x"](x) + self.w.sum()

    h = Holder()
    h(tf.ones((1, 4)))
    assert len(h.trainable_weights) == 1 + 6
    assert h.non_trainable_weights == [h.frozen]
    # torch sees them too: parameters() and state_dict()
    assert len(list(h.parameters())) == 8
    assert any(k.startswith("blocks.0.") for k in h.state_dict())


def test_list_appended_after_assignment_is_tracked():
    class Late(layers.Layer):
        def __init__(self):
            super().__init__()
            self.blocks = []
            for _ in range(2):
                self.blocks.append(layers.Dense(2))

        def call(self, x):
            for b in self.blocks:
                x = b(x)
            return x

    late = Late()
    late(tf.ones((1, 2)))
    assert len(late.weights) == 4


def test_trainable_false_freezes_sublayers():
    p = Pair()
    p(tf.ones((1, 2)))
    p.trainable = False
    assert p.trainable_weights == [] and len(p.non_trainable_weights) == 4
    assert not p.first.a.requires_grad
    p.trainable = True
    assert len(p.trainable_weights) == 4 and p.first.a.requires_grad


def test_add_loss_resets_each_top_level_call():
    class Reg(layers.Layer):
        def call(self, x):
            self.add_loss(tf.reduce_sum(x) * 0.5)
            return x

    class Parent(layers.Layer):
        def __init__(self):
            super().__init__()
            self.reg = Reg()

        def call(self, x):
            return self.reg(self.reg(x))

    p = Parent()
    assert p.losses == []
    p(tf.ones((2,)))
    assert len(p.losses) == 2
    p(tf.ones((2,)))
    assert len(p.losses) == 2
    np.testing.assert_allclose([float(l) for l in p.losses], [1.0, 1.0])


def test_regularizers_feed_losses():
    d = layers.Dense(2, kernel_regularizer=keras.regularizers.L2(0.1))
    d(tf.ones((1, 3)))
    expected = 0.1 * float((d.kernel.detach() ** 2).sum())
    assert len(d.losses) == 1
    np.testing.assert_allclose(float(d.losses[0]), expected, rtol=1e-6)


def test_training_flag_propagates_to_sublayers():
    seen = []

    class Probe(layers.Layer):
        def call(self, x, training=None):
            seen.append(training)
            return x

    class Outer(layers.Layer):
        def __init__(self):
            super().__init__()
            self.probe = Probe()

        def call(self, x):
            return self.probe(x)

    Outer()(tf.ones((1,)), training=True)
    Outer()(tf.ones((1,)))
    assert seen == [True, None]


def test_eager_call_outside_tape_keeps_no_graph():
    d = layers.Dense(2)
    y = d(np.ones((1, 3), dtype="float32"))
    assert not y.requires_grad
    assert y.numpy().shape == (1, 2)


def test_dense_wrong_features_names_layer_and_shapes():
    d = layers.Dense(2, name="capa")
    d(tf.ones((1, 2)))
    before = d.kernel.detach().clone()
    with pytest.raises(ValueError, match=r"capa.*expected axis -1.*value 2.*\(1, 3\)"):
        d(tf.ones((1, 3)))
    torch.testing.assert_close(d.kernel.detach(), before)


def test_negative_weight_dimension_is_rejected():
    layer = layers.Layer(name="neg")
    with pytest.raises(ValueError, match="neg.*negative"):
        layer.add_weight(shape=(2, -1), name="w")


def test_unknown_initializer_lists_closest_names():
    layer = layers.Layer(name="init")
    with pytest.raises(ValueError, match="random_normal"):
        layer.add_weight(shape=(2,), initializer="random_normall")


def test_non_tensor_input_is_a_type_error():
    with pytest.raises(TypeError, match="dense"):
        layers.Dense(2, name="dense_text")("not a tensor")


def test_forgetting_super_init_is_explained():
    class Broken(layers.Layer):
        def __init__(self):
            self.units = 3

        def call(self, x):
            return x

    with pytest.raises(RuntimeError, match="super"):
        Broken()(tf.ones((1,)))


def test_exception_in_call_names_the_layer():
    class Boom(layers.Layer):
        def call(self, x):
            raise ValueError("boom")

    with pytest.raises(ValueError, match=r"(?s)boom.*Boom 'boom.*shape=\(2, 3\)"):
        Boom(name="boom")(tf.ones((2, 3)))


def test_get_config_round_trip_with_auto_config():
    layer = Lineal(units=7, name="lin")
    config = layer.get_config()
    assert config["units"] == 7 and config["name"] == "lin"
    clone = Lineal.from_config(config)
    assert clone.units == 7 and clone.name == "lin"


def test_count_params_and_get_set_weights():
    d = layers.Dense(3)
    d(tf.ones((1, 4)))
    assert d.count_params() == 15
    w = [np.full((4, 3), 2.0, "float32"), np.ones(3, "float32")]
    d.set_weights(w)
    np.testing.assert_array_equal(d.get_weights()[0], w[0])
    with pytest.raises(ValueError, match="expected a list of 2"):
        d.set_weights(w[:1])


def test_torch_module_features_work():
    p = Pair()
    p(tf.ones((1, 2)))
    names = [n for n, _ in p.named_parameters()]
    assert names == ["first.a", "first.b", "second.a", "second.b"]
    state = p.state_dict()
    q = Pair()
    q(tf.ones((1, 2)))
    q.load_state_dict(state)
    torch.testing.assert_close(q(tf.ones((1, 2))), p(tf.ones((1, 2))))
