"""capas.data: tf.data over torch tensors (`tf.data.Dataset` and friends)."""

# dataset first: its class body binds the functions of the modules that build on it
from capas.data import dataset as dataset
from capas.data import experimental as experimental
from capas.data._batching import DatasetSpec as DatasetSpec
from capas.data._iterator import Iterator as Iterator
from capas.data._options import Options as Options
from capas.data._options import ThreadingOptions as ThreadingOptions
from capas.data.dataset import AUTOTUNE as AUTOTUNE
from capas.data.dataset import INFINITE_CARDINALITY as INFINITE_CARDINALITY
from capas.data.dataset import UNKNOWN_CARDINALITY as UNKNOWN_CARDINALITY
from capas.data.dataset import Dataset as Dataset
from capas.data.readers import TextLineDataset as TextLineDataset
from capas.data.tfrecord import TFRecordDataset as TFRecordDataset
