"""Saving: the registry, config (de)serialization, .keras files and weights."""

from capas.keras.saving._errors import InvalidModelFileError as InvalidModelFileError
from capas.keras.saving.object_registration import CustomObjectScope as CustomObjectScope
from capas.keras.saving.object_registration import custom_object_scope as custom_object_scope
from capas.keras.saving.object_registration import get_custom_objects as get_custom_objects
from capas.keras.saving.object_registration import get_registered_name as get_registered_name
from capas.keras.saving.object_registration import get_registered_object as get_registered_object
from capas.keras.saving.object_registration import register_keras_serializable as register_keras_serializable
from capas.keras.saving.file_editor import KerasFileEditor as KerasFileEditor
from capas.keras.saving.saving_api import load_model as load_model
from capas.keras.saving.saving_api import load_weights as load_weights
from capas.keras.saving.saving_api import model_from_json as model_from_json
from capas.keras.saving.saving_api import save_model as save_model
from capas.keras.saving.saving_api import save_weights as save_weights
from capas.keras.saving.serialization_lib import SafeModeScope as SafeModeScope
from capas.keras.saving.serialization_lib import deserialize_keras_object as deserialize_keras_object
from capas.keras.saving.serialization_lib import serialize_keras_object as serialize_keras_object
