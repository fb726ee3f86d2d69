"""`tf.cond` and `tf.while_loop`, run as TensorFlow runs them eagerly: the Python branch or
body is called directly on tensors. Inside `tf.function` the predicate's value is read back
into Python, so such a function runs as plain Python on every call (see docs/function.md).
"""

import torch

from capas.ops._convert import convert_to_tensor
from capas.ops._convert import as_torch_dtype
from capas._nest import flatten, map_structure


def cond(pred, true_fn=None, false_fn=None, name=None):
    """Return `true_fn()` if `pred` is true, else `false_fn()`.

    Args:
        pred: a scalar bool tensor (or Python bool).
        true_fn: callable for the true branch.
        false_fn: callable for the false branch.
        name: ignored (TF's op name).

    Returns:
        What the branch returns (a 1-item list stays a list, as in TF 2).

    Example:

    >>> import capas as tf
    >>> tf.cond(tf.constant(3) > 2, lambda: tf.constant(1), lambda: tf.constant(0)).numpy().item()
    1
    """
    if not callable(true_fn):
        raise TypeError(f"tf.cond: 'true_fn' must be callable; received {true_fn!r}.")
    if not callable(false_fn):
        raise TypeError(f"tf.cond: 'false_fn' must be callable; received {false_fn!r}.")
    return true_fn() if bool(convert_to_tensor(pred)) else false_fn()


def _as_tensor(value):
    if isinstance(value, (list, tuple)):
        items = [_as_tensor(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else type(value)(items)
    if isinstance(value, dict):
        return {k: _as_tensor(v) for k, v in value.items()}
    if value is None or hasattr(value, "stack") and hasattr(value, "write"):  # TensorArray
        return value
    return convert_to_tensor(value)


def while_loop(
    cond,
    body,
    loop_vars,
    shape_invariants=None,
    parallel_iterations=10,
    back_prop=True,
    swap_memory=False,
    maximum_iterations=None,
    name=None,
):
    """Repeat `loop_vars = body(*loop_vars)` while `cond(*loop_vars)` is true.

    Args:
        cond: callable taking the loop variables, returning a scalar bool tensor.
        body: callable taking the loop variables, returning new ones of the same structure.
        loop_vars: a list or tuple of tensors (or TensorArrays).
        maximum_iterations: stop after this many iterations even if `cond` still holds.
        shape_invariants, parallel_iterations, back_prop, swap_memory, name: accepted for
            TF compatibility; they change nothing in eager execution.

    Returns:
        The loop variables after the last iteration, as tensors, in the structure `body` returns.

    Example:

    >>> import capas as tf
    >>> tf.while_loop(lambda i: i < 10, lambda i: (i + 1,), [tf.constant(0)])[0].numpy().item()
    10
    """
    if not callable(cond):
        raise TypeError("tf.while_loop: 'cond' must be callable.")
    if not callable(body):
        raise TypeError("tf.while_loop: 'body' must be callable.")
    if parallel_iterations < 1:
        raise TypeError("tf.while_loop: 'parallel_iterations' must be a positive integer.")
    if isinstance(loop_vars, (list, tuple)) and not loop_vars:
        raise ValueError("tf.while_loop: 'loop_vars' must be provided.")
    single = not isinstance(loop_vars, (list, tuple))
    limit = None if maximum_iterations is None else int(convert_to_tensor(maximum_iterations))
    count = 0
    while (limit is None or count < limit) and bool(cond(loop_vars) if single else cond(*loop_vars)):
        new = body(loop_vars) if single else body(*loop_vars)
        if not single:
            if not isinstance(new, (list, tuple)):
                new = (new,)
            if len(new) != len(loop_vars):
                raise ValueError(
                    f"tf.while_loop: 'body' returned {len(new)} loop variables; it must return "
                    f"{len(loop_vars)}, as many as 'loop_vars' holds."
                )
        loop_vars = new
        count += 1
    return _as_tensor(loop_vars)


def map_fn(
    fn,
    elems,
    dtype=None,
    parallel_iterations=None,
    back_prop=True,
    swap_memory=False,
    infer_shape=True,
    name=None,
    fn_output_signature=None,
):
    """Apply `fn` to each slice of `elems` along axis 0 and stack the results (as `tf.map_fn`).

    Args:
        fn: a callable taking one element (the structure of `elems`, unstacked on axis 0).
        elems: a tensor, or a (nested) list/tuple/dict of tensors with the same first dimension.
        dtype, fn_output_signature: the dtype (or structure of dtypes) of `fn`'s output, cast to
            when given (TF needs it when the output dtype differs from the input's).
        parallel_iterations, back_prop, swap_memory, infer_shape, name: accepted for TF's
            signature; the calls run one after another in Python.

    Returns:
        The stacked outputs, with the structure `fn` returns.

    Raises:
        ValueError: `elems` is empty (no elements to map) or its parts differ in length.

    Example:

    >>> import capas as tf
    >>> tf.map_fn(lambda x: tf.cumsum(x) / tf.reduce_sum(x), tf.constant([[1.0, 3.0], [2.0, 2.0]])).numpy().tolist()
    [[0.25, 1.0], [0.5, 1.0]]
    """
    if not callable(fn):
        raise TypeError(f"tf.map_fn: 'fn' must be callable; received {fn!r}.")
    leaves = [convert_to_tensor(e) for e in flatten(elems)]
    if not leaves:
        raise ValueError("tf.map_fn: 'elems' holds no tensors; pass a tensor or a structure of tensors.")
    n = int(leaves[0].shape[0]) if leaves[0].dim() else None
    if n is None or any(t.dim() == 0 or int(t.shape[0]) != n for t in leaves):
        raise ValueError(
            "tf.map_fn: every tensor in 'elems' needs the same first dimension (the one mapped over); "
            f"received shapes {[tuple(t.shape) for t in leaves]}."
        )
    if n == 0:
        raise ValueError("tf.map_fn: 'elems' has a first dimension of 0; capas cannot infer fn's output.")
    signature = fn_output_signature if fn_output_signature is not None else dtype
    outputs = [fn(_like(elems, [t[i] for t in leaves], map_structure)) for i in range(n)]
    flat_outputs = [flatten(o) for o in outputs]
    stacked = [torch.stack([convert_to_tensor(o[j]) for o in flat_outputs]) for j in range(len(flat_outputs[0]))]
    if signature is not None:
        dtypes = flatten(signature)
        dtypes = dtypes * len(stacked) if len(dtypes) == 1 else dtypes
        stacked = [
            t.to(as_torch_dtype(getattr(d, "dtype", d))) if d is not None else t for t, d in zip(stacked, dtypes)
        ]
    return _like(outputs[0], stacked, map_structure)


def _like(structure, values, map_structure):
    """`values` (flat, in flatten order) arranged as `structure`."""
    it = iter(values)
    return map_structure(lambda _: next(it), structure)
