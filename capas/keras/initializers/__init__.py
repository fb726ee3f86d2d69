"""keras.initializers: how weights start, and the `get`/`serialize`/`deserialize` registry."""

import types as _types

import numpy as _np
import torch as _torch

from capas.keras.initializers import _random
from capas.keras.initializers.constant_initializers import Constant as Constant
from capas.keras.initializers.constant_initializers import Constant as constant
from capas.keras.initializers.constant_initializers import Identity as Identity
from capas.keras.initializers.constant_initializers import Identity as IdentityInitializer
from capas.keras.initializers.constant_initializers import Identity as identity
from capas.keras.initializers.constant_initializers import Ones as Ones
from capas.keras.initializers.constant_initializers import Ones as ones
from capas.keras.initializers.constant_initializers import Zeros as Zeros
from capas.keras.initializers.constant_initializers import Zeros as zeros
from capas.keras.initializers.stft import STFT as STFT
from capas.keras.initializers.stft import STFT as STFTInitializer
from capas.keras.initializers.stft import STFT as stft
from capas.keras.initializers.initializer import Initializer as Initializer
from capas.keras.initializers.random_initializers import Orthogonal as Orthogonal
from capas.keras.initializers.random_initializers import Orthogonal as OrthogonalInitializer
from capas.keras.initializers.random_initializers import Orthogonal as orthogonal
from capas.keras.initializers.random_initializers import RandomNormal as RandomNormal
from capas.keras.initializers.random_initializers import RandomNormal as random_normal
from capas.keras.initializers.random_initializers import RandomUniform as RandomUniform
from capas.keras.initializers.random_initializers import RandomUniform as random_uniform
from capas.keras.initializers.random_initializers import TruncatedNormal as TruncatedNormal
from capas.keras.initializers.random_initializers import TruncatedNormal as truncated_normal
from capas.keras.initializers.variance_scaling_initializers import GlorotNormal as GlorotNormal
from capas.keras.initializers.variance_scaling_initializers import GlorotNormal as glorot_normal
from capas.keras.initializers.variance_scaling_initializers import GlorotUniform as GlorotUniform
from capas.keras.initializers.variance_scaling_initializers import GlorotUniform as glorot_uniform
from capas.keras.initializers.variance_scaling_initializers import HeNormal as HeNormal
from capas.keras.initializers.variance_scaling_initializers import HeNormal as he_normal
from capas.keras.initializers.variance_scaling_initializers import HeUniform as HeUniform
from capas.keras.initializers.variance_scaling_initializers import HeUniform as he_uniform
from capas.keras.initializers.variance_scaling_initializers import LecunNormal as LecunNormal
from capas.keras.initializers.variance_scaling_initializers import LecunNormal as lecun_normal
from capas.keras.initializers.variance_scaling_initializers import LecunUniform as LecunUniform
from capas.keras.initializers.variance_scaling_initializers import LecunUniform as lecun_uniform
from capas.keras.initializers.variance_scaling_initializers import (
    VarianceScaling as VarianceScaling,
)
from capas.keras.initializers.variance_scaling_initializers import (
    VarianceScaling as variance_scaling,
)
from capas.keras.saving import object_registration
from capas.keras.saving import serialization_lib as _serialization_lib


def _known_functions():
    """The capas functions that may serve as initializers and be saved by name (`tf.random.normal`...).

    A file names one of these, never code: loading looks the name up here.
    """
    import capas  # in-function: import cycle capas -> keras -> this module

    return {
        "random.normal": capas.random.normal,
        "random.uniform": capas.random.uniform,
        "random.truncated_normal": capas.random.truncated_normal,
        "zeros": capas.zeros,
        "ones": capas.ones,
    }


def _serialize_function(fn):
    for name, known in _known_functions().items():
        if fn is known:
            return {"module": "capas", "class_name": "function", "config": name, "registered_name": "function"}
    registered = object_registration.get_registered_name(fn)
    if registered and object_registration.get_registered_object(registered) is fn:
        return _serialization_lib.serialize_family_object(fn, "initializers", "initializer")
    raise TypeError(
        f"Cannot serialize the initializer function {getattr(fn, '__qualname__', fn)!r}: only capas functions "
        f"({', '.join('tf.' + n for n in _known_functions())}) and functions registered with "
        "keras.saving.register_keras_serializable() are saved by name, and code is never saved. Register it, "
        "or use an initializer class (e.g. keras.initializers.RandomNormal(stddev=1.0))."
    )


def serialize(initializer):
    """Returns the initializer configuration as a Python dict (Keras 3's layout).

    A plain function is stored by name only: a capas function such as
    `tf.random.normal`, or one registered with `register_keras_serializable`.

    Example:

    >>> import capas as tf
    >>> from capas.keras import initializers
    >>> initializers.serialize(initializers.Constant(2.0))["config"]
    {'value': 2.0}
    >>> initializers.serialize(tf.random.normal)["config"]
    'random.normal'
    """
    if isinstance(initializer, (_types.FunctionType, _types.BuiltinFunctionType)):
        return _serialize_function(initializer)
    return _serialization_lib.serialize_family_object(initializer, "initializers", "initializer")


def deserialize(config, custom_objects=None):
    """Returns an initializer from a config dict (or a name).

    Args:
        config: A dict as returned by `serialize()`, or an initializer name.
        custom_objects: Optional dict mapping names to custom classes.
    """
    if isinstance(config, dict) and config.get("class_name") == "function" and config.get("module") == "capas":
        known = _known_functions()
        if config.get("config") not in known:
            raise ValueError(f"Unknown capas initializer function {config.get('config')!r}; known: {sorted(known)}.")
        return known[config["config"]]
    return _serialization_lib.deserialize_family_object(config, "initializers", "initializer", custom_objects)


def get(identifier):
    """Retrieves an initializer via an identifier.

    Args:
        identifier: None (returns None); a name such as `"glorot_uniform"`;
            a config dict `{"class_name": ..., "config": ...}`; an
            `Initializer` class (instantiated with its defaults) or instance;
            a callable `fn(shape, dtype=None)`; or a tensor/array, whose
            values are used for a weight of the same shape.

    Returns:
        An initializer (a callable `(shape, dtype=None) -> torch.Tensor`), or None.

    Example:

    >>> from capas.keras import initializers
    >>> initializers.get("he_normal")
    HeNormal(seed=None, input_axes=None, output_axes=None)
    >>> initializers.get({"class_name": "Constant", "config": {"value": 3.0}})
    Constant(value=3.0)
    """
    if identifier is None:
        return None
    if isinstance(identifier, (_torch.Tensor, _np.ndarray, _np.generic)):
        return _from_values(identifier)
    if isinstance(identifier, dict):
        identifier = deserialize(identifier)
    return _serialization_lib.get_family_object(
        identifier,
        "initializers",
        "initializer",
        accepts="a callable `fn(shape, dtype=None)` or a tensor",
        examples=("glorot_uniform", "he_normal", "zeros"),
    )


def _from_values(values):
    values = _torch.as_tensor(values)

    def initialize_fn(shape, dtype=None):
        shape = _random.standardize_shape(shape, "Initializer from a tensor")
        if shape != tuple(values.shape):
            raise ValueError(
                f"A tensor used as an initializer has shape {tuple(values.shape)}, but the "
                f"weight to initialize has shape {shape}. Pass a tensor of the weight's shape."
            )
        return values.to(_random.standardize_dtype(dtype, "Initializer from a tensor"), copy=True)

    return initialize_fn
