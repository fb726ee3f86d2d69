"""`tf.train`: object-based checkpoints (see docs/checkpoints.md)."""

from capas.train.checkpoint import Checkpoint as Checkpoint
from capas.train.checkpoint import CheckpointLoadStatus as CheckpointLoadStatus
from capas.train.checkpoint_management import CheckpointManager as CheckpointManager
from capas.train.checkpoint_management import CheckpointReader as CheckpointReader
from capas.train.checkpoint_management import latest_checkpoint as latest_checkpoint
from capas.train.checkpoint_management import list_variables as list_variables
from capas.train.checkpoint_management import load_checkpoint as load_checkpoint
from capas.train.checkpoint_management import load_variable as load_variable
from capas.train.example import BytesList as BytesList
from capas.train.example import Example as Example
from capas.train.example import Feature as Feature
from capas.train.example import Features as Features
from capas.train.example import FloatList as FloatList
from capas.train.example import Int64List as Int64List
