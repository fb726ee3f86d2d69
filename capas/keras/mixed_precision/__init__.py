"""keras.mixed_precision: dtype policies ('mixed_float16', 'mixed_bfloat16') and loss scaling."""

from capas.keras.layers._dtype_policy import DTypePolicy as DTypePolicy
from capas.keras.layers._dtype_policy import DTypePolicy as Policy
from capas.keras.layers._dtype_policy import global_policy as global_policy
from capas.keras.layers._dtype_policy import set_global_policy as set_global_policy
from capas.keras.optimizers import LossScaleOptimizer as LossScaleOptimizer
from capas.keras.layers._dtype_policy import global_policy as dtype_policy
from capas.keras.layers._dtype_policy import set_global_policy as set_dtype_policy
