"""capas.distribute: `tf.distribute` on processes started by torchrun (DDP underneath).

    strategy = tf.distribute.MirroredStrategy()
    with strategy.scope():
        model = ...; model.compile(...)
    model.fit(dataset_of_global_batches)

See docs/distributed.md for the launch recipes.
"""

from capas.distribute import cluster_resolver as cluster_resolver
from capas.distribute import experimental as experimental
from capas.distribute.data_parallel import broadcast_state as broadcast_state
from capas.distribute.input import DistributedDataset as DistributedDataset
from capas.distribute.input import InputContext as InputContext
from capas.distribute.process_group import is_distributed as is_distributed
from capas.distribute.process_group import rank as rank
from capas.distribute.process_group import world_size as world_size
from capas.distribute.reduce_op import ReduceOp as ReduceOp
from capas.distribute.strategy import FSDPStrategy as FSDPStrategy
from capas.distribute.strategy import MirroredStrategy as MirroredStrategy
from capas.distribute.strategy import MultiWorkerMirroredStrategy as MultiWorkerMirroredStrategy
from capas.distribute.strategy import OneDeviceStrategy as OneDeviceStrategy
from capas.distribute.strategy import Strategy as Strategy
from capas.distribute.strategy import get_strategy as get_strategy
from capas.distribute.strategy import has_strategy as has_strategy
from capas.distribute.strategy import in_cross_replica_context as in_cross_replica_context
