"""`tf.sparse`: SparseTensor basics (to_dense, from_dense, sparse_dense_matmul)."""

from capas.sparse.sparse_tensor import SparseTensor as SparseTensor
from capas.sparse.sparse_tensor import add as add
from capas.sparse.sparse_tensor import from_dense as from_dense
from capas.sparse.sparse_tensor import reduce_sum as reduce_sum
from capas.sparse.sparse_tensor import reorder as reorder
from capas.sparse.sparse_tensor import slice as slice
from capas.sparse.sparse_tensor import sparse_dense_matmul as sparse_dense_matmul
from capas.sparse.sparse_tensor import to_dense as to_dense
