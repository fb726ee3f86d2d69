"""Choose the implementation a conformance program runs against, and report its results.

CONFORMANCE_TARGET=capas (default)  ->  import capas as tf; from capas import keras; from capas.keras import layers
CONFORMANCE_TARGET=tensorflow       ->  the same three names from TensorFlow (used to record the goldens).

Every program does:  from _target import tf, keras, layers, report, report_error, ...
and nothing else in it depends on the target.

`report(key, value, tol=None)` prints one line ``CONFORMANCE {"key": ..., "value": ..., "tol": ...}``.
Values are turned into JSON by `to_json` (tensors and arrays become nested lists, dtypes their
name, shapes lists, bytes ``{"bytes": text}``). `tol` is a float (rtol = atol = tol) or a pair
(rtol, atol) and applies to the floats of that line; without it floats compare with rtol 1e-5,
atol 1e-6; ints, strings, bools and shapes compare exactly.
"""
import json
import os
import sys

import numpy as np

TARGET = os.environ.get("CONFORMANCE_TARGET", "capas").strip().lower()
MARK = "CONFORMANCE "

if TARGET == "tensorflow":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    import tensorflow as tf  # noqa: F401 - re-exported to the programs
    from tensorflow import keras  # noqa: F401
    from tensorflow.keras import layers  # noqa: F401
elif TARGET == "capas":
    import capas as tf  # noqa: F401 - re-exported to the programs
    from capas import keras  # noqa: F401
    from capas.keras import layers  # noqa: F401
else:
    raise SystemExit("CONFORMANCE_TARGET must be 'capas' or 'tensorflow', not %r" % TARGET)


def _array_to_json(arr):
    arr = np.asarray(arr)
    if arr.dtype.kind in "SO":
        return _tree_to_json(arr.tolist())
    if arr.dtype.kind == "U":
        return arr.tolist()
    return _tree_to_json(arr.tolist())


def _tree_to_json(obj):
    if isinstance(obj, (list, tuple)):
        return [_tree_to_json(x) for x in obj]
    return to_json(obj)


def to_json(value):
    """Turn a result (tensor, variable, array, shape, dtype, scalar, container) into JSON data."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, bytes):
        return {"bytes": value.decode("utf-8", "replace")}
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, np.generic):
        return to_json(value.item())
    if isinstance(value, np.ndarray):
        return _array_to_json(value)
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)) and "Size" not in type(value).__name__:
        return [to_json(v) for v in value]
    name = type(value).__name__
    if "Shape" in name or "Size" in name:  # tf.TensorShape, torch.Size, capas shapes
        return [None if d is None else int(d) for d in value]
    if "DType" in name or "dtype" in name:
        return getattr(value, "name", str(value))
    if hasattr(value, "to_list") and "Ragged" in name:
        return _tree_to_json(value.to_list())
    if hasattr(value, "numpy"):
        try:
            arr = value.numpy()
        except Exception:  # a torch tensor that requires grad: the harness reads its data
            arr = value.detach().cpu().numpy()
        return to_json(arr) if not isinstance(arr, np.ndarray) else _array_to_json(arr)
    try:
        return _array_to_json(np.asarray(value))
    except Exception:
        return repr(value)


def report(key, value, tol=None):
    """Print one result line; `tol` (float or (rtol, atol)) loosens float comparison."""
    if tol is not None and not isinstance(tol, (list, tuple)):
        tol = [float(tol), float(tol)]
    line = {"key": key, "value": to_json(value), "tol": list(tol) if tol else None}
    sys.stdout.write(MARK + json.dumps(line) + "\n")
    sys.stdout.flush()


def report_error(key, fn):
    """Call `fn()`; report the name of the exception type it raises, or "no error"."""
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - the type name is the result
        report(key, type(exc).__name__)
        return exc
    report(key, "no error")
    return None


def init_weights(model, seed=0, scale=0.2):
    """Give every weight of `model` a fixed value from np.random.default_rng(seed) via set_weights.

    Trainable weights get uniform(-scale, scale); non-trainable ones (moving means/variances)
    uniform(0.5, 1.5), so that both frameworks start training from the same numbers.
    The state of preprocessing layers (an adapted Normalization's mean/variance) keeps its
    value: TF's Normalization goes on using what adapt() computed even after set_weights.
    """
    rng = np.random.default_rng(seed)
    keep = set()
    for layer in model._flatten_layers(include_self=False):
        if "preprocessing" in type(layer).__module__ or type(layer).__name__ == "Normalization":
            keep.update(id(w) for w in layer.weights)
    values = []
    for w in model.weights:
        shape = tuple(int(d) for d in w.shape)
        if w.trainable:
            value = rng.uniform(-scale, scale, shape).astype("float32")
        else:
            value = rng.uniform(0.5, 1.5, shape).astype("float32")
        # A kept weight still draws its numbers, so that the weights after it get the same ones.
        values.append(np.array(w.numpy()) if id(w) in keep else value)
    model.set_weights(values)


def write_bmp(path, pixels):
    """Write an (H, W, 3) uint8 array as a 24-bit BMP file (no imaging library needed)."""
    import struct
    pixels = np.asarray(pixels, dtype=np.uint8)
    h, w, _ = pixels.shape
    row = (w * 3 + 3) // 4 * 4
    data = bytearray()
    for y in range(h - 1, -1, -1):
        line = pixels[y, :, ::-1].tobytes()
        data += line + b"\0" * (row - len(line))
    header = struct.pack("<2sIHHI", b"BM", 54 + len(data), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, w, h, 1, 24, 0, len(data), 2835, 2835, 0, 0)
    with open(path, "wb") as f:
        f.write(header + info + bytes(data))
