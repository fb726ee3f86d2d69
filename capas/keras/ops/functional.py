"""keras.ops' function transforms: custom_gradient, jvp, vectorize and associative_scan.

They take Python functions and return functions or values; the gradient ones run on
torch autograd, so they work inside a `GradientTape` as any capas op does."""

import functools
import inspect
import re

import torch

from capas._nest import flatten, map_structure
from capas.keras.ops._dispatch import keras_op
from capas.keras.ops._dispatch import tensor as _t


def pack_sequence_as(structure, leaves):
    it = iter(leaves)
    return map_structure(lambda _: next(it), structure)


# -- custom_gradient -----------------------------------------------------------------------
def custom_gradient(f):
    """Decorate `f(*args) -> (output, grad_fn)` so that autograd (and `GradientTape`) uses `grad_fn`.

    As `keras.ops.custom_gradient` documents, `grad_fn` is called either as
    `grad_fn(upstream)` (TensorFlow/JAX style) or, when it has an `upstream`
    parameter, as `grad_fn(*args, upstream=upstream)` (Keras's torch style);
    `upstream` is the gradient of `output` (a tuple when `output` is). It returns
    one gradient per positional argument of `f` (a single tensor for one).

    Example:

    >>> import capas as tf
    >>> from capas import keras
    >>> @keras.ops.custom_gradient
    ... def log1pexp(x):
    ...     e = keras.ops.exp(x)
    ...     def grad(*args, upstream=None):
    ...         upstream = args[0] if upstream is None else upstream
    ...         return keras.ops.multiply(upstream, 1.0 - 1.0 / keras.ops.add(1, e))
    ...     return keras.ops.log(1 + e), grad
    >>> x = tf.Variable([100.0])
    >>> with tf.GradientTape() as tape:
    ...     y = log1pexp(x)
    >>> tape.gradient(y, x).tolist()
    [1.0]
    """

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        return _CustomGradient.apply(f, kwargs, *args)

    # keras_op: records a graph inside a GradientTape only, as every capas op.
    return keras_op(wrapper)


class _CustomGradient(torch.autograd.Function):
    @staticmethod
    def forward(ctx, f, kwargs, *args):
        result = f(*args, **kwargs)
        if not (isinstance(result, (tuple, list)) and len(result) == 2 and callable(result[1])):
            raise ValueError(
                f"custom_gradient: {getattr(f, '__qualname__', f)} must return (output, grad_fn); "
                f"it returned {type(result).__name__}. Return the output and a function of the upstream gradient."
            )
        output, ctx.grad_fn = result
        ctx.f_name = getattr(f, "__qualname__", repr(f))
        ctx.args = args
        ctx.output_is_tuple = isinstance(output, (tuple, list))
        return tuple(output) if ctx.output_is_tuple else output

    @staticmethod
    def backward(ctx, *upstream):
        upstream = upstream if ctx.output_is_tuple else upstream[0]
        grad_fn = ctx.grad_fn
        if _takes_upstream_keyword(grad_fn):
            grads = grad_fn(*ctx.args, upstream=upstream)
        else:
            grads = grad_fn(upstream)
        grads = tuple(grads) if isinstance(grads, (tuple, list)) else (grads,)
        if len(grads) != len(ctx.args):
            raise ValueError(
                f"custom_gradient: the gradient function of {ctx.f_name} returned {len(grads)} gradients for "
                f"{len(ctx.args)} arguments; return one per positional argument (None where there is none)."
            )
        grads = tuple(
            None if g is None or not isinstance(a, torch.Tensor) else _t(g).to(a.dtype) for g, a in zip(grads, ctx.args)
        )
        return (None, None) + grads


def _takes_upstream_keyword(fn):
    """Keras's torch style, `grad(*args, upstream)`: `upstream` keyword-only (after `*args`)."""
    try:
        parameter = inspect.signature(fn).parameters.get("upstream")
    except (TypeError, ValueError):
        return False
    return parameter is not None and parameter.kind is inspect.Parameter.KEYWORD_ONLY


# -- jvp -----------------------------------------------------------------------------------
def jvp(fun, primals, tangents, has_aux=False):
    """The value of `fun(*primals)` and its Jacobian-vector product with `tangents` (forward mode).

    Returns `(primals_out, tangents_out)`, plus `aux` when `has_aux` (then `fun`
    returns `(output, aux)`). Runs `torch.func.jvp`.

    Example:

    >>> from capas import keras
    >>> out, tangent = keras.ops.jvp(keras.ops.square, (keras.ops.ones(2) * 3,), (keras.ops.ones(2),))
    >>> out.tolist(), tangent.tolist()
    ([9.0, 9.0], [6.0, 6.0])
    """
    primals = tuple(map_tensors(primals))
    tangents = tuple(map_tensors(tangents))
    return torch.func.jvp(fun, primals, tangents, has_aux=has_aux)


def map_tensors(values):
    return [pack_sequence_as(v, [_t(t) for t in flatten(v)]) for v in values]


# -- vectorize -----------------------------------------------------------------------------
_DIMS = r"\w+(?:,\w+)*"
_ARGS = rf"\((?:{_DIMS})?\)(?:,\((?:{_DIMS})?\))*"
_SIGNATURE = re.compile(rf"^{_ARGS}->{_ARGS}$")


def _parse_signature(signature):
    signature = signature.replace(" ", "")
    if not _SIGNATURE.match(signature):
        raise ValueError(f"vectorize: not a valid gufunc signature: {signature!r} (expected e.g. '(n),(n)->()').")
    inputs, outputs = signature.split("->")
    parse = lambda side: [tuple(re.findall(r"\w+", group)) for group in re.findall(r"\((.*?)\)", side)]  # noqa: E731
    return parse(inputs), parse(outputs)


def vectorize(pyfunc, *, excluded=None, signature=None):
    """`pyfunc` turned into a function that broadcasts over leading axes, as `numpy.vectorize` (via `torch.vmap`).

    Without `signature` every argument is a scalar core; with a gufunc
    `signature` such as `"(n),(n)->()"`, the named trailing axes are passed
    to `pyfunc` whole. `excluded` names positional indices or keywords passed through unchanged.

    Example:

    >>> from capas import keras
    >>> dot = keras.ops.vectorize(lambda a, b: keras.ops.sum(a * b), signature="(n),(n)->()")
    >>> dot(keras.ops.ones((3, 4)), keras.ops.ones(4)).tolist()
    [4.0, 4.0, 4.0]
    """
    excluded = set(excluded or ())

    @functools.wraps(pyfunc)
    def wrapped(*args, **kwargs):
        fixed_kwargs = {k: v for k, v in kwargs.items() if k in excluded}
        mapped_kwargs = {k: v for k, v in kwargs.items() if k not in excluded}
        if mapped_kwargs:
            raise ValueError(
                f"vectorize: keyword arguments {sorted(mapped_kwargs)} are not vectorized; "
                "pass them positionally or list them in `excluded`."
            )
        positions = [i for i in range(len(args)) if i not in excluded and args[i] is not None]
        tensors = [_t(args[i]) for i in positions]
        if signature is None:
            cores, out_cores = [()] * len(tensors), None
        else:
            cores, out_cores = _parse_signature(signature)
            cores = [cores[i] for i in positions] if len(cores) == len(args) else cores
            if len(cores) != len(tensors):
                raise ValueError(
                    f"vectorize: signature {signature!r} has {len(cores)} inputs; the call passed {len(tensors)}."
                )
        loop_shapes = []
        for tensor, core in zip(tensors, cores):
            if tensor.dim() < len(core):
                raise ValueError(
                    f"vectorize: an input of shape {tuple(tensor.shape)} has fewer axes than its core dims {core}."
                )
            loop_shapes.append(tuple(tensor.shape[: tensor.dim() - len(core)]))
        loop_shape = torch.broadcast_shapes(*loop_shapes) if loop_shapes else ()
        flat = [
            t.broadcast_to(loop_shape + tuple(t.shape[t.dim() - len(c) :])).reshape(
                (-1,) + tuple(t.shape[t.dim() - len(c) :])
            )
            for t, c in zip(tensors, cores)
        ]

        def call(*mapped):
            full = list(args)
            for i, value in zip(positions, mapped):
                full[i] = value
            return pyfunc(*full, **fixed_kwargs)

        if not flat:
            return call()
        out = torch.vmap(call)(*flat)
        return _unflatten(out, loop_shape, out_cores)

    return wrapped


def _unflatten(out, loop_shape, out_cores):
    if isinstance(out, (tuple, list)):
        return type(out)(_unflatten(o, loop_shape, None) for o in out)
    return out.reshape(tuple(loop_shape) + tuple(out.shape[1:]))


# -- associative_scan ----------------------------------------------------------------------
def associative_scan(f, elems, reverse=False, axis=0):
    """Inclusive scan of `elems` (a tensor or nested structure) along `axis` with an associative `f`.

    `f(a, b)` combines two structures like `elems`, slice by slice, element-wise;
    output `i` is `x[0] (+) x[1] (+) ... (+) x[i]` (from the end when `reverse`).
    It runs in `log2(n)` rounds of `f` over whole slices.

    Example:

    >>> from capas import keras
    >>> keras.ops.associative_scan(lambda a, b: a + b, keras.ops.arange(1.0, 6.0)).tolist()
    [1.0, 3.0, 6.0, 10.0, 15.0]
    """
    if not callable(f):
        raise TypeError(f"associative_scan: `f` should be a callable. Received: f={f!r}")
    leaves = [_t(leaf) for leaf in flatten(elems)]
    if not leaves:
        return elems
    n = int(leaves[0].shape[axis])
    if any(int(leaf.shape[axis]) != n for leaf in leaves):
        raise ValueError(
            "associative_scan: every input needs the same size along `axis`; "
            f"received shapes {[tuple(leaf.shape) for leaf in leaves]}."
        )
    if reverse:
        leaves = [torch.flip(leaf, (axis,)) for leaf in leaves]
    shift = 1
    while shift < n:
        earlier = [leaf.narrow(axis, 0, n - shift) for leaf in leaves]
        later = [leaf.narrow(axis, shift, n - shift) for leaf in leaves]
        combined = flatten(f(pack_sequence_as(elems, earlier), pack_sequence_as(elems, later)))
        leaves = [torch.cat([leaf.narrow(axis, 0, shift), _t(c)], dim=axis) for leaf, c in zip(leaves, combined)]
        shift *= 2
    if reverse:
        leaves = [torch.flip(leaf, (axis,)) for leaf in leaves]
    return pack_sequence_as(elems, leaves)
