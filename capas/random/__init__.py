"""tf.random: random tensors, generators and the global seed."""

from capas.ops import _missing
from capas.ops.random import categorical as categorical
from capas.ops.random import normal as normal
from capas.ops.random import set_seed as set_seed
from capas.ops.random import shuffle as shuffle
from capas.ops.random import truncated_normal as truncated_normal
from capas.ops.random import uniform as uniform
from capas.random import experimental as experimental
from capas.random.generator import Generator as Generator
from capas.random.generator import get_global_generator as get_global_generator
from capas.random.generator import set_global_generator as set_global_generator
from capas.random.generator import stateless_categorical as stateless_categorical
from capas.random.generator import stateless_normal as stateless_normal
from capas.random.generator import stateless_truncated_normal as stateless_truncated_normal
from capas.random.generator import stateless_uniform as stateless_uniform

__getattr__ = _missing.make_getattr(__name__, "tf.random")
