"""`tf.ragged`: RaggedTensor basics (constant, to_tensor, row_lengths, flat_values, to_list)."""

from capas.ragged.ragged_ops import map_flat_values as map_flat_values
from capas.ragged.ragged_tensor import RaggedTensor as RaggedTensor
from capas.ragged.ragged_tensor import constant as constant
