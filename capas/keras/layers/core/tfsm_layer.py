"""`TFSMLayer`: the name Keras exports for calling a TensorFlow SavedModel, which capas cannot run."""

from capas.keras.layers.layer import Layer
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class TFSMLayer(Layer):
    """Keras's layer over a TF SavedModel's endpoint: present so the name resolves; constructing it raises.

    A SavedModel holds a TensorFlow graph; capas runs on PyTorch and has no
    TensorFlow runtime to execute it.

    Raises:
        NotImplementedError: always, naming why and what to use instead.

    Example:

    >>> from capas.keras import layers
    >>> layers.TFSMLayer("exported_model", call_endpoint="serve")
    Traceback (most recent call last):
    ...
    NotImplementedError: TFSMLayer('exported_model') would call a TensorFlow SavedModel graph, ...
    """

    def __init__(self, filepath=None, *args, **kwargs):
        raise NotImplementedError(
            f"TFSMLayer({filepath!r}) would call a TensorFlow SavedModel graph, which capas (a PyTorch runtime) "
            "cannot execute. Save the model as a `.keras` file from Keras instead (model.save('m.keras')) and "
            "load it with keras.models.load_model, or rebuild the model in capas and load its weights "
            "(model.load_weights('m.weights.h5'))."
        )
