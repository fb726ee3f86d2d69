"""capas.keras: Keras 3's public surface, on PyTorch."""

from capas.keras import distribution as distribution
from capas.keras import activations as activations
from capas.keras import backend as backend
from capas.keras import callbacks as callbacks
from capas.keras import config as config
from capas.keras import constraints as constraints
from capas.keras import datasets as datasets
from capas.keras import initializers as initializers
from capas.keras import layers as layers
from capas.keras import losses as losses
from capas.keras import metrics as metrics
from capas.keras import mixed_precision as mixed_precision
from capas.keras import models as models
from capas.keras import ops as ops
from capas.keras import optimizers as optimizers
from capas.keras import preprocessing as preprocessing
from capas.keras import random as random
from capas.keras import regularizers as regularizers
from capas.keras import saving as saving
from capas.keras import utils as utils
from capas.keras.utils import FeatureSpace as _FeatureSpace  # noqa: F401 - imports it: registers it for load_model
from capas.keras.backend.variable import Variable as Variable
from capas.keras.layers import Input as Input
from capas.keras.layers import InputSpec as InputSpec
from capas.keras.layers import Layer as Layer
from capas.keras.layers._symbolic import KerasTensor as KerasTensor
from capas.keras.models import Model as Model
from capas.keras.models import Sequential as Sequential
