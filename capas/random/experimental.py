"""tf.random.experimental: generator and seed-splitting names TF keeps here too."""

from capas.random.generator import Generator as Generator
from capas.random.generator import get_global_generator as get_global_generator
from capas.random.generator import set_global_generator as set_global_generator
from capas.random.generator import stateless_split as stateless_split
