"""`keras.export.ExportArchive`, which capas cannot build: it writes TensorFlow graphs."""

_MESSAGE = (
    "keras.export.ExportArchive writes a TensorFlow SavedModel (serving endpoints traced into TF "
    "graphs), and capas runs on PyTorch without TensorFlow, so it cannot build one. Instead: "
    "model.save('model.keras') for a file Keras 3 and capas both load; tf.saved_model.save(model, "
    "export_dir) for capas's own SavedModel folder (docs/checkpoints.md); or torch.export.export(model, "
    "(example_input,)) / torch.onnx.export(model, (example_input,), 'model.onnx') for a graph that "
    "serves without Python, since a capas model is a torch.nn.Module."
)


class ExportArchive:
    """Keras 3's SavedModel exporter; in capas, constructing one raises NotImplementedError.

    The message names the capas alternatives: `model.save("model.keras")`,
    `tf.saved_model.save(model, export_dir)` (capas's format, no graph), and
    `torch.export` / `torch.onnx.export` (a capas model is a `torch.nn.Module`).

    Example:

    >>> from capas import keras
    >>> keras.export.ExportArchive()
    Traceback (most recent call last):
    ...
    NotImplementedError: keras.export.ExportArchive writes a TensorFlow SavedModel ...
    """

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(_MESSAGE)
