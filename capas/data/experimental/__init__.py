"""`tf.data.experimental`: CSV datasets, Counter, cardinality helpers."""

from capas.data._sources import counter as Counter  # noqa: N812 - TF's spelling
from capas.data.dataset import AUTOTUNE as AUTOTUNE
from capas.data.experimental._csv import CsvDataset as CsvDataset
from capas.data.experimental._csv import make_csv_dataset as make_csv_dataset
from capas.data.dataset import INFINITE_CARDINALITY as INFINITE_CARDINALITY
from capas.data.dataset import UNKNOWN_CARDINALITY as UNKNOWN_CARDINALITY
from capas.data.experimental._cardinality import assert_cardinality as assert_cardinality
from capas.data.experimental._cardinality import cardinality as cardinality
