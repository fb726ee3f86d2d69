"""`keras.version()` and `keras.__version__`: the Keras release whose API capas follows."""

__version__ = "3.15.1"


def version():
    """The Keras version capas implements (its tests compare against this `keras` release).

    Code that checks `keras.version().startswith("3.")` takes the Keras 3 path.

    Example:

    >>> from capas import keras
    >>> keras.version()
    '3.15.1'
    """
    return __version__
