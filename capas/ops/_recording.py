"""The recording rule shared by every capas op (DESIGN.md, decision 4).

As in TensorFlow, an op records a gradient graph only inside a
`GradientTape` (or `capas.record_gradients()`). Called outside one, it runs
under `torch.no_grad()`, so `tf.reduce_sum(variable).numpy()` just works and
eager inference keeps no graph.
"""

import functools

import torch

from capas import errors as _errors
from capas import tape as _tape
from capas.ragged import ragged_ops
from capas.ops import _string_dispatch

_state = _tape._state
_is_grad_enabled = torch.is_grad_enabled
_no_grad = torch.no_grad


def op(fn):
    """Decorate a tensor op so that it records gradients only inside a tape.

    Inside a tape (or under `torch.no_grad()`/`inference_mode`) the cost is
    one flag check; outside, the op runs under `torch.no_grad()`.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            if getattr(_state, "depth", 0) or not _is_grad_enabled():
                return fn(*args, **kwargs)
            with _no_grad():
                return _detach_views(fn(*args, **kwargs))
        except (ValueError, RuntimeError) as exc:  # tf.errors types, as TF raises (capas/errors.py)
            error = _errors.as_op_error(exc, f"tf.{fn.__name__}")
            if error is exc:
                raise
            raise error from exc
        except (TypeError, AttributeError):  # the dense path refused its input: RaggedTensor (capas/ragged) or strings
            result = ragged_ops.dispatch(wrapper, args, kwargs)
            if result is NotImplemented:
                result = _string_dispatch.dispatch(wrapper, args, kwargs)
            if result is NotImplemented:
                raise
            return result

    wrapper.__wrapped_op__ = fn
    return wrapper


def _detach_views(result):
    # A view (reshape, transpose, split...) of a variable made under no_grad
    # still says requires_grad=True; detach it so `.numpy()` works on it.
    if isinstance(result, torch.Tensor):
        return result.detach() if result.requires_grad else result
    if isinstance(result, list):
        return [_detach_views(r) for r in result]
    if isinstance(result, tuple):
        items = [_detach_views(r) for r in result]
        return type(result)(*items) if hasattr(result, "_fields") else tuple(items)
    return result
