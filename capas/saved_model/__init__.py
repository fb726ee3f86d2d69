"""`tf.saved_model`: save and load capas models and modules (capas's own safe format)."""

from capas.saved_model.saved_model import load as load
from capas.saved_model.saved_model import save as save

# tfdata2: constants, options, Asset, contains_saved_model
from capas.saved_model._more import ASSETS_DIRECTORY as ASSETS_DIRECTORY
from capas.saved_model._more import ASSETS_KEY as ASSETS_KEY
from capas.saved_model._more import CLASSIFY_INPUTS as CLASSIFY_INPUTS
from capas.saved_model._more import CLASSIFY_METHOD_NAME as CLASSIFY_METHOD_NAME
from capas.saved_model._more import CLASSIFY_OUTPUT_CLASSES as CLASSIFY_OUTPUT_CLASSES
from capas.saved_model._more import CLASSIFY_OUTPUT_SCORES as CLASSIFY_OUTPUT_SCORES
from capas.saved_model._more import DEBUG_DIRECTORY as DEBUG_DIRECTORY
from capas.saved_model._more import DEBUG_INFO_FILENAME_PB as DEBUG_INFO_FILENAME_PB
from capas.saved_model._more import DEFAULT_SERVING_SIGNATURE_DEF_KEY as DEFAULT_SERVING_SIGNATURE_DEF_KEY
from capas.saved_model._more import GPU as GPU
from capas.saved_model._more import PREDICT_INPUTS as PREDICT_INPUTS
from capas.saved_model._more import PREDICT_METHOD_NAME as PREDICT_METHOD_NAME
from capas.saved_model._more import PREDICT_OUTPUTS as PREDICT_OUTPUTS
from capas.saved_model._more import REGRESS_INPUTS as REGRESS_INPUTS
from capas.saved_model._more import REGRESS_METHOD_NAME as REGRESS_METHOD_NAME
from capas.saved_model._more import REGRESS_OUTPUTS as REGRESS_OUTPUTS
from capas.saved_model._more import SAVED_MODEL_FILENAME_PB as SAVED_MODEL_FILENAME_PB
from capas.saved_model._more import SAVED_MODEL_FILENAME_PBTXT as SAVED_MODEL_FILENAME_PBTXT
from capas.saved_model._more import SAVED_MODEL_SCHEMA_VERSION as SAVED_MODEL_SCHEMA_VERSION
from capas.saved_model._more import SERVING as SERVING
from capas.saved_model._more import TPU as TPU
from capas.saved_model._more import TRAINING as TRAINING
from capas.saved_model._more import VARIABLES_DIRECTORY as VARIABLES_DIRECTORY
from capas.saved_model._more import VARIABLES_FILENAME as VARIABLES_FILENAME
from capas.saved_model._more import Asset as Asset
from capas.saved_model._more import LoadOptions as LoadOptions
from capas.saved_model._more import SaveOptions as SaveOptions
from capas.saved_model._more import contains_saved_model as contains_saved_model
