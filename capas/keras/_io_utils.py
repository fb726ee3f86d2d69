"""Interactive logging: where the progress bar and `model.summary()` write.

Keras 3 writes them to stdout while interactive logging is on (the default) and to
`absl.logging` once `keras.config.disable_interactive_logging()` is called, so that a
server job's stdout stays clean. capas sends them to the standard `logging` module
instead (logger `"capas.keras"`, level INFO), which needs no extra dependency.
"""

import logging
import sys

_STATE = {"interactive": True}
_LOGGER = logging.getLogger("capas.keras")


def enable_interactive_logging():
    """Send the progress bar and `model.summary()` to stdout (the default).

    Example:

    >>> from capas import keras
    >>> keras.config.enable_interactive_logging()
    >>> keras.config.is_interactive_logging_enabled()
    True
    """
    _STATE["interactive"] = True


def disable_interactive_logging():
    """Send the progress bar and `model.summary()` to `logging` instead of stdout.

    The messages go to the logger `"capas.keras"` at level INFO, so a job that
    configures no logging prints nothing.

    Differs from Keras: Keras logs through `absl.logging`; capas uses the standard
    `logging` module.

    Example:

    >>> from capas import keras
    >>> keras.config.disable_interactive_logging()
    >>> keras.config.is_interactive_logging_enabled()
    False
    >>> keras.config.enable_interactive_logging()
    """
    _STATE["interactive"] = False


def is_interactive_logging_enabled():
    """True while the progress bar and summaries are written to stdout.

    Example:

    >>> from capas import keras
    >>> keras.utils.is_interactive_logging_enabled()
    True
    """
    return _STATE["interactive"]


def print_msg(message, line_break=True):
    """Write `message` to stdout, or to the `"capas.keras"` logger when interactive logging is off."""
    message = str(message)
    if _STATE["interactive"]:
        sys.stdout.write(f"{message}\n" if line_break else message)
        sys.stdout.flush()
    else:
        _LOGGER.info(message.rstrip("\n"))
