"""`tf.distribute.experimental`: the names TF programs still spell with `experimental`."""

import enum

from capas.distribute.process_group import CommunicationOptions as CommunicationOptions
from capas.distribute.strategy import MultiWorkerMirroredStrategy as MultiWorkerMirroredStrategy


class CommunicationImplementation(enum.Enum):
    """Accepted for TF compatibility: torch.distributed picks NCCL on CUDA, gloo on the CPU."""

    AUTO = "AUTO"
    RING = "RING"
    NCCL = "NCCL"


CollectiveCommunication = CommunicationImplementation
