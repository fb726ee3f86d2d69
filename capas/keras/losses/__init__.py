"""capas.keras.losses: Keras 3's losses on PyTorch, and the loss registry."""

from capas.keras.losses._compat import KLD as KLD
from capas.keras.losses._compat import MAE as MAE
from capas.keras.losses._compat import MAPE as MAPE
from capas.keras.losses._compat import MSE as MSE
from capas.keras.losses._compat import MSLE as MSLE
from capas.keras.losses._compat import Reduction as Reduction
from capas.keras.losses._compat import kld as kld
from capas.keras.losses._compat import kullback_leibler_divergence as kullback_leibler_divergence
from capas.keras.losses._compat import logcosh as logcosh
from capas.keras.losses._compat import mae as mae
from capas.keras.losses._compat import mape as mape
from capas.keras.losses._compat import mse as mse
from capas.keras.losses._compat import msle as msle
from capas.keras.losses.crossentropy import binary_crossentropy as binary_crossentropy
from capas.keras.losses.crossentropy import binary_focal_crossentropy as binary_focal_crossentropy
from capas.keras.losses.crossentropy import categorical_crossentropy as categorical_crossentropy
from capas.keras.losses.crossentropy import (
    categorical_focal_crossentropy as categorical_focal_crossentropy,
)
from capas.keras.losses.crossentropy import (
    categorical_generalized_cross_entropy as categorical_generalized_cross_entropy,
)
from capas.keras.losses.crossentropy import ctc as ctc
from capas.keras.losses.crossentropy import (
    sparse_categorical_crossentropy as sparse_categorical_crossentropy,
)
from capas.keras.losses.hinge import CategoricalHinge as CategoricalHinge
from capas.keras.losses.hinge import Hinge as Hinge
from capas.keras.losses.hinge import SquaredHinge as SquaredHinge
from capas.keras.losses.loss import Loss as Loss
from capas.keras.losses.loss_function_wrapper import LossFunctionWrapper as LossFunctionWrapper
from capas.keras.losses.losses import categorical_hinge as categorical_hinge
from capas.keras.losses.losses import cosine_similarity as cosine_similarity
from capas.keras.losses.losses import dice as dice
from capas.keras.losses.losses import hinge as hinge
from capas.keras.losses.losses import huber as huber
from capas.keras.losses.losses import kl_divergence as kl_divergence
from capas.keras.losses.losses import log_cosh as log_cosh
from capas.keras.losses.losses import mean_absolute_error as mean_absolute_error
from capas.keras.losses.losses import (
    mean_absolute_percentage_error as mean_absolute_percentage_error,
)
from capas.keras.losses.losses import mean_squared_error as mean_squared_error
from capas.keras.losses.losses import (
    mean_squared_logarithmic_error as mean_squared_logarithmic_error,
)
from capas.keras.losses.losses import poisson as poisson
from capas.keras.losses.losses import squared_hinge as squared_hinge
from capas.keras.losses.losses import tversky as tversky
from capas.keras.losses.probabilistic import CTC as CTC
from capas.keras.losses.probabilistic import BinaryCrossentropy as BinaryCrossentropy
from capas.keras.losses.probabilistic import BinaryFocalCrossentropy as BinaryFocalCrossentropy
from capas.keras.losses.probabilistic import CategoricalCrossentropy as CategoricalCrossentropy
from capas.keras.losses.probabilistic import (
    CategoricalFocalCrossentropy as CategoricalFocalCrossentropy,
)
from capas.keras.losses.probabilistic import (
    CategoricalGeneralizedCrossEntropy as CategoricalGeneralizedCrossEntropy,
)
from capas.keras.losses.probabilistic import KLDivergence as KLDivergence
from capas.keras.losses.probabilistic import Poisson as Poisson
from capas.keras.losses.probabilistic import (
    SparseCategoricalCrossentropy as SparseCategoricalCrossentropy,
)
from capas.keras.losses.regression import CosineSimilarity as CosineSimilarity
from capas.keras.losses.regression import Huber as Huber
from capas.keras.losses.regression import LogCosh as LogCosh
from capas.keras.losses.regression import MeanAbsoluteError as MeanAbsoluteError
from capas.keras.losses.regression import (
    MeanAbsolutePercentageError as MeanAbsolutePercentageError,
)
from capas.keras.losses.regression import MeanSquaredError as MeanSquaredError
from capas.keras.losses.regression import (
    MeanSquaredLogarithmicError as MeanSquaredLogarithmicError,
)
from capas.keras.losses.segmentation import Dice as Dice
from capas.keras.losses.segmentation import Tversky as Tversky
from capas.keras.losses.similarity import Circle as Circle
from capas.keras.losses.similarity import circle as circle
from capas.keras.saving import object_registration as _object_registration
from capas.keras.saving import serialization_lib as _serialization_lib

# Every loss class and function by its own name, plus Keras's short and legacy aliases
# ('mse', 'kld', 'logcosh'): a view of what the definitions registered (`register_builtin("losses")`).
ALL_OBJECTS_DICT = _object_registration.builtin_family("losses")


def serialize(loss):
    """Serialize a loss function or `Loss` instance to Keras 3's dict layout.

    Args:
        loss: A `Loss` instance or a loss function.

    Returns:
        A dict with `module`, `class_name`, `config` and `registered_name`
        (a function is `{"module": "builtins", "class_name": "function",
        "config": its name, "registered_name": "function"}`, as Keras writes).

    Example:

    >>> serialize(mean_squared_error)["config"]
    'mean_squared_error'
    """
    return _serialization_lib.serialize_family_object(loss, "losses", "loss")


def deserialize(name, custom_objects=None):
    """Rebuild a loss function or `Loss` instance from `serialize`'s output or a name.

    Args:
        name: A serialized dict or a loss name.
        custom_objects: Optional dict of names to custom classes/functions.

    Returns:
        A `Loss` instance or a loss function.

    Example:

    >>> deserialize(serialize(Huber(delta=2.0))).delta
    2.0
    """
    return _serialization_lib.deserialize_family_object(name, "losses", "loss", custom_objects)


def get(identifier):
    """Resolve a loss identifier: a name, a config dict, a class, a function or an instance.

    A string naming a function (`'mse'`, `'categorical_crossentropy'`)
    returns the function; one naming a class (`'Huber'`) returns a default
    instance, as do classes. Registered custom objects (`'package>Name'`)
    resolve through the registry.

    Args:
        identifier: The loss identifier, or None.

    Returns:
        A loss function or `Loss` instance (None for None).

    Raises:
        ValueError: for an unknown name (listing the closest known names) or
            an object that is not callable.

    Example:

    >>> get("mse") is mean_squared_error
    True
    >>> type(get("Huber")).__name__
    'Huber'
    """
    if identifier is None:
        return None
    return _serialization_lib.get_family_object(
        identifier,
        "losses",
        "loss",
        accepts="a function `fn(y_true, y_pred)`",
        examples=("mse", "categorical_crossentropy"),
        error=ValueError,
    )
