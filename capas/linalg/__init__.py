"""tf.linalg: linear algebra."""

from capas.ops import _missing
from capas.ops.array import eye as eye
from capas.ops.linalg import band_part as band_part
from capas.ops.linalg import cholesky as cholesky
from capas.ops.linalg import cross as cross
from capas.ops.linalg import det as det
from capas.ops.linalg import diag as diag
from capas.ops.linalg import diag_part as diag_part
from capas.ops.linalg import eigh as eigh
from capas.ops.linalg import global_norm as global_norm
from capas.ops.linalg import inv as inv
from capas.ops.linalg import logdet as logdet
from capas.ops.linalg import matrix_transpose as matrix_transpose
from capas.ops.linalg import matvec as matvec
from capas.ops.linalg import norm as norm
from capas.ops.linalg import pinv as pinv
from capas.ops.linalg import qr as qr
from capas.ops.linalg import slogdet as slogdet
from capas.ops.linalg import solve as solve
from capas.ops.linalg import svd as svd
from capas.ops.linalg import trace as trace
from capas.ops.math import einsum as einsum
from capas.ops.math import matmul as matmul
from capas.ops.math import tensordot as tensordot
from capas.ops.nn import l2_normalize as l2_normalize

__getattr__ = _missing.make_getattr(__name__, "tf.linalg")
