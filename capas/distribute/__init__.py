"""capas.distribute: data-parallel training over torch.distributed (see data_parallel.py)."""

from capas.distribute.data_parallel import average_gradients as average_gradients
from capas.distribute.data_parallel import broadcast_state as broadcast_state
from capas.distribute.data_parallel import is_distributed as is_distributed
from capas.distribute.data_parallel import rank as rank
from capas.distribute.data_parallel import world_size as world_size
