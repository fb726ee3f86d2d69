"""keras.backend: the backend functions tutorials call (settings, dtypes, get_value/set_value)."""

from capas.keras.backend._values import count_params as count_params
from capas.keras.backend._values import get_uid as get_uid
from capas.keras.backend._values import get_value as get_value
from capas.keras.backend._values import int_shape as int_shape
from capas.keras.backend._values import is_float_dtype as is_float_dtype
from capas.keras.backend._values import is_int_dtype as is_int_dtype
from capas.keras.backend._values import result_type as result_type
from capas.keras.backend._values import set_value as set_value
from capas.keras.backend._values import standardize_dtype as standardize_dtype
from capas.keras.backend.variable import Variable as Variable
from capas.keras.config import epsilon as epsilon
from capas.keras.config import floatx as floatx
from capas.keras.config import image_data_format as image_data_format
from capas.keras.config import set_epsilon as set_epsilon
from capas.keras.config import set_floatx as set_floatx
from capas.keras.config import set_image_data_format as set_image_data_format
from capas.keras.layers._symbolic import is_keras_tensor as is_keras_tensor
from capas.keras.utils.misc import clear_session as clear_session


def backend():
    """The engine behind capas: always 'torch'."""
    return "torch"
