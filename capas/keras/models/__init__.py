"""Models: functional graphs, Sequential stacks and subclassed models."""

from capas.keras.models.functional import Functional as Functional
from capas.keras.models.model import Model as Model
from capas.keras.models.sequential import Sequential as Sequential
