"""capas.keras.metrics: Keras 3's metrics, with state kept on the device of the data.

The registry (`get`, `serialize`, `deserialize`) resolves Keras's names:
class names (`"AUC"`), their snake_case (`"auc"`, `"sparse_categorical_accuracy"`)
and the short aliases (`"mse"`, `"mae"`, `"mape"`, `"msle"`, `"bce"`), then
classes and functions registered with `keras.saving.register_keras_serializable`.
"""

from capas.keras.metrics._loss_functions import binary_crossentropy as binary_crossentropy
from capas.keras.metrics._loss_functions import binary_focal_crossentropy as binary_focal_crossentropy
from capas.keras.metrics._loss_functions import categorical_crossentropy as categorical_crossentropy
from capas.keras.metrics._loss_functions import (
    categorical_focal_crossentropy as categorical_focal_crossentropy,
)
from capas.keras.metrics._loss_functions import categorical_hinge as categorical_hinge
from capas.keras.metrics._loss_functions import hinge as hinge
from capas.keras.metrics._loss_functions import huber as huber
from capas.keras.metrics._loss_functions import kl_divergence as kl_divergence
from capas.keras.metrics._loss_functions import log_cosh as log_cosh
from capas.keras.metrics._loss_functions import mean_absolute_error as mean_absolute_error
from capas.keras.metrics._loss_functions import (
    mean_absolute_percentage_error as mean_absolute_percentage_error,
)
from capas.keras.metrics._loss_functions import mean_squared_error as mean_squared_error
from capas.keras.metrics._loss_functions import (
    mean_squared_logarithmic_error as mean_squared_logarithmic_error,
)
from capas.keras.metrics._loss_functions import poisson as poisson
from capas.keras.metrics._loss_functions import (
    sparse_categorical_crossentropy as sparse_categorical_crossentropy,
)
from capas.keras.metrics._loss_functions import squared_hinge as squared_hinge
from capas.keras.metrics.accuracy_metrics import Accuracy as Accuracy
from capas.keras.metrics.accuracy_metrics import BinaryAccuracy as BinaryAccuracy
from capas.keras.metrics.accuracy_metrics import CategoricalAccuracy as CategoricalAccuracy
from capas.keras.metrics.accuracy_metrics import SparseCategoricalAccuracy as SparseCategoricalAccuracy
from capas.keras.metrics.accuracy_metrics import SparseTopKCategoricalAccuracy as SparseTopKCategoricalAccuracy
from capas.keras.metrics.accuracy_metrics import TopKCategoricalAccuracy as TopKCategoricalAccuracy
from capas.keras.metrics.accuracy_metrics import accuracy as _accuracy
from capas.keras.metrics.accuracy_metrics import binary_accuracy as binary_accuracy
from capas.keras.metrics.accuracy_metrics import categorical_accuracy as categorical_accuracy
from capas.keras.metrics.accuracy_metrics import sparse_categorical_accuracy as sparse_categorical_accuracy
from capas.keras.metrics.accuracy_metrics import (
    sparse_top_k_categorical_accuracy as sparse_top_k_categorical_accuracy,
)
from capas.keras.metrics.accuracy_metrics import top_k_categorical_accuracy as top_k_categorical_accuracy
from capas.keras.metrics.confusion_metrics import AUC as AUC
from capas.keras.metrics.confusion_metrics import FalseNegatives as FalseNegatives
from capas.keras.metrics.confusion_metrics import FalsePositives as FalsePositives
from capas.keras.metrics.confusion_metrics import Precision as Precision
from capas.keras.metrics.confusion_metrics import PrecisionAtRecall as PrecisionAtRecall
from capas.keras.metrics.confusion_metrics import Recall as Recall
from capas.keras.metrics.confusion_metrics import RecallAtPrecision as RecallAtPrecision
from capas.keras.metrics.confusion_metrics import SensitivityAtSpecificity as SensitivityAtSpecificity
from capas.keras.metrics.confusion_metrics import SpecificityAtSensitivity as SpecificityAtSensitivity
from capas.keras.metrics.confusion_metrics import TrueNegatives as TrueNegatives
from capas.keras.metrics.confusion_metrics import TruePositives as TruePositives
from capas.keras.metrics.correlation_metrics import ConcordanceCorrelation as ConcordanceCorrelation
from capas.keras.metrics.correlation_metrics import PearsonCorrelation as PearsonCorrelation
from capas.keras.metrics.correlation_metrics import concordance_correlation as concordance_correlation
from capas.keras.metrics.correlation_metrics import pearson_correlation as pearson_correlation
from capas.keras.metrics.f_score_metrics import F1Score as F1Score
from capas.keras.metrics.f_score_metrics import FBetaScore as FBetaScore
from capas.keras.metrics.hinge_metrics import CategoricalHinge as CategoricalHinge
from capas.keras.metrics.hinge_metrics import Hinge as Hinge
from capas.keras.metrics.hinge_metrics import SquaredHinge as SquaredHinge
from capas.keras.metrics.iou_metrics import BinaryIoU as BinaryIoU
from capas.keras.metrics.iou_metrics import IoU as IoU
from capas.keras.metrics.iou_metrics import MeanIoU as MeanIoU
from capas.keras.metrics.iou_metrics import OneHotIoU as OneHotIoU
from capas.keras.metrics.iou_metrics import OneHotMeanIoU as OneHotMeanIoU
from capas.keras.metrics.metric import Metric as Metric
from capas.keras.metrics.probabilistic_metrics import BinaryCrossentropy as BinaryCrossentropy
from capas.keras.metrics.probabilistic_metrics import CategoricalCrossentropy as CategoricalCrossentropy
from capas.keras.metrics.probabilistic_metrics import KLDivergence as KLDivergence
from capas.keras.metrics.probabilistic_metrics import Poisson as Poisson
from capas.keras.metrics.probabilistic_metrics import (
    SparseCategoricalCrossentropy as SparseCategoricalCrossentropy,
)
from capas.keras.metrics.reduction_metrics import Mean as Mean
from capas.keras.metrics.reduction_metrics import MeanMetricWrapper as MeanMetricWrapper
from capas.keras.metrics.reduction_metrics import MeanTensor as MeanTensor
from capas.keras.metrics.reduction_metrics import Sum as Sum
from capas.keras.metrics.regression_metrics import CosineSimilarity as CosineSimilarity
from capas.keras.metrics.regression_metrics import LogCoshError as LogCoshError
from capas.keras.metrics.regression_metrics import MeanAbsoluteError as MeanAbsoluteError
from capas.keras.metrics.regression_metrics import MeanAbsolutePercentageError as MeanAbsolutePercentageError
from capas.keras.metrics.regression_metrics import MeanSquaredError as MeanSquaredError
from capas.keras.metrics.regression_metrics import MeanSquaredLogarithmicError as MeanSquaredLogarithmicError
from capas.keras.metrics.regression_metrics import R2Score as R2Score
from capas.keras.metrics.regression_metrics import RootMeanSquaredError as RootMeanSquaredError
from capas.keras.metrics.regression_metrics import cosine_similarity as _cosine_similarity
from capas.keras.saving import object_registration as _registration
from capas.keras.saving import serialization_lib as _serialization_lib

# Keras's table: class names, their snake_case, and the short aliases ('mse', 'acc'...): a view
# of the classes the definitions registered (`register_builtin("metrics", ...)`).
ALL_OBJECTS_DICT = _registration.builtin_family("metrics", kind="class")


def serialize(metric):
    """Serialize a `Metric` instance or a metric function to a Keras 3 config dict.

    Args:
        metric: a `Metric` instance or a metric function.

    Returns:
        A dict `{"module", "class_name", "config", "registered_name"}` in
        Keras 3's layout, readable by `deserialize` (and by Keras for
        built-in metrics).

    Example:

    >>> serialize(Mean())["class_name"]
    'Mean'
    """
    return _serialization_lib.serialize_family_object(metric, "metrics", "metric")


def deserialize(config, custom_objects=None):
    """Rebuild a metric from `serialize`'s output or from a name.

    Args:
        config: a config dict (`{"class_name": ..., "config": ...}`) or a
            metric name such as `"auc"` or `"AUC"`.
        custom_objects: (Optional) dict of names to user classes and functions.

    Returns:
        A `Metric` instance, or a function for a serialized function.

    Example:

    >>> deserialize({"class_name": "AUC", "config": {"curve": "PR"}}).curve
    'PR'
    """
    return _serialization_lib.deserialize_family_object(config, "metrics", "metric", custom_objects, name_kind="class")


def get(identifier):
    """Resolve a metric identifier to a `Metric` instance or a metric function.

    Args:
        identifier: None, a name (`"auc"`, `"mse"`, `"SparseCategoricalAccuracy"`,
            a registered `"package>Name"`), a config dict, a `Metric` instance
            or class, or a function `fn(y_true, y_pred)`.

    Returns:
        A `Metric` instance (classes are instantiated with their defaults),
        a function, or None for None.

    Raises:
        ValueError: for an unknown name (listing the closest known names) or
            an object that is not a metric.

    Example:

    >>> type(get("auc")).__name__
    'AUC'
    """
    if identifier is None:
        return None
    return _serialization_lib.get_family_object(
        identifier,
        "metrics",
        "metric",
        accepts="a function `fn(y_true, y_pred)`",
        examples=("accuracy", "auc", "mse"),
        error=ValueError,
        name_kind="class",
    )
