"""Subclassed models whose own __init__ takes positional arguments (conformance 045/046)."""

import numpy as np

from capas import keras
from capas.keras import layers


class TwoArgs(keras.Model):
    def __init__(self, vocab_size, dim):
        super().__init__()
        self.emb = layers.Embedding(vocab_size, dim)

    def call(self, x):
        return self.emb(x)


def test_subclass_with_two_positional_args_is_not_functional():
    model = TwoArgs(10, 3)
    assert type(model) is TwoArgs
    out = model(np.array([[1, 2]]))
    assert tuple(out.shape) == (1, 2, 3)


class PassThrough(keras.Model):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)


def test_subclass_forwarding_inputs_outputs_is_functional():
    inputs = keras.Input((4,))
    model = PassThrough(inputs, layers.Dense(2)(inputs))
    assert isinstance(model, PassThrough)
    assert model.count_params() == 10


class NoInit(keras.Model):
    pass


def test_subclass_without_init_called_with_inputs_outputs():
    inputs = keras.Input((4,))
    model = NoInit(inputs, layers.Dense(3)(inputs))
    assert isinstance(model, NoInit)
    assert tuple(model(np.ones((2, 4), "float32")).shape) == (2, 3)
