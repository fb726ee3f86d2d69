"""tf.dtypes: TensorFlow's dtype names (they are torch dtypes) and `as_dtype`."""

from capas.ops import _missing
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
from capas.ops.math import cast as cast
from capas.ops.array_extra import complex_ as complex  # tfcore2
from capas.ops.array_extra import saturate_cast as saturate_cast  # tfcore2

__getattr__ = _missing.make_getattr(__name__, "tf.dtypes")

# tfdata2: the string dtype object (tf.dtypes.string is tf.string)
from capas.ops.strings import string as string  # noqa: E402
