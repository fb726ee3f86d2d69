"""keras.random: random tensors with Keras 3's seeds (int, SeedGenerator or None)."""

from capas.keras.random.random_ops import beta as beta
from capas.keras.random.random_ops import binomial as binomial
from capas.keras.random.random_ops import categorical as categorical
from capas.keras.random.random_ops import dropout as dropout
from capas.keras.random.random_ops import gamma as gamma
from capas.keras.random.random_ops import normal as normal
from capas.keras.random.random_ops import randint as randint
from capas.keras.random.random_ops import shuffle as shuffle
from capas.keras.random.random_ops import truncated_normal as truncated_normal
from capas.keras.random.random_ops import uniform as uniform
from capas.keras.random.seed_generator import SeedGenerator as SeedGenerator
