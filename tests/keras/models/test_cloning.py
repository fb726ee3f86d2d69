"""clone_model honours call_function and recursive (as Keras 3), and refuses unknown arguments."""

import numpy as np
import pytest

from capas import keras as ck
from capas.keras.models.cloning import clone_model


def _functional_with_inner():
    inner = ck.Sequential([ck.Input((4,)), ck.layers.Dense(4, name="inner_dense")], name="inner")
    inputs = ck.Input((3,))
    x = ck.layers.Dense(4, name="outer_dense")(inputs)
    return ck.Model(inputs, inner(x), name="outer")


def _renamed(layer):
    config = layer.get_config()
    config["name"] = "copy_" + config["name"]
    return type(layer).from_config(config)


def test_call_function_wraps_every_layer_call():
    model = _functional_with_inner()

    def add_dropout(layer, *args, **kwargs):
        out = layer(*args, **kwargs)
        return ck.layers.Dropout(0.5)(out) if isinstance(layer, ck.layers.Dense) else out

    clone = clone_model(model, call_function=add_dropout)
    kinds = [type(layer).__name__ for layer in clone.layers]
    assert kinds.count("Dropout") == 1 and "Sequential" in kinds
    x = np.ones((2, 3), "float32")
    assert clone.predict(x, verbose=0).shape == (2, 4)


def test_recursive_clones_inner_models_with_the_same_clone_function():
    model = _functional_with_inner()
    deep = clone_model(model, clone_function=_renamed, recursive=True)
    inner = deep.layers[-1]
    assert [layer.name for layer in inner.layers] == ["copy_inner_dense"]
    assert inner.layers[0] is not model.layers[-1].layers[0]
    shallow = clone_model(
        model, clone_function=lambda layer: _renamed(layer) if not hasattr(layer, "layers") else layer
    )
    assert shallow.layers[-1] is model.layers[-1]  # recursive=False: the inner model went through clone_function


def test_shared_layer_is_cloned_once():
    shared = ck.layers.Dense(3, name="shared")
    a, b = ck.Input((3,)), ck.Input((3,))
    model = ck.Model([a, b], ck.layers.Add()([shared(a), shared(b)]))
    clone = clone_model(model)
    assert sum(type(layer).__name__ == "Dense" for layer in clone.layers) == 1


def test_clone_model_refusals():
    seq = ck.Sequential([ck.Input((3,)), ck.layers.Dense(2)])
    with pytest.raises(ValueError, match="call_function is not supported for the Sequential model"):
        clone_model(seq, call_function=lambda layer, *a, **k: layer(*a, **k))
    with pytest.raises(ValueError, match=r"unexpected keyword argument\(s\) \['clone_fn'\]"):
        clone_model(seq, clone_fn=None)
