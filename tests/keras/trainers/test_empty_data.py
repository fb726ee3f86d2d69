"""Empty validation or evaluation data raises a clear ValueError instead of reporting a loss of 0.0."""

import numpy as np
import pytest

from capas import data as cdata
from capas import keras as ck


def _model():
    model = ck.Sequential([ck.Input((3,)), ck.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model


X = np.ones((8, 3), "float32")
Y = np.ones((8, 1), "float32")


def test_fit_with_empty_validation_arrays_raises_before_training():
    model = _model()
    before = model.get_weights()
    with pytest.raises(ValueError, match="validation_data is empty"):
        model.fit(X, Y, validation_data=(X[:0], Y[:0]), verbose=0)
    for a, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(a, b)


def test_fit_with_empty_validation_dataset_raises():
    empty = cdata.Dataset.from_tensor_slices((X[:0], Y[:0])).batch(4)
    with pytest.raises(ValueError, match="validation_data is empty"):
        _model().fit(X, Y, validation_data=empty, verbose=0)


def test_evaluate_on_empty_data_raises():
    model = _model()
    mode = model.training
    with pytest.raises(ValueError, match=r"evaluate\(\) on model .*empty"):
        model.evaluate(X[:0], Y[:0], verbose=0)
    empty = cdata.Dataset.from_tensor_slices((X[:0], Y[:0])).batch(4)
    with pytest.raises(ValueError, match="empty"):
        model.evaluate(empty, verbose=0)
    assert model.training == mode
