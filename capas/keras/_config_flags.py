"""The `keras.config` switches beyond dtypes: run caps, flash attention, traceback filtering, backend.

They live here, below `keras.config`, because layers and the trainer read them and `keras.config`
imports layers (a module of `keras.config` would close an import cycle).

`max_epochs`/`max_steps_per_epoch` cap `fit`, `evaluate` and `predict` as Keras 3 does (for
quick debugging runs; also read from `KERAS_MAX_EPOCHS` / `KERAS_MAX_STEPS_PER_EPOCH` at import).
"""

import os
import warnings

_FLAGS = {
    "max_epochs": int(os.environ["KERAS_MAX_EPOCHS"]) if "KERAS_MAX_EPOCHS" in os.environ else None,
    "max_steps_per_epoch": (
        int(os.environ["KERAS_MAX_STEPS_PER_EPOCH"]) if "KERAS_MAX_STEPS_PER_EPOCH" in os.environ else None
    ),
    "flash_attention": None,
    "traceback_filtering": True,
}


def set_max_epochs(max_epochs):
    """Cap the number of epochs of every `fit` call (`None`: no cap).

    Args:
        max_epochs: An int, or `None` to remove the cap.

    Example:

    >>> from capas import keras
    >>> keras.config.set_max_epochs(2)
    >>> keras.config.max_epochs()
    2
    >>> keras.config.set_max_epochs(None)
    """
    _FLAGS["max_epochs"] = max_epochs


def set_max_steps_per_epoch(max_steps_per_epoch):
    """Cap the steps of each epoch of `fit`, `evaluate` and `predict` (`None`: no cap).

    Args:
        max_steps_per_epoch: An int, or `None` to remove the cap.

    Example:

    >>> from capas import keras
    >>> keras.config.set_max_steps_per_epoch(3)
    >>> keras.config.max_steps_per_epoch()
    3
    >>> keras.config.set_max_steps_per_epoch(None)
    """
    _FLAGS["max_steps_per_epoch"] = max_steps_per_epoch


def max_epochs():
    """The cap set by `set_max_epochs` or `KERAS_MAX_EPOCHS`, or `None`."""
    return _FLAGS["max_epochs"]


def max_steps_per_epoch():
    """The cap set by `set_max_steps_per_epoch` or `KERAS_MAX_STEPS_PER_EPOCH`, or `None`."""
    return _FLAGS["max_steps_per_epoch"]


def capped_epochs(epochs):
    """`epochs`, lowered to `max_epochs()` with Keras's warning when a cap is set and smaller."""
    cap = _FLAGS["max_epochs"]
    if cap and cap < epochs:
        warnings.warn("Limiting epochs to %d" % cap, stacklevel=3)
        return cap
    return epochs


def capped_steps(steps):
    """`steps`, lowered to `max_steps_per_epoch()` (or set to it when `steps` is None), as Keras."""
    cap = _FLAGS["max_steps_per_epoch"]
    if cap and (not steps or cap < steps):
        warnings.warn("Limiting steps_per_epoch to %d" % cap, stacklevel=3)
        return cap
    return steps


def enable_flash_attention():
    """Let attention layers use the flash kernel where PyTorch can (the default, as Keras).

    As in Keras, this sets the global flag back to `None` ("use it when possible").

    Example:

    >>> from capas import keras
    >>> keras.config.enable_flash_attention()
    >>> keras.config.is_flash_attention_enabled() is None
    True
    """
    _FLAGS["flash_attention"] = None


def disable_flash_attention():
    """Keep attention layers off the flash kernel.

    `MultiHeadAttention` then runs `scaled_dot_product_attention` with the flash backend
    excluded (the memory-efficient, cuDNN and math kernels remain). On CPU, where PyTorch has
    no flash kernel, nothing changes.

    Example:

    >>> from capas import keras
    >>> keras.config.disable_flash_attention()
    >>> keras.config.is_flash_attention_enabled()
    False
    >>> keras.config.enable_flash_attention()
    """
    _FLAGS["flash_attention"] = False


def is_flash_attention_enabled():
    """`False` after `disable_flash_attention()`, else `None` (enabled where possible), as Keras."""
    return _FLAGS["flash_attention"]


def enable_traceback_filtering():
    """Turn traceback filtering on (the default).

    Differs from Keras: capas adds no internal frames to filter (errors are raised where the
    user's call went wrong and name the layer), so this switch only records the setting that
    `is_traceback_filtering_enabled()` reports.
    """
    _FLAGS["traceback_filtering"] = True


def disable_traceback_filtering():
    """Turn traceback filtering off (recorded only; see `enable_traceback_filtering`).

    Example:

    >>> from capas import keras
    >>> keras.config.disable_traceback_filtering()
    >>> keras.config.is_traceback_filtering_enabled()
    False
    >>> keras.config.enable_traceback_filtering()
    """
    _FLAGS["traceback_filtering"] = False


def is_traceback_filtering_enabled():
    """Whether traceback filtering is on (`True` by default)."""
    return _FLAGS["traceback_filtering"]


def is_nnx_enabled():
    """Always `False`: Flax NNX is a JAX-backend feature, and capas runs on PyTorch."""
    return False


_KERAS_BACKENDS = ("tensorflow", "jax", "torch", "numpy", "openvino")


def set_backend(backend):
    """Keras's backend switch: capas runs on PyTorch only, so only `"torch"` is accepted.

    Args:
        backend: `"torch"`. Keras's other backends raise a ValueError saying so.

    Example:

    >>> from capas import keras
    >>> keras.config.set_backend("torch")
    >>> keras.config.backend()
    'torch'
    """
    if backend == "torch":
        return
    if backend in _KERAS_BACKENDS:
        raise ValueError(
            f"keras.config.set_backend: capas runs Keras code on PyTorch only; received backend={backend!r}. "
            "Use backend='torch' (the one capas has), or the `keras` package itself for the "
            f"{backend} backend."
        )
    raise ValueError(
        f"keras.config.set_backend: unknown backend {backend!r}. Keras's backends are {_KERAS_BACKENDS}; "
        "capas runs on 'torch' only."
    )
