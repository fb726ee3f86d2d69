"""Linear algebra (`tf.linalg`) and `tf.norm`."""

import math as _math
import numbers

import torch

from capas.ops._recording import op
from capas.ops._utils import pair, to_tensor


def _ord_value(ord):  # noqa: A002
    if isinstance(ord, str):
        return ord
    if isinstance(ord, numbers.Real) and (ord > 0 or _math.isinf(ord)):
        return float(ord)
    raise ValueError(f"tf.norm: ord must be 'euclidean', 'fro', a positive number or inf; received {ord!r}.")


@op
def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None):  # noqa: A002
    """The vector or matrix norm of `tensor`.

    Args:
        tensor: a floating tensor.
        ord: 'euclidean' (default; the 2-norm of vectors, Frobenius for
            matrices), 'fro', 1, 2, inf or any positive p for vectors.
        axis: None (all entries as one vector), an int (vector norms), or a
            pair of ints (matrix norms over those two axes).
        keepdims: keep the reduced axes with length 1.

    Example:

    >>> import capas as tf
    >>> float(tf.norm(tf.constant([3.0, 4.0])))
    5.0
    """
    x = to_tensor(tensor)
    keepdims = bool(keepdims)
    ord = _ord_value(ord)  # noqa: A001
    if isinstance(axis, torch.Tensor):
        axis = axis.tolist()
    if isinstance(axis, (list, tuple)) and len(axis) == 1:
        axis = axis[0]
    if isinstance(axis, (list, tuple)):
        if len(axis) != 2:
            raise ValueError(f"tf.norm: axis must be None, an int or a pair of ints; received {axis!r}.")
        if ord in ("euclidean", "fro"):
            return torch.linalg.matrix_norm(x, ord="fro", dim=tuple(axis), keepdim=keepdims)
        if ord not in (1.0, 2.0, _math.inf):
            raise ValueError(f"tf.norm: matrix norms support ord 'euclidean', 'fro', 1, 2 or inf; received {ord!r}.")
        return torch.linalg.matrix_norm(x, ord=ord, dim=tuple(axis), keepdim=keepdims)
    if ord == "fro":
        raise ValueError("tf.norm: ord='fro' is a matrix norm; pass axis as a pair of ints, or use 'euclidean'.")
    p = 2.0 if ord == "euclidean" else ord
    if axis is None:
        out = torch.linalg.vector_norm(x, ord=p)
        return out.reshape((1,) * x.dim()) if keepdims else out
    return torch.linalg.vector_norm(x, ord=p, dim=int(axis), keepdim=keepdims)


@op
def matvec(a, b, transpose_a=False, adjoint_a=False, name=None):
    """The matrix-vector product `a @ b` over the last axes."""
    a, b = pair(a, b)
    if transpose_a:
        a = a.mT
    elif adjoint_a:
        a = a.mH
    return torch.matmul(a, b.unsqueeze(-1)).squeeze(-1)


@op
def matrix_transpose(a, conjugate=False, name="matrix_transpose"):
    """`a` with its last two axes swapped (and conjugated with `conjugate=True`)."""
    x = to_tensor(a)
    return x.mH if conjugate else x.mT


@op
def inv(input, adjoint=False, name=None):  # noqa: A002
    """The inverse of each square matrix in `input`."""
    x = torch.linalg.inv(to_tensor(input))
    return x.mH if adjoint else x


@op
def det(input, name=None):  # noqa: A002
    """The determinant of each square matrix in `input`."""
    return torch.linalg.det(to_tensor(input))


@op
def slogdet(input, name=None):  # noqa: A002
    """`(sign, log(abs(det)))` of each square matrix in `input`."""
    out = torch.linalg.slogdet(to_tensor(input))
    return out.sign, out.logabsdet


@op
def logdet(matrix, name=None):
    """`log(det(matrix))` of Hermitian positive-definite matrices (via Cholesky)."""
    chol = torch.linalg.cholesky(to_tensor(matrix))
    return 2 * torch.sum(torch.log(torch.diagonal(chol, dim1=-2, dim2=-1).real), dim=-1)


@op
def cholesky(input, name=None):  # noqa: A002
    """The lower Cholesky factor of each Hermitian positive-definite matrix."""
    return torch.linalg.cholesky(to_tensor(input))


@op
def solve(matrix, rhs, adjoint=False, name=None):
    """`X` such that `matrix @ X == rhs`."""
    m, r = pair(matrix, rhs)
    return torch.linalg.solve(m.mH if adjoint else m, r)


@op
def trace(x, name=None):
    """The sum of the main diagonal of each matrix (over the last two axes)."""
    return torch.diagonal(to_tensor(x), dim1=-2, dim2=-1).sum(-1)


@op
def diag(diagonal, name="diag", k=0, num_rows=-1, num_cols=-1, padding_value=0, align="RIGHT_LEFT"):
    """Square matrices with `diagonal` (last axis) on the main (or `k`-th) diagonal."""
    return torch.diag_embed(to_tensor(diagonal), offset=k)


@op
def diag_part(input, name="diag_part", k=0, padding_value=0, align="RIGHT_LEFT"):  # noqa: A002
    """The main (or `k`-th) diagonal of each matrix (over the last two axes)."""
    return torch.diagonal(to_tensor(input), offset=k, dim1=-2, dim2=-1)


@op
def band_part(input, num_lower, num_upper, name=None):  # noqa: A002
    """Keep a central band of each matrix: `num_lower` sub- and `num_upper` super-diagonals (-1: all)."""
    x = to_tensor(input)
    m, n = x.shape[-2], x.shape[-1]
    i = torch.arange(m, device=x.device).unsqueeze(-1)
    j = torch.arange(n, device=x.device)
    keep = torch.ones((m, n), dtype=torch.bool, device=x.device)
    if num_lower >= 0:
        keep &= (i - j) <= num_lower
    if num_upper >= 0:
        keep &= (j - i) <= num_upper
    return torch.where(keep, x, torch.zeros((), dtype=x.dtype, device=x.device))


@op
def qr(input, full_matrices=False, name=None):  # noqa: A002
    """The QR decomposition: `(q, r)` with `input = q @ r`."""
    out = torch.linalg.qr(to_tensor(input), mode="complete" if full_matrices else "reduced")
    return out.Q, out.R


@op
def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """The singular values `s` (and `u`, `v` with `tensor = u @ diag(s) @ adjoint(v)`), TF's order `(s, u, v)`."""
    x = to_tensor(tensor)
    if not compute_uv:
        return torch.linalg.svdvals(x)
    u, s, vh = torch.linalg.svd(x, full_matrices=full_matrices)
    return s, u, vh.mH


@op
def eigh(tensor, name=None):
    """Eigenvalues (ascending) and eigenvectors of Hermitian matrices: `(e, v)`."""
    out = torch.linalg.eigh(to_tensor(tensor))
    return out.eigenvalues, out.eigenvectors


@op
def pinv(a, rcond=None, validate_args=False, name=None):
    """The Moore-Penrose pseudo-inverse of each matrix."""
    return torch.linalg.pinv(to_tensor(a), rtol=rcond)


@op
def cross(a, b, name=None):
    """The cross product of 3-vectors along the last axis."""
    a, b = pair(a, b)
    return torch.linalg.cross(a, b, dim=-1)


@op
def global_norm(t_list, name=None):
    """`sqrt(sum(sum(t ** 2) for t in t_list))`, ignoring None entries."""
    tensors = [to_tensor(t) for t in t_list if t is not None]
    if not tensors:
        return torch.tensor(0.0)
    return torch.sqrt(sum(torch.sum(t * t) for t in tensors))
