"""`tf.custom_gradient`: give a function its own gradient, on torch autograd."""

import functools
import inspect

import torch

from capas._tape import _graph


def custom_gradient(f=None):
    """Decorate `f(*x) -> (y, grad_fn)` so that the tape uses `grad_fn(dy)` as its gradient.

    `grad_fn` receives the upstream gradient of `y` and returns one gradient
    per tensor argument of `f` (a single tensor when there is one argument).
    When `f` uses trainable variables and `grad_fn` takes a `variables=`
    keyword, it is called as `grad_fn(dy, variables=[v, ...])` and returns
    `(input_gradients, variable_gradients)`, as in TensorFlow.

    Example:

    >>> import capas as tf
    >>> @tf.custom_gradient
    ... def clip_grad(x):
    ...     return tf.identity(x), lambda dy: tf.clip_by_value(dy, -0.5, 0.5)
    >>> x = tf.constant([1.0, 2.0])
    >>> with tf.GradientTape() as tape:
    ...     tape.watch(x)
    ...     y = tf.reduce_sum(clip_grad(x) * 3.0)
    >>> tape.gradient(y, x).tolist()
    [0.5, 0.5]
    """
    if f is None:
        return custom_gradient

    @functools.wraps(f)
    def wrapper(*args):
        if not torch.is_grad_enabled():
            return f(*args)[0]
        # Run f once with its own graph, to learn which trainable variables it reads.
        detached = [a.detach().requires_grad_(a.requires_grad) if isinstance(a, torch.Tensor) else a for a in args]
        with torch.enable_grad():
            y, grad_fn = f(*detached)
        takes_variables = _accepts_variables(grad_fn)
        variables = _variables_used(y, detached) if takes_variables else []
        y = _detach_all(y)

        class _CustomGradient(torch.autograd.Function):
            @staticmethod
            def forward(ctx, *inputs):
                return y

            @staticmethod
            def backward(ctx, *upstream):
                if takes_variables:
                    grads, variable_grads = grad_fn(*upstream, variables=variables)
                    variable_grads = list(variable_grads)
                    if len(variable_grads) != len(variables):
                        raise ValueError(
                            f"custom_gradient: the gradient function of {f.__qualname__} returned "
                            f"{len(variable_grads)} variable gradients for {len(variables)} variables; "
                            "return one per entry of `variables`."
                        )
                else:
                    grads, variable_grads = grad_fn(*upstream), []
                grads = tuple(grads) if isinstance(grads, (list, tuple)) else (grads,)
                if len(grads) != len(args):
                    raise ValueError(
                        f"custom_gradient: the gradient function of {f.__qualname__} returned {len(grads)} "
                        f"gradients for {len(args)} arguments; return one per argument (None for none)."
                    )
                return grads + tuple(variable_grads)

        return _CustomGradient.apply(*args, *variables)

    return wrapper


def _accepts_variables(grad_fn):
    try:
        parameters = inspect.signature(grad_fn).parameters
    except (TypeError, ValueError):
        return False
    return "variables" in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values())


def _variables_used(y, inputs):
    own = {id(a) for a in inputs}
    roots = [t.grad_fn for t in _flat_tensors(y) if t.grad_fn is not None]
    found = _graph.accessed_parameters(roots, lambda node: True)
    return [v for _, v in sorted(found, key=lambda sv: getattr(sv[1], "_uid", 0)) if id(v) not in own]


def _flat_tensors(y):
    if isinstance(y, torch.Tensor):
        return [y]
    if isinstance(y, (list, tuple)):
        return [t for item in y for t in _flat_tensors(item)]
    return []


def _detach_all(y):
    if isinstance(y, torch.Tensor):
        return y.detach()
    if isinstance(y, (list, tuple)):
        return type(y)(_detach_all(item) for item in y)
    return y
