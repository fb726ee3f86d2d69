"""`tf.custom_gradient`: give a function its own gradient, on torch autograd."""

import functools

import torch


def custom_gradient(f=None):
    """Decorate `f(*x) -> (y, grad_fn)` so that the tape uses `grad_fn(dy)` as its gradient.

    `grad_fn` receives the upstream gradient of `y` and returns one gradient
    per tensor argument of `f` (a single tensor when there is one argument).

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

    Differs from TensorFlow: `grad_fn` may not take `variables=`; gradients
    reach variables only through the tensor arguments.
    """
    if f is None:
        return custom_gradient

    @functools.wraps(f)
    def wrapper(*args):
        holder = {}

        class _CustomGradient(torch.autograd.Function):
            @staticmethod
            def forward(ctx, *inputs):
                y, grad_fn = f(*inputs)
                holder["grad_fn"] = grad_fn
                return y

            @staticmethod
            def backward(ctx, *upstream):
                grads = holder["grad_fn"](*upstream)
                grads = tuple(grads) if isinstance(grads, (list, tuple)) else (grads,)
                if len(grads) != len(args):
                    raise ValueError(
                        f"custom_gradient: the gradient function of {f.__qualname__} returned {len(grads)} "
                        f"gradients for {len(args)} arguments; return one per argument (None for none)."
                    )
                return grads

        return _CustomGradient.apply(*args)

    return wrapper
