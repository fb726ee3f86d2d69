"""tf.nn: activations, dropout, normalization helpers and cross-entropies."""

from capas.ops import _missing
from capas.distribute.losses import compute_average_loss as compute_average_loss
from capas.distribute.losses import scale_regularization_loss as scale_regularization_loss
from capas.ops.nn import batch_normalization as batch_normalization
from capas.ops.nn import bias_add as bias_add
from capas.ops.nn import dropout as dropout
from capas.ops.nn import elu as elu
from capas.ops.nn import embedding_lookup as embedding_lookup
from capas.ops.nn import gelu as gelu
from capas.ops.nn import l2_loss as l2_loss
from capas.ops.nn import l2_normalize as l2_normalize
from capas.ops.nn import leaky_relu as leaky_relu
from capas.ops.nn import log_softmax as log_softmax
from capas.ops.nn import moments as moments
from capas.ops.nn import relu as relu
from capas.ops.nn import relu6 as relu6
from capas.ops.nn import selu as selu
from capas.ops.nn import sigmoid as sigmoid
from capas.ops.nn import sigmoid_cross_entropy_with_logits as sigmoid_cross_entropy_with_logits
from capas.ops.nn import silu as silu
from capas.ops.nn import softmax as softmax
from capas.ops.nn import softmax_cross_entropy_with_logits as softmax_cross_entropy_with_logits
from capas.ops.nn import softplus as softplus
from capas.ops.nn import softsign as softsign
from capas.ops.nn import sparse_softmax_cross_entropy_with_logits as sparse_softmax_cross_entropy_with_logits
from capas.ops.nn import swish as swish
from capas.ops.nn import tanh as tanh
from capas.ops.nn import weighted_cross_entropy_with_logits as weighted_cross_entropy_with_logits
from capas.ops.nn_conv import avg_pool as avg_pool
from capas.ops.nn_conv import avg_pool1d as avg_pool1d
from capas.ops.nn_conv import avg_pool2d as avg_pool2d
from capas.ops.nn_conv import conv1d as conv1d
from capas.ops.nn_conv import conv2d as conv2d
from capas.ops.nn_conv import conv3d as conv3d
from capas.ops.nn_conv import convolution as convolution
from capas.ops.nn_conv import max_pool as max_pool
from capas.ops.nn_conv import max_pool1d as max_pool1d
from capas.ops.nn_conv import max_pool2d as max_pool2d
from capas.ops.reduction import top_k as top_k

# tfcore2: transposed/depthwise/separable convolutions, 3-d pooling, depth/space moves, CTC, small ops
from capas.ops.nn_conv_transpose import atrous_conv2d as atrous_conv2d
from capas.ops.nn_conv_transpose import avg_pool3d as avg_pool3d
from capas.ops.nn_conv_transpose import conv1d_transpose as conv1d_transpose
from capas.ops.nn_conv_transpose import conv2d_transpose as conv2d_transpose
from capas.ops.nn_conv_transpose import conv3d_transpose as conv3d_transpose
from capas.ops.nn_conv_transpose import conv_transpose as conv_transpose
from capas.ops.nn_conv_transpose import depth_to_space as depth_to_space
from capas.ops.nn_conv_transpose import depthwise_conv2d as depthwise_conv2d
from capas.ops.nn_conv_transpose import max_pool3d as max_pool3d
from capas.ops.nn_conv_transpose import separable_conv2d as separable_conv2d
from capas.ops.nn_conv_transpose import space_to_depth as space_to_depth
from capas.ops.nn_ctc import ctc_greedy_decoder as ctc_greedy_decoder
from capas.ops.nn_ctc import ctc_loss as ctc_loss
from capas.ops.nn_embedding_sparse import embedding_lookup_sparse as embedding_lookup_sparse
from capas.ops.nn_embedding_sparse import safe_embedding_lookup_sparse as safe_embedding_lookup_sparse
from capas.ops.nn_extra import crelu as crelu
from capas.ops.nn_extra import in_top_k as in_top_k
from capas.ops.nn_extra import local_response_normalization as local_response_normalization
from capas.ops.nn_extra import log_poisson_loss as log_poisson_loss
from capas.ops.nn_extra import lrn as lrn
from capas.ops.nn_extra import normalize_moments as normalize_moments
from capas.ops.nn_extra import sufficient_statistics as sufficient_statistics
from capas.ops.nn_extra import weighted_moments as weighted_moments
from capas.ops.nn_extra import zero_fraction as zero_fraction
from capas.ops.nn_pool_extra import approx_max_k as approx_max_k
from capas.ops.nn_pool_extra import approx_min_k as approx_min_k
from capas.ops.nn_pool_extra import batch_norm_with_global_normalization as batch_norm_with_global_normalization
from capas.ops.nn_pool_extra import collapse_repeated as collapse_repeated
from capas.ops.nn_pool_extra import dilation2d as dilation2d
from capas.ops.nn_pool_extra import erosion2d as erosion2d
from capas.ops.nn_pool_extra import max_pool_with_argmax as max_pool_with_argmax
from capas.ops.nn_pool_extra import pool as pool
from capas.ops.nn_pool_extra import space_to_batch as space_to_batch

__getattr__ = _missing.make_getattr(__name__, "tf.nn")
