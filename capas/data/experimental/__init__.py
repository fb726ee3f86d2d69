"""`tf.data.experimental`: CSV datasets, Counter, cardinality helpers, transformation functions."""

from capas.data._options import AutotuneOptions as AutotuneOptions
from capas.data._options import DistributeOptions as DistributeOptions
from capas.data._options import OptimizationOptions as OptimizationOptions
from capas.data._options import ThreadingOptions as ThreadingOptions
from capas.data._optional import Optional as Optional
from capas.data._sources import Counter as Counter
from capas.data.dataset import AUTOTUNE as AUTOTUNE
from capas.data.dataset import INFINITE_CARDINALITY as INFINITE_CARDINALITY
from capas.data.dataset import UNKNOWN_CARDINALITY as UNKNOWN_CARDINALITY
from capas.data.experimental._cardinality import (
    assert_cardinality as assert_cardinality,
)
from capas.data.experimental._cardinality import cardinality as cardinality
from capas.data.experimental._csv import CsvDataset as CsvDataset
from capas.data.experimental._csv import make_csv_dataset as make_csv_dataset
from capas.data.experimental._transformations import (
    bucket_by_sequence_length as bucket_by_sequence_length,
)
from capas.data.experimental._transformations import (
    choose_from_datasets as choose_from_datasets,
)
from capas.data.experimental._transformations import (
    dense_to_ragged_batch as dense_to_ragged_batch,
)
from capas.data.experimental._transformations import (
    enumerate_dataset as enumerate_dataset,
)
from capas.data.experimental._transformations import (
    get_single_element as get_single_element,
)
from capas.data.experimental._transformations import group_by_window as group_by_window
from capas.data.experimental._transformations import ignore_errors as ignore_errors
from capas.data.experimental._transformations import (
    rejection_resample as rejection_resample,
)
from capas.data.experimental._transformations import (
    sample_from_datasets as sample_from_datasets,
)
from capas.data.experimental._transformations import scan as scan
from capas.data.experimental._transformations import snapshot as snapshot
from capas.data.experimental._transformations import take_while as take_while
from capas.data.experimental._transformations import unbatch as unbatch


def get_next_as_optional(iterator):
    """`iterator.get_next_as_optional()` (TF's deprecated spelling)."""
    return iterator.get_next_as_optional()


# tfdata2: the rest of tf.data.experimental
from capas.data.experimental._more import SHARD_HINT as SHARD_HINT  # noqa: E402
from capas.data.experimental._more import AutoShardPolicy as AutoShardPolicy  # noqa: E402
from capas.data.experimental._more import AutotuneAlgorithm as AutotuneAlgorithm  # noqa: E402
from capas.data.experimental._more import DatasetInitializer as DatasetInitializer  # noqa: E402
from capas.data.experimental._more import ExternalStatePolicy as ExternalStatePolicy  # noqa: E402
from capas.data.experimental._more import RandomDataset as RandomDataset  # noqa: E402
from capas.data.experimental._more import Reducer as Reducer  # noqa: E402
from capas.data.experimental._more import SqlDataset as SqlDataset  # noqa: E402
from capas.data.experimental._more import TFRecordWriter as TFRecordWriter  # noqa: E402
from capas.data.experimental._more import at as at  # noqa: E402
from capas.data.experimental._more import copy_to_device as copy_to_device  # noqa: E402
from capas.data.experimental._more import dense_to_sparse_batch as dense_to_sparse_batch  # noqa: E402
from capas.data.experimental._more import enable_debug_mode as enable_debug_mode  # noqa: E402
from capas.data.experimental._more import from_list as from_list  # noqa: E402
from capas.data.experimental._more import get_structure as get_structure  # noqa: E402
from capas.data.experimental._more import group_by_reducer as group_by_reducer  # noqa: E402
from capas.data.experimental._more import index_table_from_dataset as index_table_from_dataset  # noqa: E402
from capas.data.experimental._more import load as load  # noqa: E402
from capas.data.experimental._more import make_batched_features_dataset as make_batched_features_dataset  # noqa: E402
from capas.data.experimental._more import map_and_batch as map_and_batch  # noqa: E402
from capas.data.experimental._more import pad_to_cardinality as pad_to_cardinality  # noqa: E402
from capas.data.experimental._more import parallel_interleave as parallel_interleave  # noqa: E402
from capas.data.experimental._more import parse_example_dataset as parse_example_dataset  # noqa: E402
from capas.data.experimental._more import prefetch_to_device as prefetch_to_device  # noqa: E402
from capas.data.experimental._more import save as save  # noqa: E402
from capas.data.experimental._more import shuffle_and_repeat as shuffle_and_repeat  # noqa: E402
from capas.data.experimental._more import table_from_dataset as table_from_dataset  # noqa: E402
from capas.data.experimental._more import unique as unique  # noqa: E402
