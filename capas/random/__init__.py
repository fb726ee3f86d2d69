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

# tfimage2: algorithms and RNG states, seed folding/splitting, gamma/Poisson/binomial, candidate samplers
from capas.random.more import Algorithm as Algorithm
from capas.random.more import all_candidate_sampler as all_candidate_sampler
from capas.random.more import create_rng_state as create_rng_state
from capas.random.more import fixed_unigram_candidate_sampler as fixed_unigram_candidate_sampler
from capas.random.more import fold_in as fold_in
from capas.random.more import gamma as gamma
from capas.random.more import learned_unigram_candidate_sampler as learned_unigram_candidate_sampler
from capas.random.more import log_uniform_candidate_sampler as log_uniform_candidate_sampler
from capas.random.more import poisson as poisson
from capas.random.more import split as split
from capas.random.more import stateless_binomial as stateless_binomial
from capas.random.more import stateless_gamma as stateless_gamma
from capas.random.more import stateless_parameterized_truncated_normal as stateless_parameterized_truncated_normal
from capas.random.more import stateless_poisson as stateless_poisson
from capas.random.more import uniform_candidate_sampler as uniform_candidate_sampler
