"""`tf.summary.experimental`: the default step."""

from capas.summary._writer import get_step as get_step
from capas.summary._writer import set_step as set_step
