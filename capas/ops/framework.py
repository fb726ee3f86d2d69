"""Eager-mode utilities: `tf.print`, `tf.is_tensor`, `tf.executing_eagerly`, `tf.device`."""

import builtins
import sys

import numpy as np
import torch

from capas._function._trace import current_recorder

Tensor = torch.Tensor  # `isinstance(x, tf.Tensor)`: capas tensors are torch tensors


def is_tensor(x):
    """True for tensors and variables (anything that is a `torch.Tensor`)."""
    return isinstance(x, torch.Tensor)


def executing_eagerly():
    """Always True: capas runs eagerly (PyTorch) unless a function is compiled."""
    return True


def _format(value, summarize):
    if isinstance(value, torch.Tensor):
        arr = value.detach().cpu()
        if arr.dtype == torch.bfloat16:
            arr = arr.float()
        arr = arr.numpy()
        if arr.ndim == 0:
            return _format_item(arr)
        edge = 3 if summarize is None else (summarize if summarize >= 0 else arr.size)
        formatter = {"float_kind": _format_item, "bool": _format_item}
        return np.array2string(arr, separator=" ", threshold=2 * edge, edgeitems=edge, formatter=formatter)
    if isinstance(value, (list, tuple)):
        items = ", ".join(_format_nested(v, summarize) for v in value)
        return f"[{items}]" if isinstance(value, list) else f"({items})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_format_nested(v, summarize)}" for k, v in value.items()) + "}"
    return str(value)


def _format_nested(value, summarize):
    # Inside a list or dict, TF shows Python values as Python does (strings quoted).
    if isinstance(value, (torch.Tensor, list, tuple, dict)):
        return _format(value, summarize)
    return repr(value)


def _format_item(x):
    # TF prints floats with 6 significant digits, or 9 where 6 do not read back (15/17 for
    # float64), and booleans as 1/0.
    if isinstance(x, (np.bool_, bool)):
        return "1" if x else "0"
    if isinstance(x, np.floating) or (isinstance(x, np.ndarray) and x.dtype.kind == "f"):
        kind = np.float64 if np.asarray(x).dtype == np.float64 else np.float32
        short, full = (15, 17) if kind is np.float64 else (6, 9)
        text = f"{float(x):.{short}g}"
        if kind(text) != kind(x):  # the shortest of TF's two precisions that reads back the same
            text = f"{float(x):.{full}g}"
        return text
    if isinstance(x, np.ndarray):
        return _format_item(x.item()) if x.dtype == np.bool_ else str(x.item())
    return str(x)


def print(*inputs, output_stream=None, summarize=3, sep=" ", end="\n", name=None):
    """Print tensors (as their values) and other objects, by default to stderr as TF does.

    Args:
        *inputs: tensors, numbers, strings or nested lists/dicts of them.
        output_stream: `sys.stdout`, `sys.stderr` (default) or `'file://path'`.
        summarize: entries shown at each end of long axes (-1: all).
    """
    recorder = current_recorder()
    if recorder is not None:  # inside a tf.function trace: print each time the graph runs
        tensors = []
        template = _tensor_template(inputs, tensors)
        recorder.record_call(_print_recorded, (template, output_stream, summarize, sep, end), tensors)
        return
    _print_now(inputs, output_stream, summarize, sep, end)
    return


def _tensor_template(value, tensors):
    if isinstance(value, torch.Tensor):
        tensors.append(value)
        return _TensorSlot(len(tensors) - 1)
    if isinstance(value, (list, tuple)):
        return type(value)(_tensor_template(v, tensors) for v in value)
    if isinstance(value, dict):
        return {k: _tensor_template(v, tensors) for k, v in value.items()}
    return value


class _TensorSlot:
    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index


def _fill(value, tensors):
    if isinstance(value, _TensorSlot):
        return tensors[value.index]
    if isinstance(value, (list, tuple)):
        return type(value)(_fill(v, tensors) for v in value)
    if isinstance(value, dict):
        return {k: _fill(v, tensors) for k, v in value.items()}
    return value


def _print_recorded(recorded, *tensors):
    template, output_stream, summarize, sep, end = recorded
    _print_now(_fill(template, tensors), output_stream, summarize, sep, end)


def _print_now(inputs, output_stream, summarize, sep, end):
    text = sep.join(_format(v, summarize) for v in inputs) + end
    if output_stream is None:
        output_stream = sys.stderr
    if isinstance(output_stream, str):
        if not output_stream.startswith("file://"):
            raise ValueError(f"tf.print: output_stream must be a stream or 'file://path'; received {output_stream!r}.")
        with builtins.open(output_stream[7:], "a") as f:
            f.write(text)
        return
    output_stream.write(text)
    return


def device(device_name):
    """A context manager that places tensors created inside it on `device_name`.

    Accepts TensorFlow names (`'/GPU:0'`, `'/device:CPU:0'`) and torch names
    (`'cuda:1'`, `'cpu'`). As with TF's soft placement, a GPU request falls back
    to the CPU when no GPU is available.

    Example:

    >>> import capas as tf
    >>> with tf.device("/CPU:0"):
    ...     x = tf.zeros((2,))
    >>> x.device.type
    'cpu'
    """
    if isinstance(device_name, torch.device):
        return device_name
    name = str(device_name or "cpu").lower().rsplit("device:", 1)[-1].strip("/")
    kind, _, index = name.partition(":")
    if kind in ("gpu", "cuda"):
        if not torch.cuda.is_available():
            return torch.device("cpu")
        return torch.device("cuda", int(index or 0))
    if kind == "cpu":
        return torch.device("cpu")
    raise ValueError(f"tf.device: cannot read the device name {device_name!r}; use e.g. '/CPU:0' or '/GPU:0'.")
