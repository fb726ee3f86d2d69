"""Keras layers on PyTorch kernels."""

from capas.keras.layers.activations.activation import Activation as Activation
from capas.keras.layers.core.dense import Dense as Dense
from capas.keras.layers.core.identity import Identity as Identity
from capas.keras.layers.core.input_layer import Input as Input
from capas.keras.layers.core.input_layer import InputLayer as InputLayer
from capas.keras.layers.input_spec import InputSpec as InputSpec
from capas.keras.layers.layer import Layer as Layer
from capas.keras.layers.regularization.dropout import Dropout as Dropout
from capas.keras.layers.reshaping.flatten import Flatten as Flatten
from capas.keras.layers.reshaping.reshape import Reshape as Reshape
