"""`tf.autodiff.ForwardAccumulator` on `torch.autograd.forward_ad`."""

import torch
from torch.autograd import forward_ad
from torch.overrides import TorchFunctionMode

from capas import nest
from capas.tape import UnconnectedGradients


def _tangent(tensor):
    if not isinstance(tensor, torch.Tensor) or not (tensor.dtype.is_floating_point or tensor.dtype.is_complex):
        return None
    return forward_ad.unpack_dual(tensor).tangent


class _Keep(TorchFunctionMode):
    """Remembers the tangent of every tensor an op makes inside the accumulator."""

    def __init__(self, kept):
        super().__init__()
        self.kept = kept

    def __torch_function__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        for value in out if isinstance(out, (list, tuple)) else (out,):
            tangent = _tangent(value)
            if tangent is not None:
                self.kept[id(value)] = (value, tangent.detach().clone())
        return out


class ForwardAccumulator:
    """Jacobian-vector products by forward-mode AD, as `tf.autodiff.ForwardAccumulator`.

    Args:
        primals: a tensor or variable, or a structure of them, to differentiate with respect to.
        tangents: the direction for each primal (same structure and shapes).

    >>> import capas as tf
    >>> x = tf.constant([1.0, 2.0])
    >>> with tf.autodiff.ForwardAccumulator(primals=x, tangents=tf.constant([1.0, 0.0])) as acc:
    ...     y = tf.reduce_sum(x * x)
    >>> acc.jvp(y).numpy().item()
    2.0
    """

    def __init__(self, primals, tangents):
        nest.assert_same_structure(primals, tangents)
        self._primals = nest.flatten(primals)
        self._tangents = [torch.as_tensor(t) for t in nest.flatten(tangents)]
        for p, t in zip(self._primals, self._tangents):
            if tuple(p.shape) != tuple(t.shape):
                raise ValueError(
                    f"tf.autodiff.ForwardAccumulator: a tangent's shape {tuple(t.shape)} differs from its "
                    f"primal's {tuple(p.shape)}; give each primal a tangent of the same shape."
                )
        self._kept = {}
        self._level = None

    def __enter__(self):
        if self._level is not None:
            raise ValueError("tf.autodiff.ForwardAccumulator: this accumulator is already active.")
        self._level = forward_ad.dual_level()
        self._level.__enter__()
        with torch.no_grad():
            for p, t in zip(self._primals, self._tangents):
                tangent = t.to(dtype=p.dtype, device=p.device)
                p.copy_(forward_ad.make_dual(p.detach().clone(), tangent))
                self._kept[id(p)] = (p, tangent)
        self._mode = _Keep(self._kept)
        self._mode.__enter__()
        return self

    def __exit__(self, *exc):
        self._mode.__exit__(*exc)
        self._level.__exit__(*exc)
        self._level = None

    def jvp(self, primals, unconnected_gradients=UnconnectedGradients.NONE):
        """The tangent of each tensor in `primals` (None, or zeros, when it does not depend on the watched ones)."""

        def one(tensor):
            kept = self._kept.get(id(tensor))
            tangent = kept[1] if kept is not None and kept[0] is tensor else None
            if tangent is None and self._level is not None:
                tangent = _tangent(tensor)
            if tangent is None and unconnected_gradients in (UnconnectedGradients.ZERO, "zero"):
                return torch.zeros_like(tensor)
            return tangent

        return nest.map_structure(one, primals)
