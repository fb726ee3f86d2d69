"""`tf.train`: object-based checkpoints (see docs/checkpoints.md)."""

from capas.train.checkpoint import Checkpoint as Checkpoint
from capas.train.checkpoint import CheckpointLoadStatus as CheckpointLoadStatus
from capas.train.checkpoint_management import CheckpointManager as CheckpointManager
from capas.train.checkpoint_management import CheckpointReader as CheckpointReader
from capas.train.checkpoint_management import latest_checkpoint as latest_checkpoint
from capas.train.checkpoint_management import list_variables as list_variables
from capas.train.checkpoint_management import load_checkpoint as load_checkpoint
from capas.train.checkpoint_management import load_variable as load_variable
from capas.io import _tfrecord

# tfdata2: the rest of tf.train (JobDef/ClusterDef/ServerDef come from __getattr__)
from capas.train import _more
from capas.train._more import CheckpointOptions as CheckpointOptions
from capas.train._more import ClusterSpec as ClusterSpec
from capas.train._more import Coordinator as Coordinator
from capas.train._more import ExponentialMovingAverage as ExponentialMovingAverage
from capas.train._more import checkpoints_iterator as checkpoints_iterator
from capas.train._more import get_checkpoint_state as get_checkpoint_state

# tf.train.Example and its parts are protobuf messages (the optional `protobuf` package, extra
# `data`), built on first use so that `import capas` does not need protobuf.
_EXAMPLE_NAMES = (
    "BytesList",
    "Example",
    "Feature",
    "FeatureList",
    "FeatureLists",
    "Features",
    "FloatList",
    "Int64List",
    "SequenceExample",
)


def __getattr__(name):
    if name in _EXAMPLE_NAMES:
        return getattr(_tfrecord, name)
    if name in _more.CLUSTER_PROTO_NAMES:
        return _more.cluster_proto_class(name)
    raise AttributeError(f"module 'capas.train' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_EXAMPLE_NAMES) | set(_more.CLUSTER_PROTO_NAMES))
