"""`keras.layers.serialize` / `deserialize`: a layer to its config dict and back (Keras 3's API)."""

from capas.keras.saving.serialization_lib import serialize_keras_object
from capas.keras.saving.serialization_lib import deserialize_keras_object


def serialize(layer):
    """The Keras 3 config dict of a layer (`module`, `class_name`, `config`, `registered_name`).

    Example:

    >>> from capas import keras
    >>> config = keras.layers.serialize(keras.layers.Dense(3, name="d"))
    >>> config["class_name"], config["config"]["units"]
    ('Dense', 3)
    """
    return serialize_keras_object(layer)


def deserialize(config, custom_objects=None):
    """A new layer from `serialize`'s dict (classes resolved through the registry only, never imported).

    Example:

    >>> from capas import keras
    >>> layer = keras.layers.deserialize(keras.layers.serialize(keras.layers.Dense(3, name="d")))
    >>> type(layer).__name__, layer.units
    ('Dense', 3)
    """
    return deserialize_keras_object(config, custom_objects=custom_objects)
