"""`strategy.cluster_resolver`: the cluster as torchrun describes it in the environment."""

import os


class TorchrunClusterResolver:
    """Every process is a `'worker'`; `task_id` is its rank (worker 0 is the chief).

    TF programs read `task_type`, `task_id` and `cluster_spec()` to decide
    which worker writes files; here the rank comes from torchrun's `RANK`
    (0 without torchrun).

    Example:

    >>> import capas as tf
    >>> resolver = tf.distribute.cluster_resolver.TFConfigClusterResolver()
    >>> (resolver.task_type, resolver.task_id)
    ('worker', 0)
    """

    rpc_layer = "grpc"

    def __init__(self, *args, **kwargs):
        self.task_type = "worker"
        self.task_id = int(os.environ.get("RANK", "0"))
        self.environment = ""

    def num_workers(self):
        return int(os.environ.get("WORLD_SIZE", "1"))

    def cluster_spec(self):
        """A dict {'worker': [...]} with one entry per process (host:port of the rendezvous for each)."""
        address = f"{os.environ.get('MASTER_ADDR', 'localhost')}:{os.environ.get('MASTER_PORT', '0')}"
        return {"worker": [address] * self.num_workers()}

    def master(self, task_type=None, task_id=None, rpc_layer=None):
        return f"{os.environ.get('MASTER_ADDR', 'localhost')}:{os.environ.get('MASTER_PORT', '0')}"

    def num_accelerators(self, task_type=None, task_id=None, config_proto=None):
        import torch

        return {"GPU": torch.cuda.device_count()} if torch.cuda.is_available() else {}


TFConfigClusterResolver = TorchrunClusterResolver
