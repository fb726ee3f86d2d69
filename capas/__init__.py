"""capas: the Keras programming model of the TensorFlow 2 tutorials, on PyTorch.

    import capas as tf
    from capas import keras
    from capas.keras import layers
"""

from capas.ops._convert import convert_to_tensor as convert_to_tensor
from capas.tape import GradientTape as GradientTape
from capas.tape import record_gradients as record_gradients
from capas.variables import Variable as Variable
from capas.variables import name_scope as name_scope
