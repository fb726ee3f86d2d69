"""keras.legacy.saving: Keras 2's `{"class_name", "config"}` serialization of objects."""

from capas.keras.legacy.saving.serialization import deserialize_keras_object as deserialize_keras_object
from capas.keras.legacy.saving.serialization import serialize_keras_object as serialize_keras_object
