"""tf.random.experimental: generator and seed-splitting names TF keeps here too."""

from capas.random.generator import Generator as Generator
from capas.random.generator import get_global_generator as get_global_generator
from capas.random.generator import set_global_generator as set_global_generator
from capas.random.generator import stateless_split as stateless_split

# tfimage2: the seed and state names TF also keeps here
from capas.random.more import Algorithm as Algorithm
from capas.random.more import create_rng_state as create_rng_state
from capas.random.more import stateless_fold_in as stateless_fold_in
from capas.random.more import stateless_shuffle as stateless_shuffle
