"""keras.config: global settings (float dtype, epsilon, image data format, dtype policy)."""

from capas.keras._config_flags import disable_flash_attention as disable_flash_attention
from capas.keras._config_flags import disable_traceback_filtering as disable_traceback_filtering
from capas.keras._config_flags import enable_flash_attention as enable_flash_attention
from capas.keras._config_flags import enable_traceback_filtering as enable_traceback_filtering
from capas.keras._config_flags import is_flash_attention_enabled as is_flash_attention_enabled
from capas.keras._config_flags import is_nnx_enabled as is_nnx_enabled
from capas.keras._config_flags import is_traceback_filtering_enabled as is_traceback_filtering_enabled
from capas.keras._config_flags import max_epochs as max_epochs
from capas.keras._config_flags import max_steps_per_epoch as max_steps_per_epoch
from capas.keras._config_flags import set_backend as set_backend
from capas.keras._config_flags import set_max_epochs as set_max_epochs
from capas.keras._config_flags import set_max_steps_per_epoch as set_max_steps_per_epoch
from capas.keras._io_utils import disable_interactive_logging as disable_interactive_logging
from capas.keras._io_utils import enable_interactive_logging as enable_interactive_logging
from capas.keras._io_utils import is_interactive_logging_enabled as is_interactive_logging_enabled
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
    "disable_flash_attention",
    "disable_traceback_filtering",
    "enable_flash_attention",
    "enable_traceback_filtering",
    "is_flash_attention_enabled",
    "is_nnx_enabled",
    "is_traceback_filtering_enabled",
    "max_epochs",
    "max_steps_per_epoch",
    "set_backend",
    "set_max_epochs",
    "set_max_steps_per_epoch",
    "disable_interactive_logging",
    "enable_interactive_logging",
    "is_interactive_logging_enabled",
]
