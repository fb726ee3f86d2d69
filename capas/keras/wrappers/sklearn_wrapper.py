"""`SKLearnClassifier`, `SKLearnRegressor`, `SKLearnTransformer`: a compiled model as a scikit-learn estimator.

scikit-learn is optional: without it these names still import, and constructing one raises an
ImportError that says how to install it.
"""

import copy

import numpy as np

from capas.keras.models import clone_model
from capas.keras.saving import serialization_lib

try:
    import sklearn
    import sklearn.pipeline
    import sklearn.preprocessing
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin
    from sklearn.utils.multiclass import type_of_target
    from sklearn.utils.validation import check_array, check_is_fitted, check_X_y
except ImportError:  # scikit-learn is an optional dependency
    sklearn = None

    class BaseEstimator:
        pass

    class ClassifierMixin:
        pass

    class RegressorMixin:
        pass

    class TransformerMixin:
        pass


def _require_sklearn(name):
    if sklearn is None:
        raise ImportError(
            f"keras.wrappers.{name} requires `scikit-learn` to be installed. "
            "Run `pip install scikit-learn` to install it (capas itself does not need it)."
        )


class _TargetReshaper(TransformerMixin, BaseEstimator):
    """1-D targets as a column for the encoders, and back to 1-D on the way out."""

    def fit(self, y):
        self.ndim_ = np.ndim(y)
        return self

    def transform(self, y):
        y = np.asarray(y)
        return y.reshape(-1, 1) if y.ndim == 1 else y

    def inverse_transform(self, y):
        y = np.asarray(y)
        if self.ndim_ == 1 and y.ndim == 2 and y.shape[1] == 1:
            return y[:, 0]
        return y


class _SKLBase(BaseEstimator):
    """The estimator protocol shared by the three wrappers (see `SKLearnRegressor`)."""

    def __init__(self, model, warm_start=False, model_kwargs=None, fit_kwargs=None):
        _require_sklearn(type(self).__name__)
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = True
        return tags

    def __sklearn_clone__(self):
        model = self.model if callable(self.model) and not hasattr(self.model, "fit") else copy.deepcopy(self.model)
        return type(self)(model=model, warm_start=self.warm_start, model_kwargs=self.model_kwargs)

    @property
    def epoch_(self):
        """The number of epochs the model has been trained for."""
        return len(self.history_.epoch) if hasattr(self, "history_") else 0

    def _get_model(self, X, y):
        if self.warm_start and hasattr(self, "model_"):
            return self.model_
        if hasattr(self.model, "fit") and hasattr(self.model, "predict"):
            return self.model if self.warm_start else _compiled_clone(self.model)
        return self.model(X=X, y=y, **(self.model_kwargs or {}))

    def fit(self, X, y, **kwargs):
        """Train the model on `X` (n_samples, n_features) and `y`; `kwargs` go to `model.fit`."""
        X, y = check_X_y(X, y, multi_output=True, y_numeric=not isinstance(self, ClassifierMixin), dtype=None)
        self.n_features_in_ = X.shape[1]
        y = self._process_target(y, reset=True)
        model = self._get_model(X, y)
        if not getattr(model, "compiled", False) or model.loss is None or model.optimizer is None:
            raise RuntimeError("Given model needs to be compiled, and have a loss and an optimizer.")
        fit_kwargs = dict(self.fit_kwargs or {})
        fit_kwargs.update(kwargs)
        self.history_ = model.fit(X, y, **fit_kwargs)
        self.model_ = model
        return self

    def _checked(self, X):
        check_is_fitted(self)
        X = check_array(X, dtype=None)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but {type(self).__name__} is expecting {self.n_features_in_} "
                "features as input."
            )
        return X

    def predict(self, X):
        """The model's predictions for `X`, decoded back to the target's form."""
        return self._reverse_process_target(self.model_.predict(self._checked(X), verbose=0))

    def _process_target(self, y, reset=False):
        type_of_target(y, raise_unknown=True)
        if reset:
            self._target_encoder = _TargetReshaper().fit(y)
        return self._target_encoder.transform(y)

    def _reverse_process_target(self, y):
        return self._target_encoder.inverse_transform(y)


def _compiled_clone(model):
    """A fresh copy of `model` (same architecture, new weights), compiled like it, as Keras's clone is."""
    clone = clone_model(model)
    if getattr(model, "compiled", False) and not getattr(clone, "compiled", False):
        # Through the serialized form, so the clone gets its own optimizer and metrics.
        config = serialization_lib.serialize_keras_object(model.get_compile_config())
        clone.compile(**serialization_lib.deserialize_compile_config(config))
    return clone


class SKLearnClassifier(ClassifierMixin, _SKLBase):
    """A scikit-learn classifier around a compiled Keras model.

    Targets are one-hot encoded for the model (`classes_` holds the labels) and predictions
    decoded back to labels (the most probable class).

    Args:
        model: a compiled model (cloned before each fit unless `warm_start`), or a callable
            `model(X=..., y=..., **model_kwargs)` returning a compiled model.
        warm_start: keep training the fitted model across `fit` calls.
        model_kwargs: keyword arguments for the callable `model`.
        fit_kwargs: keyword arguments for `model.fit` (epochs, batch_size, verbose...).

    Example:

    >>> from capas import keras
    >>> keras.wrappers.SKLearnClassifier  # doctest: +ELLIPSIS
    <class '...SKLearnClassifier'>
    """

    def decision_function(self, X):
        """The model's raw outputs for `X`."""
        return self.model_.predict(self._checked(X), verbose=0)

    def _process_target(self, y, reset=False):
        target_type = type_of_target(y, raise_unknown=True)
        if target_type not in ("binary", "multiclass"):
            raise ValueError(f"Only binary and multiclass target types are supported. Target type: {target_type}")
        if reset:
            self._target_encoder = sklearn.pipeline.make_pipeline(
                _TargetReshaper(), sklearn.preprocessing.OneHotEncoder(sparse_output=False)
            ).fit(y)
            self.classes_ = np.unique(y)
            if len(self.classes_) == 1:
                raise ValueError("Classifier can't train when only one class is present.")
        return self._target_encoder.transform(y)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True
        return tags


class SKLearnRegressor(RegressorMixin, _SKLBase):
    """A scikit-learn regressor around a compiled Keras model (arguments as `SKLearnClassifier`).

    Example:

    >>> from capas import keras
    >>> keras.wrappers.SKLearnRegressor  # doctest: +ELLIPSIS
    <class '...SKLearnRegressor'>
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True
        return tags


class SKLearnTransformer(TransformerMixin, _SKLBase):
    """A scikit-learn transformer whose `transform(X)` is the model's prediction (arguments as `SKLearnClassifier`).

    Example:

    >>> from capas import keras
    >>> keras.wrappers.SKLearnTransformer  # doctest: +ELLIPSIS
    <class '...SKLearnTransformer'>
    """

    def transform(self, X):
        """The model's outputs for `X`."""
        return self.model_.predict(self._checked(X), verbose=0)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        return tags
