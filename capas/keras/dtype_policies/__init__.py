"""keras.dtype_policies: the dtype policy classes and their get/serialize/deserialize.

Differs from Keras: the quantized policies (`QuantizedDTypePolicy`, `Int8`/`Int4`/`Float8`/GPTQ/AWQ
policies, `DTypePolicyMap`) are not provided; capas has no quantized layers.
"""

from capas.keras.dtype_policies.dtype_policies import deserialize as deserialize
from capas.keras.dtype_policies.dtype_policies import get as get
from capas.keras.dtype_policies.dtype_policies import serialize as serialize
from capas.keras.layers._dtype_policy import DTypePolicy as DTypePolicy
from capas.keras.layers._dtype_policy import FloatDTypePolicy as FloatDTypePolicy
