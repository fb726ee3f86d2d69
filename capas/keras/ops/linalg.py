"""keras.ops.linalg: decompositions, solves, norms and determinants (torch.linalg underneath)."""

import torch

from capas.keras.ops._dispatch import keras_op
from capas.keras.ops._dispatch import to_float as _f


@keras_op
def cholesky(x, upper=False):
    """The Cholesky factor of the positive-definite `x` (lower, or upper with `upper=True`).

    Example:

    >>> from capas import keras
    >>> keras.ops.cholesky([[4.0, 0.0], [0.0, 9.0]]).tolist()
    [[2.0, 0.0], [0.0, 3.0]]
    """
    return torch.linalg.cholesky(_f(x), upper=upper)


@keras_op
def cholesky_inverse(x, upper=False):
    """The inverse of `A` from its Cholesky factor `x`."""
    return torch.cholesky_inverse(_f(x), upper=upper)


@keras_op
def det(x):
    """The determinant of the square matrices `x`."""
    return torch.linalg.det(_f(x))


@keras_op
def slogdet(x):
    """`(sign, log|det|)` of the square matrices `x`."""
    result = torch.linalg.slogdet(_f(x))
    return result.sign, result.logabsdet


@keras_op
def logdet(x):
    """`log(det(x))` of positive-definite matrices."""
    return torch.logdet(_f(x))


@keras_op
def inv(x):
    """The inverse of the square matrices `x`."""
    return torch.linalg.inv(_f(x))


@keras_op
def pinv(x, rcond=None):
    """The Moore-Penrose pseudo-inverse of `x`."""
    return torch.linalg.pinv(_f(x), rtol=rcond) if rcond is not None else torch.linalg.pinv(_f(x))


@keras_op
def solve(a, b):
    """`x` with `a @ x == b`."""
    return torch.linalg.solve(_f(a), _f(b))


@keras_op
def solve_triangular(a, b, lower=False):
    """`x` with `a @ x == b` for triangular `a`."""
    b = _f(b)
    vector = b.dim() == _f(a).dim() - 1
    out = torch.linalg.solve_triangular(_f(a), b.unsqueeze(-1) if vector else b, upper=not lower)
    return out.squeeze(-1) if vector else out


@keras_op
def lstsq(a, b, rcond=None):
    """The least-squares solution of `a @ x == b`."""
    a, b = _f(a), _f(b)
    vector = b.dim() == 1
    out = torch.linalg.lstsq(a, b.unsqueeze(-1) if vector else b, rcond=rcond, driver="gelsd").solution
    return out.squeeze(-1) if vector else out


@keras_op
def qr(x, mode="reduced"):
    """`(q, r)` of `x` ("reduced" or "complete")."""
    if mode not in ("reduced", "complete"):
        raise ValueError(f"keras.ops.qr: mode must be 'reduced' or 'complete'; received {mode!r}.")
    return tuple(torch.linalg.qr(_f(x), mode=mode))


@keras_op
def svd(x, full_matrices=True, compute_uv=True):
    """`(u, s, vh)` of `x`, or `s` alone with `compute_uv=False`."""
    if not compute_uv:
        return torch.linalg.svdvals(_f(x))
    return tuple(torch.linalg.svd(_f(x), full_matrices=full_matrices))


@keras_op
def eig(x):
    """`(eigenvalues, eigenvectors)` of square matrices (complex in general)."""
    return tuple(torch.linalg.eig(_f(x)))


@keras_op
def eigh(x):
    """`(eigenvalues, eigenvectors)` of symmetric matrices, eigenvalues ascending."""
    return tuple(torch.linalg.eigh(_f(x)))


@keras_op
def lu_factor(x):
    """`(lu, pivots)` of `x` (pivots 0-based, as Keras's torch backend gives them)."""
    lu, pivots = torch.linalg.lu_factor(_f(x))
    return lu, pivots - 1


@keras_op
def norm(x, ord=None, axis=None, keepdims=False):
    """Vector or matrix norm of `x` (numpy's `ord` and `axis` rules)."""
    x = _f(x)
    if axis is None and ord is None:
        return torch.linalg.vector_norm(x.reshape(-1), 2, dim=0).reshape((1,) * x.dim() if keepdims else ())
    if axis is None:
        axis = tuple(range(x.dim())) if x.dim() <= 2 else None
    if isinstance(axis, (list, tuple)) and len(axis) == 2:
        return torch.linalg.matrix_norm(x, ord="fro" if ord is None else ord, dim=tuple(axis), keepdim=keepdims)
    if isinstance(axis, (list, tuple)) and len(axis) == 1:
        axis = axis[0]
    return torch.linalg.vector_norm(x, 2 if ord is None else ord, dim=axis, keepdim=keepdims)


@keras_op
def matrix_rank(x, tol=None):
    """The rank of `x` from its singular values."""
    return (
        torch.linalg.matrix_rank(_f(x), atol=tol).to(torch.int32)
        if tol is not None
        else torch.linalg.matrix_rank(_f(x)).to(torch.int32)
    )
