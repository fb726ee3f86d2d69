"""TF's functional and control ops: scan, folds, switch_case, case, vectorized_map, and the
graph-era no-ops (`group`, `no_op`, `control_dependencies`) that mean nothing eagerly.

Like `tf.cond`, branch selection reads the index or predicate back into Python, so a
`tf.function` using them runs as Python on each call (docs/function.md). Loops over
`elems` (scan, foldl, foldr) run in Python over axis 0, as TF runs them eagerly.
"""

import contextlib

import numpy as np
import torch

from capas import nest
from capas._function._trace import current_recorder
from capas.ops._convert import convert_to_tensor


def get_static_value(tensor, partial=False):
    """The value of `tensor` as a numpy array when it is known now, else None.

    Eagerly every tensor's value is known. Inside a `tf.function` trace it returns None
    (TF folds constants there; code that handles None works on both).

    >>> import capas as tf
    >>> tf.get_static_value(tf.constant([1, 2]))
    array([1, 2], dtype=int32)
    """
    if isinstance(tensor, torch.Tensor):
        if current_recorder() is not None:
            return None
        return tensor.detach().cpu().numpy()
    if hasattr(tensor, "numpy") and callable(tensor.numpy):
        return tensor.numpy()
    if isinstance(tensor, np.ndarray):
        return tensor
    raise TypeError(
        f"tf.get_static_value: expected a tensor; got {type(tensor).__name__}. "
        "Convert Python values with tf.constant first."
    )


@contextlib.contextmanager
def control_dependencies(control_inputs):
    """A context in which ops run after `control_inputs`: eagerly they already have, so a no-op.

    >>> import capas as tf
    >>> with tf.control_dependencies([tf.no_op()]):
    ...     y = tf.constant(1)
    """
    if control_inputs is not None and not isinstance(control_inputs, (list, tuple)):
        raise TypeError(
            f"tf.control_dependencies: control_inputs must be a list of ops or tensors (or None); "
            f"got {type(control_inputs).__name__}. Wrap a single one in a list."
        )
    yield


def group(*inputs, name=None):
    """Group ops to run together; eagerly they have all run, so it returns None (as TF 2 eagerly)."""
    return None


def no_op(name=None):
    """An op that does nothing; returns None (as TF 2 eagerly)."""
    return None


def _branches(branch_fns):
    if isinstance(branch_fns, dict):
        items = list(branch_fns.items())
    else:
        items = list(branch_fns)
        if items and not isinstance(items[0], (list, tuple)):
            items = list(enumerate(items))
    for key, fn in items:
        if not isinstance(key, int):
            raise TypeError(f"tf.switch_case: branch_fns keys must be ints; got {key!r}.")
        if not callable(fn):
            raise TypeError(f"tf.switch_case: fn for branch {key} must be callable; got {fn!r}.")
    keys = sorted(k for k, _ in items)
    if keys != list(range(len(keys))):
        raise ValueError(f"tf.switch_case: branch_fns keys must be 0..{len(keys) - 1}; got {keys}.")
    return [fn for _, fn in sorted(items, key=lambda kv: kv[0])]


def switch_case(branch_index, branch_fns, default=None, name="switch_case"):
    """Run `branch_fns[branch_index]()`; an index out of range runs `default` (or the last branch).

    >>> import capas as tf
    >>> tf.switch_case(tf.constant(1), [lambda: tf.constant(10), lambda: tf.constant(20)]).numpy().item()
    20
    """
    fns = _branches(branch_fns)
    if not fns:
        raise ValueError("tf.switch_case: branch_fns must not be empty.")
    if not isinstance(branch_index, torch.Tensor):
        raise TypeError(
            f"'branch_index' must be a Tensor, got {type(branch_index)}\n"
            "tf.switch_case: wrap the index in tf.constant(...) as TF requires."
        )
    index = int(branch_index)
    if 0 <= index < len(fns):
        return fns[index]()
    return (default or fns[-1])()


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """Run the fn of the first pair whose predicate is true (else `default`).

    `exclusive` is accepted; eagerly TF 2.21 does not check it (the first true pair wins), nor does capas.
    With no true predicate and no `default`, the last pair's fn runs (TF's rule).

    >>> import capas as tf
    >>> x = tf.constant(3)
    >>> tf.case([(x < 0, lambda: tf.constant(-1)), (x > 0, lambda: tf.constant(1))]).numpy().item()
    1
    """
    pairs = list(pred_fn_pairs.items()) if isinstance(pred_fn_pairs, dict) else list(pred_fn_pairs)
    for pair in pairs:
        if not isinstance(pair, tuple) or len(pair) != 2 or not callable(pair[1]):
            raise TypeError(f"tf.case: each item of pred_fn_pairs must be a (predicate, callable) tuple; got {pair!r}.")
    if not pairs:
        if default is None:
            raise ValueError("tf.case: pred_fn_pairs is empty and no default was given.")
        return default()
    values = [bool(convert_to_tensor(p)) for p, _ in pairs]
    for value, (_, fn) in zip(values, pairs):
        if value:
            return fn()
    return (default or pairs[-1][1])()


def _leaves(elems, op):
    leaves = [convert_to_tensor(e) for e in nest.flatten(elems)]
    if not leaves:
        raise ValueError(f"tf.{op}: elems holds no tensors; pass a tensor or a structure of tensors.")
    n = int(leaves[0].shape[0]) if leaves[0].dim() else None
    if n is None or any(t.dim() == 0 or int(t.shape[0]) != n for t in leaves):
        raise ValueError(
            f"tf.{op}: every tensor in elems needs the same first dimension; got shapes "
            f"{[tuple(t.shape) for t in leaves]}."
        )
    return leaves, n


def _element(elems, leaves, i):
    return nest.pack_sequence_as(elems, [t[i] for t in leaves])


def _tensors(structure):
    return nest.map_structure(convert_to_tensor, structure)


def scan(
    fn,
    elems,
    initializer=None,
    parallel_iterations=10,
    back_prop=True,
    swap_memory=False,
    infer_shape=True,
    reverse=False,
    name=None,
):
    """Repeat `acc = fn(acc, elems[i])` along axis 0 and stack every `acc`.

    Without `initializer` the first element is the first accumulator (and the first output).

    >>> import capas as tf
    >>> tf.scan(lambda a, x: a + x, tf.constant([1, 2, 3, 4])).numpy()
    array([ 1,  3,  6, 10], dtype=int32)
    """
    leaves, n = _leaves(elems, "scan")
    order = list(range(n - 1, -1, -1)) if reverse else list(range(n))
    outputs = []
    if initializer is None:
        acc = _element(elems, leaves, order[0])
        outputs.append(acc)
        order = order[1:]
    else:
        acc = _tensors(initializer)
    for i in order:
        acc = _tensors(fn(acc, _element(elems, leaves, i)))
        outputs.append(acc)
    if reverse:
        outputs.reverse()
    if not outputs:
        return nest.map_structure(lambda t: t[:0], elems)
    flats = [nest.flatten(o) for o in outputs]
    stacked = [torch.stack([f[j] for f in flats]) for j in range(len(flats[0]))]
    return nest.pack_sequence_as(outputs[0], stacked)


def _fold(fn, elems, initializer, op, order):
    leaves, n = _leaves(elems, op)
    if initializer is None:
        if n == 0:
            raise ValueError(f"tf.{op}: elems is empty and no initializer was given.")
        acc = _element(elems, leaves, order(n)[0])
        indices = order(n)[1:]
    else:
        acc = _tensors(initializer)
        indices = order(n)
    for i in indices:
        acc = _tensors(fn(acc, _element(elems, leaves, i)))
    return acc


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, name=None):
    """Fold `elems` from the left: `acc = fn(acc, elems[i])` for i = 0, 1, ...

    >>> import capas as tf
    >>> tf.foldl(lambda a, x: a * 10 + x, tf.constant([1, 2, 3])).numpy().item()
    123
    """
    return _fold(fn, elems, initializer, "foldl", lambda n: list(range(n)))


def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, name=None):
    """Fold `elems` from the right: `acc = fn(acc, elems[i])` for i = n-1, ..., 0.

    >>> import capas as tf
    >>> tf.foldr(lambda a, x: a * 10 + x, tf.constant([1, 2, 3])).numpy().item()
    321
    """
    return _fold(fn, elems, initializer, "foldr", lambda n: list(range(n - 1, -1, -1)))


def vectorized_map(fn, elems, fallback_to_while_loop=True, warn=True):
    """`fn` applied to each slice of `elems` along axis 0, vectorized with `torch.func.vmap`.

    When `fn` cannot be vectorized (it reads a value into Python, or uses an op vmap lacks),
    it runs once per element and the results are stacked (`fallback_to_while_loop=True`, TF's
    default), or the error is raised.

    >>> import capas as tf
    >>> tf.vectorized_map(lambda x: tf.reduce_sum(x * x), tf.constant([[1.0, 2.0], [3.0, 4.0]])).numpy()
    array([ 5., 25.], dtype=float32)
    """
    leaves, n = _leaves(elems, "vectorized_map")

    structure = []

    def flat_fn(*slices):
        out = fn(nest.pack_sequence_as(elems, list(slices)))
        structure.append(out)  # only its nesting is used below
        return tuple(convert_to_tensor(o) for o in nest.flatten(out))

    try:
        flat_out = torch.func.vmap(flat_fn)(*leaves)
    except Exception as exc:  # noqa: BLE001 - any vmap refusal falls back, as TF's pfor does
        if not fallback_to_while_loop:
            raise ValueError(
                f"tf.vectorized_map: fn could not be vectorized ({type(exc).__name__}: {exc}). "
                "Pass fallback_to_while_loop=True to run it once per element."
            ) from exc
        if warn:
            import warnings

            warnings.warn(
                f"tf.vectorized_map: fn could not be vectorized ({type(exc).__name__}); running it once per element.",
                stacklevel=2,
            )
        outputs = [fn(_element(elems, leaves, i)) for i in range(n)]
        flats = [[convert_to_tensor(t) for t in nest.flatten(o)] for o in outputs]
        stacked = [torch.stack([f[j] for f in flats]) for j in range(len(flats[0]))]
        return nest.pack_sequence_as(outputs[0], stacked)
    return nest.pack_sequence_as(structure[0], list(flat_out))
