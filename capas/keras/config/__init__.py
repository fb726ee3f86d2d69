"""keras.config: global settings (float dtype, epsilon, image data format, dtype policy)."""

from capas.keras.layers._dtype_policy import global_policy as dtype_policy
from capas.keras.layers._dtype_policy import set_global_policy as set_dtype_policy
from capas.keras.saving.serialization_lib import enable_unsafe_deserialization as enable_unsafe_deserialization

_SETTINGS = {"floatx": "float32", "epsilon": 1e-7, "image_data_format": "channels_last"}


def floatx():
    """The default float dtype name ('float32')."""
    return _SETTINGS["floatx"]


def set_floatx(value):
    if value not in ("float16", "bfloat16", "float32", "float64"):
        raise ValueError(
            f"set_floatx: unknown float dtype {value!r}; use 'float16', 'bfloat16', 'float32' or 'float64'."
        )
    _SETTINGS["floatx"] = value


def epsilon():
    """The fuzz factor used in numeric expressions (1e-7)."""
    return _SETTINGS["epsilon"]


def set_epsilon(value):
    _SETTINGS["epsilon"] = float(value)


def image_data_format():
    """'channels_last' (the default, as Keras) or 'channels_first'."""
    return _SETTINGS["image_data_format"]


def set_image_data_format(value):
    if value not in ("channels_last", "channels_first"):
        raise ValueError(f"set_image_data_format: expected 'channels_last' or 'channels_first', received {value!r}.")
    _SETTINGS["image_data_format"] = value


def backend():
    return "torch"


__all__ = [
    "floatx",
    "set_floatx",
    "epsilon",
    "set_epsilon",
    "image_data_format",
    "set_image_data_format",
    "backend",
    "dtype_policy",
    "set_dtype_policy",
    "enable_unsafe_deserialization",
]
