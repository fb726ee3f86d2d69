"""A functional model with dict outputs orders its layers (and weights) as Keras does:
dict keys sorted (conformance 024). Expected order from the `keras` package (torch backend)."""

import keras as real_keras

from capas import keras


def _names(k):
    inputs = k.Input((3,), name="x")
    hidden = k.layers.Dense(4, name="hidden")(inputs)
    zed = k.layers.Dense(1, name="zed")(hidden)
    alpha = k.layers.Dense(2, name="alpha")(hidden)
    model = k.Model(inputs, {"zed": zed, "alpha": alpha})
    return [layer.name for layer in model.layers], [tuple(w.shape) for w in model.get_weights()]


def test_layers_and_weights_follow_sorted_output_keys():
    got = _names(keras)
    want = _names(real_keras)
    assert got[0] == want[0]
    assert got[1] == [tuple(s) for s in want[1]]
