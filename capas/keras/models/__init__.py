"""Models: functional graphs, Sequential stacks and subclassed models."""

from capas.keras.models.cloning import clone_model as clone_model
from capas.keras.models.functional import Functional as Functional
from capas.keras.models.model import Model as Model
from capas.keras.models.sequential import Sequential as Sequential
from capas.keras.saving.saving_api import load_model as load_model
from capas.keras.saving.saving_api import model_from_json as model_from_json
from capas.keras.saving.saving_api import save_model as save_model
