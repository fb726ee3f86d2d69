"""tf.random: random tensors and the global seed."""

from capas.ops import _missing
from capas.ops.random import categorical as categorical
from capas.ops.random import normal as normal
from capas.ops.random import set_seed as set_seed
from capas.ops.random import shuffle as shuffle
from capas.ops.random import truncated_normal as truncated_normal
from capas.ops.random import uniform as uniform

__getattr__ = _missing.make_getattr(__name__, "tf.random")
