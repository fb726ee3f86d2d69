"""`tf.io`: reading and writing files and tensors."""

from capas.io import gfile as gfile
from capas.io.io_ops import parse_tensor as parse_tensor
from capas.io.io_ops import read_file as read_file
from capas.io.io_ops import serialize_tensor as serialize_tensor
from capas.io.io_ops import write_file as write_file
