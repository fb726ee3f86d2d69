"""`tf.io`: reading and writing files and tensors."""

from capas.io import gfile as gfile
from capas.io.decode_csv import decode_csv as decode_csv
from capas.io.io_ops import parse_tensor as parse_tensor
from capas.io.io_ops import read_file as read_file
from capas.io.io_ops import serialize_tensor as serialize_tensor
from capas.io.io_ops import write_file as write_file
from capas.io._tfrecord import FixedLenFeature as FixedLenFeature
from capas.io._tfrecord import TFRecordOptions as TFRecordOptions
from capas.io._tfrecord import TFRecordWriter as TFRecordWriter
from capas.io._tfrecord import VarLenFeature as VarLenFeature
from capas.io._tfrecord import parse_example as parse_example
from capas.io._tfrecord import parse_single_example as parse_single_example
