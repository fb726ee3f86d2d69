"""`tf.cond` and `tf.while_loop`, run as TensorFlow runs them eagerly: the Python branch or
body is called directly on tensors. Inside `tf.function` the predicate's value is read back
into Python, so such a function runs as plain Python on every call (see docs/function.md).
"""

from capas.ops._convert import convert_to_tensor


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
