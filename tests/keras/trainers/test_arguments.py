"""Arguments that used to be ignored are honoured or refused, as Keras 3 does."""

import warnings

import numpy as np
import pytest

from capas import keras as ck

X = np.ones((8, 3), "float32")
Y = np.ones((8, 1), "float32")


def _model():
    model = ck.Sequential([ck.Input((3,)), ck.layers.Dense(4, name="d1"), ck.layers.Dense(1, name="d2")])
    model.compile(optimizer="sgd", loss="mse")
    return model


@pytest.mark.parametrize("value", [0, -4, 2.5, True])
def test_bad_batch_size_raises(value):
    model = _model()
    for call in (
        lambda: model.fit(X, Y, batch_size=value, verbose=0),
        lambda: model.evaluate(X, Y, batch_size=value, verbose=0),
        lambda: model.predict(X, batch_size=value, verbose=0),
        lambda: model.fit(X, Y, validation_data=(X, Y), validation_batch_size=value, verbose=0),
    ):
        with pytest.raises(ValueError, match="must be a positive integer or None"):
            call()


def test_numpy_batch_size_is_accepted():
    assert _model().predict(X, batch_size=np.int64(4), verbose=0).shape == (8, 1)


def test_evaluate_refuses_unknown_keywords():
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) \['verbos'\]"):
        _model().evaluate(X, Y, verbos=0)


def test_run_eagerly_turns_jit_compile_off_with_a_warning():
    model = _model()
    with pytest.warns(UserWarning, match="jit_compile is disabled"):
        model.compile(optimizer="sgd", loss="mse", run_eagerly=True, jit_compile=True)
    assert model.run_eagerly and not model._jit_compile
    model.compile(optimizer="sgd", loss="mse", jit_compile=True)
    assert not model.run_eagerly
    model.run_eagerly = True
    assert model.run_eagerly and not model._jit_compile
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.compile(optimizer="sgd", loss="mse", run_eagerly=True)


def _summary(model, **kwargs):
    lines = []
    model.summary(print_fn=lines.append, **kwargs)
    return lines


def test_summary_layer_range_selects_rows():
    model = _model()
    text = "\n".join(_summary(model, layer_range=["d2", "d2"]))
    assert "d2 (Dense)" in text and "d1 (Dense)" not in text
    text = "\n".join(_summary(model, layer_range=["d", "d2"]))
    assert "d1 (Dense)" in text and "d2 (Dense)" in text
    with pytest.raises(ValueError, match="does not match the layer names"):
        _summary(model, layer_range=["nope", "d2"])
    with pytest.raises(ValueError, match="2 layer names"):
        _summary(model, layer_range=["d1"])


def test_summary_positions_set_the_column_edges():
    model = _model()
    lines = _summary(model, line_length=60, positions=[0.5, 0.8, 1.0])
    border = lines[1]
    assert len(border) == 60 + 1
    assert [i for i, c in enumerate(border) if c == "┳"] == [30, 48]
    absolute = _summary(model, positions=[30, 48, 60])
    assert absolute[1] == border
    with pytest.raises(ValueError, match="needs 3 values"):
        _summary(model, positions=[0.5, 1.0])


def test_layer_weights_argument_is_refused():
    with pytest.raises(TypeError, match=r"does not take `weights`.*set_weights"):
        ck.layers.Dense(2, weights=[np.ones((3, 2)), np.zeros(2)])
