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

# tfcore2: image codecs (Pillow, optional) and bytes ops
from capas.io.byte_ops import decode_base64 as decode_base64
from capas.io.byte_ops import decode_compressed as decode_compressed
from capas.io.byte_ops import decode_raw as decode_raw
from capas.io.byte_ops import encode_base64 as encode_base64
from capas.io.byte_ops import matching_files as matching_files
from capas.io.image_codecs import decode_and_crop_jpeg as decode_and_crop_jpeg
from capas.io.image_codecs import decode_bmp as decode_bmp
from capas.io.image_codecs import decode_gif as decode_gif
from capas.io.image_codecs import decode_image as decode_image
from capas.io.image_codecs import decode_jpeg as decode_jpeg
from capas.io.image_codecs import decode_png as decode_png
from capas.io.image_codecs import encode_jpeg as encode_jpeg
from capas.io.image_codecs import encode_png as encode_png
from capas.io.image_codecs import extract_jpeg_shape as extract_jpeg_shape
from capas.io.image_codecs import is_jpeg as is_jpeg

# tfdata2: decode_json_example (TensorProto helpers are top level: tf.make_tensor_proto)
from capas.io._tensor_proto import decode_json_example as decode_json_example
from capas.io._sparse_serialize import deserialize_many_sparse as deserialize_many_sparse
from capas.io._sparse_serialize import serialize_many_sparse as serialize_many_sparse
from capas.io._sparse_serialize import serialize_sparse as serialize_sparse
from capas.io._sequence import FixedLenSequenceFeature as FixedLenSequenceFeature
from capas.io._sequence import RaggedFeature as RaggedFeature
from capas.io._sequence import SparseFeature as SparseFeature
from capas.io._sequence import parse_example as parse_example
from capas.io._sequence import parse_sequence_example as parse_sequence_example
from capas.io._sequence import parse_single_example as parse_single_example
from capas.io._sequence import parse_single_sequence_example as parse_single_sequence_example
