"""Models: functional graphs, Sequential stacks and subclassed models."""

from capas.keras.models.cloning import clone_model as clone_model
from capas.keras.models.functional import Functional as Functional
from capas.keras.models.model import Model as Model
from capas.keras.models.sequential import Sequential as Sequential
from capas.keras.saving.saving_api import load_model as load_model
from capas.keras.saving.saving_api import model_from_json as model_from_json
from capas.keras.saving.saving_api import save_model as save_model


from capas.keras.saving.object_registration import register_builtins as _register_builtins  # noqa: E402

from capas.keras.models.functional import Functional as _Functional  # noqa: E402

_register_builtins("models", dict(globals(), Functional=_Functional))
