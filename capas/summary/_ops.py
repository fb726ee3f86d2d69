"""The summary ops: `write`, `scalar`, `histogram`, `image`, `text`, `audio`, `graph`, tracing.

Each writes the tensor summary TensorFlow 2 writes: the same tag (the name under the
active `tf.name_scope`s), the same plugin metadata (TensorBoard's own
`create_summary_metadata`), dtype and shape, so TensorBoard shows it as it shows TF's.
"""

import io as _io
import warnings

import numpy as np
import torch

from capas.audio import encode_wav
from capas.ops import strings as _strings
from capas.summary import _writer
from capas.variables import current_scope


def _tb():
    try:
        from tensorboard.compat.proto import summary_pb2
        from tensorboard.util import tensor_util
    except ImportError as exc:
        raise ImportError("tf.summary needs the `tensorboard` package: `pip install tensorboard`.") from exc
    return summary_pb2, tensor_util


def _tag(name):
    scope = current_scope()
    return f"{scope}/{name}" if scope else str(name)


def _numpy(value):
    if isinstance(value, _strings.StringTensor):
        return np.asarray(value.numpy(), dtype=object)
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    if _strings.is_string_value(value):
        return np.asarray(_strings.StringTensor(value).numpy(), dtype=object)
    return np.asarray(value)


def write(tag, tensor, step=None, metadata=None, name=None):
    """Write `tensor` under `tag` at `step` to the default writer.

    Args:
        tag: the summary's tag.
        tensor: a tensor (or a callable returning one, called only when a summary is written).
        step: the step (default `tf.summary.experimental.get_step()`).
        metadata: a `SummaryMetadata` proto, its serialized bytes, or None.
        name: unused (TensorFlow's op name).

    Returns:
        True when written; False without a default writer or when `record_if` is false.

    Raises:
        ValueError: a writer is set but no step was given or set.
    """
    writer = _writer.default_writer()
    if writer is None or isinstance(writer, _writer._NoopWriter) or not _writer._condition_holds():
        return False
    step = _writer.resolve_step(step)
    if callable(tensor):
        tensor = tensor()
    summary_pb2, tensor_util = _tb()
    array = _numpy(tensor)
    if array.dtype == object:
        proto = tensor_util.make_tensor_proto(array.tolist() if array.ndim else array.item(), shape=list(array.shape))
        from tensorboard.compat.proto import types_pb2

        proto.dtype = types_pb2.DT_STRING
    else:
        proto = tensor_util.make_tensor_proto(array)
    if metadata is None:
        metadata = summary_pb2.SummaryMetadata()
    elif isinstance(metadata, bytes):
        metadata = summary_pb2.SummaryMetadata.FromString(metadata)
    summary = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=tag, metadata=metadata, tensor=proto)])
    writer._write(summary, step)
    return True


def _plugin_metadata(plugin, description, **kwargs):
    import importlib

    try:
        module = importlib.import_module(f"tensorboard.plugins.{plugin}.metadata")
    except ImportError as exc:
        raise ImportError("tf.summary needs the `tensorboard` package: `pip install tensorboard`.") from exc
    return module.create_summary_metadata(display_name=None, description=description, **kwargs)


def scalar(name, data, step=None, description=None):
    """Write a scalar (as float32) for TensorBoard's Scalars dashboard.

    Example:

    >>> import capas as tf, tempfile
    >>> with tf.summary.create_file_writer(tempfile.mkdtemp()).as_default():
    ...     tf.summary.scalar("loss", 0.25, step=1)
    True
    >>> tf.summary.scalar("loss", 0.25, step=1)  # no default writer
    False
    """
    if _writer.default_writer() is None:
        return False

    def tensor():
        value = _numpy(data)
        if value.size != 1 or value.ndim != 0:
            raise ValueError(
                f"tf.summary.scalar {name!r}: `data` must be a scalar; received shape {list(value.shape)}."
            )
        return value.astype(np.float32)

    return write(_tag(name), tensor, step, _plugin_metadata("scalar", description))


def _buckets(data, bucket_count):
    """TensorBoard's histogram buckets `[k, 3]` (left edge, right edge, count) in float64."""
    data = data.reshape(-1).astype(np.float64)
    bucket_count = max(0, int(bucket_count))
    if data.size == 0 or bucket_count == 0:
        return np.zeros((bucket_count, 3), np.float64)
    low, high = data.min(), data.max()
    width = high - low
    if width == 0:
        counts = np.zeros(bucket_count)
        counts[-1] = data.size
        edges = np.full(bucket_count, high)
        return np.stack([edges, edges, counts], axis=1)
    index = np.minimum(np.floor((data - low) / (width / bucket_count)).astype(np.int64), bucket_count - 1)
    counts = np.bincount(index, minlength=bucket_count).astype(np.float64)
    edges = low + np.arange(bucket_count + 1) * ((high - low) / bucket_count)
    edges[-1] = high
    return np.stack([edges[:-1], edges[1:], counts], axis=1)


def histogram(name, data, step=None, buckets=None, description=None):
    """Write a histogram of all the values of `data` (30 equal-width buckets by default).

    Example:

    >>> import capas as tf, tempfile
    >>> with tf.summary.create_file_writer(tempfile.mkdtemp()).as_default():
    ...     tf.summary.histogram("weights", tf.range(10.0), step=0, buckets=5)
    True
    """
    if _writer.default_writer() is None:
        return False
    count = 30 if buckets is None else buckets
    return write(
        _tag(name),
        lambda: _buckets(_numpy(data), count),
        step,
        _plugin_metadata("histogram", description),
    )


def _encode_png(image):
    try:
        from PIL import Image
    except ImportError as exc:
        raise ImportError("tf.summary.image needs Pillow to encode PNG: `pip install pillow`.") from exc
    channels = image.shape[-1]
    mode = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}[channels]
    buffer = _io.BytesIO()
    Image.fromarray(image[..., 0] if channels == 1 else image, mode).save(buffer, format="PNG")
    return buffer.getvalue()


def _to_uint8(images):
    if images.dtype == np.uint8:
        return images
    if np.issubdtype(images.dtype, np.floating):
        # tf.image.convert_image_dtype(..., tf.uint8, saturate=True): scale by 255.5, truncate
        return np.clip(images.astype(np.float32) * np.float32(255.5), 0, 255).astype(np.uint8)
    raise TypeError(f"tf.summary.image: images must be uint8 or float in [0, 1]; received {images.dtype}.")


def image(name, data, step=None, max_outputs=3, description=None):
    """Write up to `max_outputs` images `[k, h, w, c]` (c in 1..4; uint8, or float in [0, 1]) as PNG.

    Example:

    >>> import capas as tf, tempfile
    >>> with tf.summary.create_file_writer(tempfile.mkdtemp()).as_default():
    ...     tf.summary.image("img", tf.zeros([2, 4, 5, 3]), step=0)
    True
    """
    if _writer.default_writer() is None:
        return False

    def tensor():
        images = _numpy(data)
        if images.ndim != 4 or images.shape[-1] not in (1, 2, 3, 4):
            raise ValueError(
                f"tf.summary.image {name!r}: `data` must be 4-D [k, height, width, channels] with 1 to 4 "
                f"channels; received shape {list(images.shape)}. Add a batch axis with tf.expand_dims(x, 0)."
            )
        pixels = _to_uint8(images)
        encoded = [_encode_png(pixels[i]) for i in range(min(int(max_outputs), pixels.shape[0]))]
        dims = [str(images.shape[2]).encode(), str(images.shape[1]).encode()]
        return _strings.StringTensor(np.array(dims + encoded, dtype=object))

    return write(_tag(name), tensor, step, _plugin_metadata("image", description))


def text(name, data, step=None, description=None):
    """Write a string (or a tensor of strings) for TensorBoard's Text dashboard.

    Example:

    >>> import capas as tf, tempfile
    >>> with tf.summary.create_file_writer(tempfile.mkdtemp()).as_default():
    ...     tf.summary.text("note", "hello", step=0)
    True
    """
    if _writer.default_writer() is None:
        return False
    return write(_tag(name), lambda: _strings.as_string_tensor(data), step, _plugin_metadata("text", description))


def audio(name, data, sample_rate, step=None, max_outputs=3, encoding=None, description=None):
    """Write up to `max_outputs` clips `[k, samples, channels]` (float in [-1, 1]) as WAV.

    Example:

    >>> import capas as tf, tempfile
    >>> with tf.summary.create_file_writer(tempfile.mkdtemp()).as_default():
    ...     tf.summary.audio("clip", tf.zeros([1, 100, 1]), 8000, step=0)
    True
    """
    if encoding is None:
        encoding = "wav"
    if encoding != "wav":
        raise ValueError(f"tf.summary.audio: unknown encoding {encoding!r}; only 'wav' is supported (as in TF).")
    if _writer.default_writer() is None:
        return False
    from tensorboard.plugins.audio import metadata as audio_metadata

    def tensor():
        clips = torch.as_tensor(_numpy(data))
        if clips.ndim != 3:
            raise ValueError(
                f"tf.summary.audio {name!r}: `data` must be 3-D [k, samples, channels]; received shape "
                f"{list(clips.shape)}."
            )
        rate = int(_numpy(sample_rate))
        rows = [[encode_wav(clip, rate).numpy(), b""] for clip in clips[: int(max_outputs)]]
        return _strings.StringTensor(np.array(rows, dtype=object).reshape(len(rows), 2))

    metadata = _plugin_metadata("audio", description, encoding=audio_metadata.Encoding.Value("WAV"))
    return write(_tag(name), tensor, step, metadata)


def graph(graph_data):
    """TensorFlow writes a `tf.Graph`'s GraphDef here; capas runs PyTorch, which has no tf.Graph.

    Raises:
        TypeError: always, naming what to use instead.
    """
    raise TypeError(
        f"tf.summary.graph: capas has no tf.Graph or GraphDef to write (received {type(graph_data).__name__}). "
        "For a model's structure use keras.callbacks.TensorBoard(write_graph=True), which writes the "
        "Keras model graph; for a PyTorch trace use torch.utils.tensorboard.SummaryWriter.add_graph."
    )


_trace = {"on": False}


def trace_on(graph=True, profiler=False, profiler_outdir=None):
    """Start a trace. In capas this only records that tracing is on (see `trace_export`)."""
    _trace["on"] = True


def trace_off():
    """Stop the trace started by `trace_on`."""
    _trace["on"] = False


def trace_export(name, step=None, profiler_outdir=None):
    """Writes nothing: capas functions are PyTorch code, with no TF graph to export.

    Warns (as TF does when no trace was started) and returns; use `torch.profiler`
    with `torch.profiler.tensorboard_trace_handler(logdir)` for a profile TensorBoard shows.
    """
    if not _trace["on"]:
        warnings.warn("Cannot export trace because trace has not been started.", stacklevel=2)
        return
    _trace["on"] = False
    warnings.warn(
        f"tf.summary.trace_export({name!r}): capas has no TF graph or TF profile to export; nothing was written. "
        "Use torch.profiler with torch.profiler.tensorboard_trace_handler(logdir) for a profile.",
        stacklevel=2,
    )
