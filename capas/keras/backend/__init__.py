"""keras.backend: the few backend functions tutorials call."""

from capas.keras.config import epsilon as epsilon
from capas.keras.config import floatx as floatx
from capas.keras.config import image_data_format as image_data_format
from capas.keras.config import set_epsilon as set_epsilon
from capas.keras.config import set_floatx as set_floatx
from capas.keras.utils.misc import clear_session as clear_session


def backend():
    """The engine behind capas: always 'torch'."""
    return "torch"
