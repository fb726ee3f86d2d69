"""`tf.saved_model`: save and load capas models and modules (capas's own safe format)."""

from capas.saved_model.saved_model import load as load
from capas.saved_model.saved_model import save as save
