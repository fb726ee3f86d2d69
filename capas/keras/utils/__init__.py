"""keras.utils: data loading tools, progress bar, model plots and small helpers."""

from capas.keras.saving.object_registration import (
    CustomObjectScope as CustomObjectScope,
)
from capas.keras.saving.object_registration import (
    custom_object_scope as custom_object_scope,
)
from capas.keras.saving.object_registration import (
    get_custom_objects as get_custom_objects,
)
from capas.keras.saving.object_registration import (
    get_registered_name as get_registered_name,
)
from capas.keras.saving.object_registration import (
    get_registered_object as get_registered_object,
)
from capas.keras.saving.object_registration import (
    register_keras_serializable as register_keras_serializable,
)
from capas.keras.saving.serialization_lib import deserialize_keras_object as deserialize_keras_object
from capas.keras.saving.serialization_lib import serialize_keras_object as serialize_keras_object
from capas.keras.utils.config import Config as Config
from capas.keras._io_utils import disable_interactive_logging as disable_interactive_logging
from capas.keras._io_utils import enable_interactive_logging as enable_interactive_logging
from capas.keras._io_utils import is_interactive_logging_enabled as is_interactive_logging_enabled
from capas.keras.utils._get_file import get_file as get_file
from capas.keras.utils._structures import get_source_inputs as get_source_inputs
from capas.keras.utils._structures import is_keras_tensor as is_keras_tensor
from capas.keras.utils._structures import (
    pack_x_y_sample_weight as pack_x_y_sample_weight,
)
from capas.keras.utils._structures import standardize_dtype as standardize_dtype
from capas.keras.utils._structures import (
    unpack_x_y_sample_weight as unpack_x_y_sample_weight,
)
from capas.keras.utils.audio_dataset import (
    audio_dataset_from_directory as audio_dataset_from_directory,
)
from capas.keras.utils.image_dataset import (
    image_dataset_from_directory as image_dataset_from_directory,
)
from capas.keras.utils.image_utils import array_to_img as array_to_img
from capas.keras.utils.image_utils import img_to_array as img_to_array
from capas.keras.utils.image_utils import load_img as load_img
from capas.keras.utils.image_utils import save_img as save_img
from capas.keras.utils.misc import clear_session as clear_session
from capas.keras.utils.misc import normalize as normalize
from capas.keras.utils.misc import set_random_seed as set_random_seed
from capas.keras.utils.misc import to_categorical as to_categorical
from capas.keras.utils.model_visualization import model_to_dot as model_to_dot
from capas.keras.utils.model_visualization import plot_model as plot_model
from capas.keras.utils.progbar import Progbar as Progbar
from capas.keras.utils.py_dataset import PyDataset as PyDataset
from capas.keras.utils.py_dataset import Sequence as Sequence
from capas.keras.utils.sequence_utils import pad_sequences as pad_sequences
from capas.keras.utils.split_utils import split_dataset as split_dataset
from capas.keras.utils.text_dataset import (
    text_dataset_from_directory as text_dataset_from_directory,
)
from capas.keras.utils.timeseries_dataset import (
    timeseries_dataset_from_array as timeseries_dataset_from_array,
)


def __getattr__(name):
    """`keras.utils.FeatureSpace`, imported on first use: it is a Layer, and the layers import this package."""
    if name == "FeatureSpace":
        # in-function: import cycle utils.feature_space -> layers.layer -> keras.utils (naming)
        from capas.keras.utils.feature_space import FeatureSpace

        globals()["FeatureSpace"] = FeatureSpace
        return FeatureSpace
    raise AttributeError(f"module 'capas.keras.utils' has no attribute {name!r}")
