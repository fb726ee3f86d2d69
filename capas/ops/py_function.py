"""`tf.py_function` and `tf.numpy_function`: run Python code on tensor values.

capas runs eagerly, so both call `func` at once: `py_function` hands it
tensors, `numpy_function` numpy arrays; the results are cast to `Tout`.
"""

import numpy as np
import torch

from capas.ops._convert import as_torch_dtype, convert_to_tensor


def _cast(result, tout):
    if isinstance(tout, (list, tuple)):
        results = list(result) if isinstance(result, (list, tuple)) else [result]
        if len(results) != len(tout):
            raise ValueError(f"The function returned {len(results)} values but Tout names {len(tout)} dtypes.")
        return [_cast(r, t) for r, t in zip(results, tout)]
    if result is None and tout is None:
        return None
    tensor = convert_to_tensor(np.asarray(result) if not isinstance(result, torch.Tensor) else result)
    return tensor if tout is None else tensor.to(as_torch_dtype(tout))


def py_function(func, inp, Tout, name=None):
    """Call `func(*inp)` with tensors and return its result as tensors of dtype `Tout`.

    Example:

    >>> import capas as tf
    >>> tf.py_function(lambda a, b: a * b, [tf.constant(2.0), tf.constant(3.0)], Tout=tf.float32).item()
    6.0
    """
    args = [convert_to_tensor(x) for x in inp]
    return _cast(func(*args), Tout)


def numpy_function(func, inp, Tout, stateful=True, name=None):
    """Call `func(*inp)` with numpy arrays and return its result as tensors of dtype `Tout`."""
    args = [x.detach().cpu().numpy() if isinstance(x, torch.Tensor) else np.asarray(x) for x in inp]
    return _cast(func(*args), Tout)
