"""`tf.saved_model` constants, `SaveOptions`, `LoadOptions`, `Asset` and `contains_saved_model`."""

import os

from capas.ops.strings import StringTensor
from capas.saved_model.saved_model import _META

# TF's names for the parts of a SavedModel and the serving signatures (values as in TF 2.21).
ASSETS_DIRECTORY = "assets"
ASSETS_KEY = "saved_model_assets"
CLASSIFY_INPUTS = "inputs"
CLASSIFY_METHOD_NAME = "tensorflow/serving/classify"
CLASSIFY_OUTPUT_CLASSES = "classes"
CLASSIFY_OUTPUT_SCORES = "scores"
DEBUG_DIRECTORY = "debug"
DEBUG_INFO_FILENAME_PB = "saved_model_debug_info.pb"
DEFAULT_SERVING_SIGNATURE_DEF_KEY = "serving_default"
GPU = "gpu"
PREDICT_INPUTS = "inputs"
PREDICT_METHOD_NAME = "tensorflow/serving/predict"
PREDICT_OUTPUTS = "outputs"
REGRESS_INPUTS = "inputs"
REGRESS_METHOD_NAME = "tensorflow/serving/regress"
REGRESS_OUTPUTS = "outputs"
SAVED_MODEL_FILENAME_PB = "saved_model.pb"
SAVED_MODEL_FILENAME_PBTXT = "saved_model.pbtxt"
SAVED_MODEL_SCHEMA_VERSION = 1
SERVING = "serve"
TPU = "tpu"
TRAINING = "train"
VARIABLES_DIRECTORY = "variables"
VARIABLES_FILENAME = "variables"


class SaveOptions:
    """Options for `tf.saved_model.save` (`tf.saved_model.SaveOptions`): recorded; capas's writer
    saves no graph, so none of them changes the folder.

    Example:

    >>> import capas as tf
    >>> tf.saved_model.SaveOptions(namespace_whitelist=["a"]).namespace_whitelist
    ['a']
    """

    def __init__(
        self,
        namespace_whitelist=None,
        save_debug_info=False,
        function_aliases=None,
        experimental_debug_stripper=False,
        experimental_io_device=None,
        experimental_variable_policy=None,
        experimental_custom_gradients=True,
        experimental_image_format=False,
        experimental_skip_saver=False,
        experimental_sharding_callback=None,
        extra_tags=None,
    ):
        self.namespace_whitelist = list(namespace_whitelist or [])
        self.save_debug_info = save_debug_info
        self.function_aliases = dict(function_aliases or {})
        self.experimental_debug_stripper = experimental_debug_stripper
        self.experimental_io_device = experimental_io_device
        self.experimental_variable_policy = experimental_variable_policy
        self.experimental_custom_gradients = experimental_custom_gradients
        self.experimental_image_format = experimental_image_format
        self.experimental_skip_saver = experimental_skip_saver
        self.experimental_sharding_callback = experimental_sharding_callback
        self.extra_tags = extra_tags


class LoadOptions:
    """Options for `tf.saved_model.load` (`tf.saved_model.LoadOptions`): recorded, unused.

    Example:

    >>> import capas as tf
    >>> tf.saved_model.LoadOptions(allow_partial_checkpoint=True).allow_partial_checkpoint
    True
    """

    def __init__(
        self,
        allow_partial_checkpoint=False,
        experimental_io_device=None,
        experimental_skip_checkpoint=False,
        experimental_variable_policy=None,
        experimental_load_function_aliases=False,
    ):
        self.allow_partial_checkpoint = allow_partial_checkpoint
        self.experimental_io_device = experimental_io_device
        self.experimental_skip_checkpoint = experimental_skip_checkpoint
        self.experimental_variable_policy = experimental_variable_policy
        self.experimental_load_function_aliases = experimental_load_function_aliases


class Asset:
    """A file a saved object refers to (`tf.saved_model.Asset`); `asset_path` is its path as a
    string tensor.

    Example:

    >>> import capas as tf
    >>> tf.saved_model.Asset("vocab.txt").asset_path.numpy()
    b'vocab.txt'
    """

    def __init__(self, path):
        if isinstance(path, Asset):
            path = path.asset_path
        if isinstance(path, StringTensor):
            path = path.numpy()
        if isinstance(path, bytes):
            path = path.decode()
        self.asset_path = StringTensor(os.fspath(path).encode())


def contains_saved_model(export_dir):
    """True when `export_dir` holds a SavedModel written by capas's `tf.saved_model.save`.

    Differs from TF: TF looks for its `saved_model.pb`, which capas neither writes nor reads;
    a folder holding only TF's files gives False here.

    Example:

    >>> import tempfile
    >>> import capas as tf
    >>> tf.saved_model.contains_saved_model(tempfile.mkdtemp())
    False
    """
    return os.path.isfile(os.path.join(os.fspath(export_dir), _META))
