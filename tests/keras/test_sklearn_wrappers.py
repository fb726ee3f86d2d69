"""keras.wrappers against Keras's (torch backend): same models, data and training give the same predictions.

scikit-learn is optional: without it the wrappers must say how to install it, and the
comparisons are skipped.
"""

import numpy as np
import pytest

from capas import keras
from capas.keras.wrappers import sklearn_wrapper
from tests.conftest import keras_reference

FIT = {"epochs": 3, "batch_size": 8, "shuffle": False, "verbose": 0}


def _data(classes):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 4)).astype("float32")
    y = rng.integers(0, classes, size=40) if classes else rng.normal(size=40).astype("float32")
    return x, y


def _builder(k, outputs, activation, loss):
    def build(X, y, hidden=5):
        model = k.Sequential(
            [
                k.Input((X.shape[1],)),
                k.layers.Dense(hidden, activation="relu", kernel_initializer=k.initializers.Constant(0.1)),
                k.layers.Dense(outputs, activation=activation, kernel_initializer=k.initializers.Constant(-0.05)),
            ]
        )
        model.compile(optimizer=k.optimizers.SGD(0.1), loss=loss)
        return model

    return build


def test_without_scikit_learn_the_wrappers_say_how_to_install_it(monkeypatch):
    monkeypatch.setattr(sklearn_wrapper, "sklearn", None)
    for cls in (keras.wrappers.SKLearnClassifier, keras.wrappers.SKLearnRegressor, keras.wrappers.SKLearnTransformer):
        with pytest.raises(ImportError, match=f"{cls.__name__} requires `scikit-learn`.*pip install scikit-learn"):
            cls(model=lambda X, y: None)


needs_sklearn = pytest.mark.skipif(sklearn_wrapper.sklearn is None, reason="scikit-learn is not installed")


@needs_sklearn
def test_classifier_matches_keras():
    ref = keras_reference()
    x, y = _data(3)
    labels = np.array(["cat", "dog", "eel"])[y]
    out = []
    for k in (keras, ref):
        clf = k.wrappers.SKLearnClassifier(
            model=_builder(k, 3, "softmax", "categorical_crossentropy"), model_kwargs={"hidden": 6}, fit_kwargs=FIT
        )
        clf.fit(x, labels)
        out.append((clf.classes_, clf.predict(x), clf.decision_function(x), clf.n_features_in_))
    np.testing.assert_array_equal(out[0][0], out[1][0])
    np.testing.assert_array_equal(out[0][1], out[1][1])
    np.testing.assert_allclose(out[0][2], out[1][2], rtol=1e-5, atol=1e-6)
    assert out[0][3] == out[1][3] == 4
    # (Keras 3.15's epoch_ reads history_ as a dict and raises; capas counts the epochs trained.)
    mine = keras.wrappers.SKLearnClassifier(
        model=_builder(keras, 3, "softmax", "categorical_crossentropy"), fit_kwargs=FIT
    )
    assert mine.fit(x, labels).epoch_ == 3


@needs_sklearn
def test_regressor_and_transformer_match_keras():
    ref = keras_reference()
    x, y = _data(None)
    out = []
    for k in (keras, ref):
        reg = k.wrappers.SKLearnRegressor(model=_builder(k, 1, None, "mse"), fit_kwargs=FIT).fit(x, y)
        tr = k.wrappers.SKLearnTransformer(model=_builder(k, 2, None, "mse"), fit_kwargs=FIT)
        out.append((reg.predict(x), tr.fit(x, y).transform(x)))
    assert out[0][0].shape == out[1][0].shape == (40,)
    np.testing.assert_allclose(out[0][0], out[1][0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out[0][1], out[1][1], rtol=1e-5, atol=1e-6)


@needs_sklearn
def test_a_compiled_model_instance_is_cloned_and_warm_start_continues():
    x, y = _data(None)
    model = _builder(keras, 1, None, "mse")(x, y)
    reg = keras.wrappers.SKLearnRegressor(model=model, fit_kwargs=FIT).fit(x, y)
    assert reg.model_ is not model and reg.model_.compiled
    warm = keras.wrappers.SKLearnRegressor(model=model, warm_start=True, fit_kwargs=FIT)
    first = warm.fit(x, y).model_
    assert first is model and warm.fit(x, y).model_ is first


@needs_sklearn
def test_errors_are_those_of_keras():
    ref = keras_reference()
    x, y = _data(None)
    for k in (keras, ref):

        def uncompiled(X, y, k=k):
            return k.Sequential([k.Input((4,)), k.layers.Dense(1)])

        with pytest.raises(RuntimeError, match="needs to be compiled"):
            k.wrappers.SKLearnRegressor(model=uncompiled, fit_kwargs=FIT).fit(x, y)
        with pytest.raises(ValueError, match="Only binary and multiclass"):
            k.wrappers.SKLearnClassifier(model=_builder(k, 1, None, "mse"), fit_kwargs=FIT).fit(x, y)
        with pytest.raises(ValueError, match="only one class"):
            k.wrappers.SKLearnClassifier(model=_builder(k, 1, None, "mse"), fit_kwargs=FIT).fit(x, np.zeros(40, int))
