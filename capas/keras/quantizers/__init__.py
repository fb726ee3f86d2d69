"""keras.quantizers: abs-max quantization, float8 scaling and int4 packing (see quantizers.py)."""

from capas.keras.quantizers.quantizers import AbsMaxQuantizer as AbsMaxQuantizer
from capas.keras.quantizers.quantizers import Quantizer as Quantizer
from capas.keras.quantizers.quantizers import abs_max_quantize as abs_max_quantize
from capas.keras.quantizers.quantizers import compute_float8_amax_history as compute_float8_amax_history
from capas.keras.quantizers.quantizers import compute_float8_scale as compute_float8_scale
from capas.keras.quantizers.quantizers import pack_int4 as pack_int4
from capas.keras.quantizers.quantizers import quantize_and_dequantize as quantize_and_dequantize
from capas.keras.quantizers.quantizers import unpack_int4 as unpack_int4
from capas.keras.quantizers.registry import deserialize as deserialize
from capas.keras.quantizers.registry import get as get
from capas.keras.quantizers.registry import serialize as serialize
