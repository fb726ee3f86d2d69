"""keras.wrappers: scikit-learn estimators around a Keras model (scikit-learn is optional)."""

from capas.keras.wrappers.sklearn_wrapper import SKLearnClassifier as SKLearnClassifier
from capas.keras.wrappers.sklearn_wrapper import SKLearnRegressor as SKLearnRegressor
from capas.keras.wrappers.sklearn_wrapper import SKLearnTransformer as SKLearnTransformer
