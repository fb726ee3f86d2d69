"""capas: the Keras programming model of the TensorFlow 2 tutorials, on PyTorch.

    import capas as tf
    from capas import keras
    from capas.keras import layers

A name TensorFlow has and capas does not (yet) raises an AttributeError that
says so; nothing falls back silently.
"""

from capas import _torch_compat as _torch_compat  # noqa: F401  (Tensor.numpy() inside a tape)

from capas.ops._convert import convert_to_tensor as convert_to_tensor
from capas.tape import GradientTape as GradientTape
from capas.tape import UnconnectedGradients as UnconnectedGradients
from capas.tape import record_gradients as record_gradients
from capas.variables import Variable as Variable
from capas.variables import name_scope as name_scope

# tf-style ops (capas/ops/), grouped by the file that defines them
from capas.ops.control_flow import cond as cond
from capas.ops.control_flow import while_loop as while_loop
from capas.ops.control_flow import map_fn as map_fn
from capas.ops.array import broadcast_to as broadcast_to
from capas.ops.array import concat as concat
from capas.ops.array import constant as constant
from capas.ops.array import expand_dims as expand_dims
from capas.ops.array import eye as eye
from capas.ops.array import fill as fill
from capas.ops.array import identity as identity
from capas.ops.array import linspace as linspace
from capas.ops.array import meshgrid as meshgrid
from capas.ops.array import newaxis as newaxis
from capas.ops.array import ones as ones
from capas.ops.array import ones_like as ones_like
from capas.ops.array import range as range
from capas.ops.array import rank as rank
from capas.ops.array import repeat as repeat
from capas.ops.array import reshape as reshape
from capas.ops.array import reverse as reverse
from capas.ops.array import roll as roll
from capas.ops.array import sequence_mask as sequence_mask
from capas.ops.array import shape as shape
from capas.ops.array import size as size
from capas.ops.array import slice as slice
from capas.ops.array import split as split
from capas.ops.array import squeeze as squeeze
from capas.ops.array import stack as stack
from capas.ops.array import stop_gradient as stop_gradient
from capas.ops.array import tile as tile
from capas.ops.array import transpose as transpose
from capas.ops.array import unstack as unstack
from capas.ops.array import zeros as zeros
from capas.ops.array import zeros_like as zeros_like
from capas.ops.indexing import boolean_mask as boolean_mask
from capas.ops.indexing import strided_slice as strided_slice
from capas.ops.indexing import gather as gather
from capas.ops.indexing import gather_nd as gather_nd
from capas.ops.indexing import one_hot as one_hot
from capas.ops.indexing import pad as pad
from capas.ops.indexing import scatter_nd as scatter_nd
from capas.ops.indexing import tensor_scatter_nd_add as tensor_scatter_nd_add
from capas.ops.indexing import tensor_scatter_nd_update as tensor_scatter_nd_update
from capas.ops.indexing import where as where
from capas.ops.math import abs as abs
from capas.ops.math import acos as acos
from capas.ops.math import acosh as acosh
from capas.ops.math import add as add
from capas.ops.math import add_n as add_n
from capas.ops.math import asin as asin
from capas.ops.math import asinh as asinh
from capas.ops.math import atan as atan
from capas.ops.math import atan2 as atan2
from capas.ops.math import atanh as atanh
from capas.ops.math import cast as cast
from capas.ops.math import clip_by_global_norm as clip_by_global_norm
from capas.ops.math import clip_by_norm as clip_by_norm
from capas.ops.math import clip_by_value as clip_by_value
from capas.ops.math import cos as cos
from capas.ops.math import cosh as cosh
from capas.ops.math import divide as divide
from capas.ops.math import einsum as einsum
from capas.ops.math import equal as equal
from capas.ops.math import exp as exp
from capas.ops.math import floor as floor
from capas.ops.math import greater as greater
from capas.ops.math import greater_equal as greater_equal
from capas.ops.math import less as less
from capas.ops.math import less_equal as less_equal
from capas.ops.math import logical_and as logical_and
from capas.ops.math import logical_not as logical_not
from capas.ops.math import logical_or as logical_or
from capas.ops.math import matmul as matmul
from capas.ops.math import maximum as maximum
from capas.ops.math import minimum as minimum
from capas.ops.math import multiply as multiply
from capas.ops.math import negative as negative
from capas.ops.math import not_equal as not_equal
from capas.ops.math import pow as pow
from capas.ops.math import round as round
from capas.ops.math import sigmoid as sigmoid
from capas.ops.math import sign as sign
from capas.ops.math import sin as sin
from capas.ops.math import sinh as sinh
from capas.ops.math import sqrt as sqrt
from capas.ops.math import square as square
from capas.ops.math import subtract as subtract
from capas.ops.math import tan as tan
from capas.ops.math import tanh as tanh
from capas.ops.math import tensordot as tensordot
from capas.ops.math import truediv as truediv
from capas.ops.reduction import argmax as argmax
from capas.ops.reduction import argmin as argmin
from capas.ops.reduction import argsort as argsort
from capas.ops.reduction import cumsum as cumsum
from capas.ops.reduction import reduce_all as reduce_all
from capas.ops.reduction import reduce_any as reduce_any
from capas.ops.reduction import reduce_logsumexp as reduce_logsumexp
from capas.ops.reduction import reduce_max as reduce_max
from capas.ops.reduction import reduce_mean as reduce_mean
from capas.ops.reduction import reduce_min as reduce_min
from capas.ops.reduction import reduce_prod as reduce_prod
from capas.ops.reduction import reduce_sum as reduce_sum
from capas.ops.reduction import sort as sort
from capas.ops.linalg import norm as norm
from capas.ops.dtypes import DType as DType
from capas.ops.dtypes import as_dtype as as_dtype
from capas.ops.dtypes import bfloat16 as bfloat16
from capas.ops.dtypes import bool as bool
from capas.ops.dtypes import complex128 as complex128
from capas.ops.dtypes import complex64 as complex64
from capas.ops.dtypes import double as double
from capas.ops.dtypes import float16 as float16
from capas.ops.dtypes import float32 as float32
from capas.ops.dtypes import float64 as float64
from capas.ops.dtypes import half as half
from capas.ops.dtypes import int16 as int16
from capas.ops.dtypes import int32 as int32
from capas.ops.dtypes import int64 as int64
from capas.ops.dtypes import int8 as int8
from capas.ops.dtypes import uint16 as uint16
from capas.ops.dtypes import uint32 as uint32
from capas.ops.dtypes import uint64 as uint64
from capas.ops.dtypes import uint8 as uint8
from capas.ops.tensor_shape import TensorShape as TensorShape
from capas.ops.tensor_spec import TensorSpec as TensorSpec
from capas.ops.init_ops import constant_initializer as constant_initializer
from capas.ops.init_ops import ones_initializer as ones_initializer
from capas.ops.init_ops import random_normal_initializer as random_normal_initializer
from capas.ops.init_ops import random_uniform_initializer as random_uniform_initializer
from capas.ops.init_ops import zeros_initializer as zeros_initializer
from capas.ops.custom_gradient import custom_gradient as custom_gradient
from capas.ops.framework import Tensor as Tensor
from capas.ops.framework import device as device
from capas.ops.framework import executing_eagerly as executing_eagerly
from capas.ops.framework import is_tensor as is_tensor
from capas.ops.framework import print as print
from capas._function.decorator import function as function

# namespaces: tf.math, tf.nn, tf.random, tf.linalg, tf.dtypes, tf.config
from capas import dtypes as dtypes
from capas import linalg as linalg
from capas import math as math
from capas import nn as nn
from capas import random as random
from capas.ops import _missing

# tfcore: tf.Module, tf.train, tf.saved_model, tf.errors, tf.string and tf.strings, TensorArray, io, sparse, ragged
from capas import compat as compat  # tf.compat: as_bytes/as_text/as_str_any/path_to_str
from capas import errors as errors
from capas import image as image  # tf.image (capas/image)
from capas import io as io
from capas import ragged as ragged
from capas import saved_model as saved_model
from capas import sparse as sparse
from capas import strings as strings
from capas import train as train
from capas import version as version
from capas.module import Module as Module
from capas.module import init_scope as init_scope
from capas.ops.py_function import numpy_function as numpy_function
from capas.ops.py_function import py_function as py_function
from capas.ops.strings import StringTensor as StringTensor
from capas.ops.strings import string as string
from capas.ops.tensor_array import TensorArray as TensorArray
from capas.ragged.ragged_tensor import RaggedTensor as RaggedTensor
from capas.ragged.ragged_tensor_spec import RaggedTensorSpec as RaggedTensorSpec
from capas.sparse.sparse_tensor import SparseTensor as SparseTensor
from capas.version import VERSION as __version__
from capas.ops import config as config

__getattr__ = _missing.make_getattr(__name__, "tf")

# the Keras surface and the small tf.data (added by the lead; keep last: they import the ops above)
from capas import data as data
from capas import keras as keras

# tfcore: TF's short aliases of Keras namespaces (tf.metrics, tf.losses, tf.optimizers, tf.initializers)
from capas.keras import initializers as initializers
from capas.keras import losses as losses
from capas.keras import metrics as metrics
from capas.keras import optimizers as optimizers
from capas import distribute as distribute
from capas import experimental as experimental  # tf.experimental.Optional

# tfcore2: tf.nest, tf.debugging (and its top-level assert aliases), control/functional ops, math extras, tf.test
from capas import debugging as debugging
from capas import nest as nest
from capas.ops.check_ops import Assert as Assert
from capas.ops.check_ops import assert_equal as assert_equal
from capas.ops.check_ops import assert_greater as assert_greater
from capas.ops.check_ops import assert_less as assert_less
from capas.ops.check_ops import assert_rank as assert_rank
from capas import autodiff as autodiff
from capas import autograph as autograph
from capas import bitwise as bitwise
from capas.ops.functional_ops import get_static_value as get_static_value
from capas.ops.functional_ops import control_dependencies as control_dependencies
from capas.ops.functional_ops import group as group
from capas.ops.functional_ops import no_op as no_op
from capas.ops.functional_ops import switch_case as switch_case
from capas.ops.functional_ops import case as case
from capas.ops.functional_ops import scan as scan
from capas.ops.functional_ops import foldl as foldl
from capas.ops.functional_ops import foldr as foldr
from capas.ops.functional_ops import vectorized_map as vectorized_map
from capas.ops.segment_ops import unique as unique
from capas.ops.segment_ops import unique_with_counts as unique_with_counts
from capas.ops.segment_ops import searchsorted as searchsorted
from capas.ops.segment_ops import histogram_fixed_width as histogram_fixed_width
from capas.ops.segment_ops import histogram_fixed_width_bins as histogram_fixed_width_bins
from capas.ops.math_extra import scalar_mul as scalar_mul
from capas.ops.math_extra import tensor_scatter_nd_max as tensor_scatter_nd_max
from capas.ops.math_extra import tensor_scatter_nd_min as tensor_scatter_nd_min
from capas.ops.math_extra import tensor_scatter_nd_sub as tensor_scatter_nd_sub
from capas import sets as sets
from capas.ops.array_extra import space_to_batch as space_to_batch
from capas.ops.array_extra import space_to_batch_nd as space_to_batch_nd
from capas.ops.array_extra import batch_to_space as batch_to_space
from capas.ops.array_extra import bitcast as bitcast
from capas.ops.array_extra import broadcast_static_shape as broadcast_static_shape
from capas.ops.array_extra import broadcast_dynamic_shape as broadcast_dynamic_shape
from capas.ops.array_extra import dynamic_partition as dynamic_partition
from capas.ops.array_extra import dynamic_stitch as dynamic_stitch
from capas.ops.array_extra import ensure_shape as ensure_shape
from capas.ops.array_extra import identity_n as identity_n
from capas.ops.array_extra import tuple_ as tuple
from capas.ops.array_extra import parallel_stack as parallel_stack
from capas.ops.array_extra import realdiv as realdiv
from capas.ops.array_extra import truncatediv as truncatediv
from capas.ops.array_extra import reverse_sequence as reverse_sequence
from capas.ops.array_extra import saturate_cast as saturate_cast
from capas.ops.array_extra import shape_n as shape_n
from capas.ops.array_extra import unravel_index as unravel_index
from capas.ops.array_extra import complex_ as complex
from capas.ops.math import truncatemod as truncatemod
from capas.ops.array_extra import guarantee_const as guarantee_const
from capas.ops.array_extra import inside_function as inside_function
from capas.ops.array_extra import timestamp as timestamp
from capas.ops.array_extra import get_logger as get_logger
from capas.ops.array_extra import gradients as gradients
from capas.ops.array_extra import hessians as hessians
from capas.ops.array_extra import grad_pass_through as grad_pass_through
from capas.ops.array_extra import recompute_grad as recompute_grad
from capas import test as test
from capas.ops.array_extra import get_current_name_scope as get_current_name_scope
from capas.ops.array_extra import eig as eig
from capas.ops.array_extra import eigvals as eigvals
from capas.ops.array_extra import required_space_to_batch_paddings as required_space_to_batch_paddings
from capas.ops.variable_enums import AggregationMethod as AggregationMethod
from capas.ops.variable_enums import VariableAggregation as VariableAggregation
from capas.ops.variable_enums import VariableSynchronization as VariableSynchronization
from capas.ops.variable_enums import is_symbolic_tensor as is_symbolic_tensor
from capas.ops.variable_enums import no_gradient as no_gradient
from capas.ops.device_spec import DeviceSpec as DeviceSpec
from capas.ops.indexed_slices import IndexedSlices as IndexedSlices
from capas.ops.graph import Graph as Graph
from capas.ops.graph import Operation as Operation
from capas.ops._convert import register_tensor_conversion_function as register_tensor_conversion_function

# tfcore2: tf.summary, tf.signal, tf.audio, tf.lookup
from capas import audio as audio
from capas import lookup as lookup
from capas import signal as signal
from capas import summary as summary

# tfdata2: TypeSpecs, as_string, edit_distance, fingerprint, make_tensor_proto/make_ndarray
from capas.ops.tfdata2_ops import as_string as as_string
from capas.ops.tfdata2_ops import edit_distance as edit_distance
from capas.ops.tfdata2_ops import fingerprint as fingerprint
from capas.ops.type_spec import IndexedSlicesSpec as IndexedSlicesSpec
from capas.ops.type_spec import NoneTensorSpec as NoneTensorSpec
from capas.ops.type_spec import OptionalSpec as OptionalSpec
from capas.ops.type_spec import SparseTensorSpec as SparseTensorSpec
from capas.ops.type_spec import TensorArraySpec as TensorArraySpec
from capas.ops.type_spec import TypeSpec as TypeSpec
from capas.ops.type_spec import type_spec_from_value as type_spec_from_value
from capas.ops import type_spec as _type_spec

from capas.io._tensor_proto import make_ndarray as make_ndarray
from capas.io._tensor_proto import make_tensor_proto as make_tensor_proto

_type_spec._register()
