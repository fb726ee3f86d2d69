"""`keras.utils.FeatureSpace`: one-stop preprocessing of a dict of structured-data columns.

Each column becomes a `Feature` (a dtype, a preprocessing layer and an output mode); `Cross`es
hash pairs of preprocessed columns together (`HashedCrossing`). `adapt` fits every adaptable
preprocessor on a dataset; calling the space on a dict of columns returns one concatenated
float vector per row (`output_mode="concat"`) or a dict of encoded columns (`"dict"`). The same
graph, built on `keras.Input`s, is what `get_inputs()` / `get_encoded_features()` return for
functional models, and the space saves to and loads from `.keras` files as Keras's does.
"""

import numpy as np
import torch

import capas as tf
from capas.data import Dataset
from capas.keras import layers
from capas.keras.layers.layer import Layer
from capas.keras.saving import saving_lib
from capas.keras.saving.object_registration import register_builtin
from capas.keras.saving.serialization_lib import deserialize_keras_object, serialize_keras_object
from capas.keras.utils import naming
from capas.keras.utils._structures import standardize_dtype
from capas.ops import array as array_ops

_KERAS_MODULE = "keras.src.layers.preprocessing.feature_space"  # where Keras's configs say these live


@register_builtin("layers")
class Cross:
    """A crossing of features: `HashedCrossing` of their preprocessed values into `crossing_dim` bins."""

    _keras_module = _KERAS_MODULE
    _keras_registered_name = "Cross"

    def __init__(self, feature_names, crossing_dim, output_mode="one_hot"):
        if output_mode not in {"int", "one_hot"}:
            raise ValueError(
                "FeatureSpace cross: invalid value for argument `output_mode`. Expected one of "
                f"{{'int', 'one_hot'}}. Received: output_mode={output_mode!r}"
            )
        self.feature_names = tuple(feature_names)
        self.crossing_dim = crossing_dim
        self.output_mode = output_mode

    @property
    def name(self):
        return "_X_".join(self.feature_names)

    def get_config(self):
        return {"feature_names": self.feature_names, "crossing_dim": self.crossing_dim, "output_mode": self.output_mode}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@register_builtin("layers")
class Feature:
    """One column of a FeatureSpace: its input dtype, its preprocessing layer and its output mode."""

    _keras_module = _KERAS_MODULE
    _keras_registered_name = "Feature"

    def __init__(self, dtype, preprocessor, output_mode):
        if output_mode not in {"int", "one_hot", "float"}:
            raise ValueError(
                "FeatureSpace feature: invalid value for argument `output_mode`. Expected one of "
                f"{{'int', 'one_hot', 'float'}}. Received: output_mode={output_mode!r}"
            )
        self.dtype = dtype
        if isinstance(preprocessor, dict):
            preprocessor = deserialize_keras_object(preprocessor)
        self.preprocessor = preprocessor
        self.output_mode = output_mode

    def get_config(self):
        return {
            "dtype": self.dtype,
            "preprocessor": serialize_keras_object(self.preprocessor),
            "output_mode": self.output_mode,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@register_builtin("layers")
class TFDIdentity(Layer):
    """The preprocessor of `FeatureSpace.float` features: returns its input (Keras's name, for files)."""

    _keras_module = _KERAS_MODULE
    _keras_registered_name = "TFDIdentity"

    def call(self, x):
        return x


class _Concat(Layer):
    """Concatenates the encoded features along the last axis (Keras's TFDConcat)."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, xs):
        return torch.cat(list(xs), dim=self.axis)


@register_builtin("layers")
class FeatureSpace(Layer):
    """One-stop utility for preprocessing and encoding structured data.

    Args:
        features: dict `{name: feature}`, each a `FeatureSpace.<kind>(...)`
            (`float`, `float_rescaled`, `float_normalized`,
            `float_discretized`, `integer_categorical`, `string_categorical`,
            `integer_hashed`, `string_hashed`, or `feature(dtype,
            preprocessor, output_mode)`) or that kind's name as a string.
        output_mode: 'concat' (one float vector per row; default) or 'dict'.
        crosses: list of tuples of feature names (or `FeatureSpace.cross(...)`)
            to hash together into `crossing_dim` bins.
        crossing_dim: bins of the crosses given as tuples (default 32).
        hashing_dim: bins of features given as 'integer_hashed' / 'string_hashed'.
        num_discretization_bins: bins of features given as 'float_discretized'.
        name: the layer's name.

    Call arguments:
        data: a dict `{name: column}`; a column is a list, numpy array, tensor
            or `tf.string` tensor of shape `()`, `(batch,)` or `(batch, 1)`.

    Returns:
        A float32 tensor `(batch, total_dim)` ('concat'; `(total_dim,)` for
        scalar columns), or a dict of encoded columns ('dict').

    Example:

    >>> from capas.keras.utils import FeatureSpace
    >>> space = FeatureSpace(
    ...     features={"color": FeatureSpace.string_categorical(), "size": FeatureSpace.float_normalized()},
    ... )
    >>> space.adapt({"color": ["red", "blue", "red"], "size": [1.0, 2.0, 3.0]})
    >>> space({"color": ["red"], "size": [2.0]}).numpy().round(3)
    array([[0., 1., 0., 0.]], dtype=float32)

    Differs from Keras: crossing and hashing run in Python per value (a
    preprocessing step, before the training step), not as TensorFlow ops.
    """

    @classmethod
    def cross(cls, feature_names, crossing_dim, output_mode="one_hot"):
        return Cross(feature_names, crossing_dim, output_mode=output_mode)

    @classmethod
    def feature(cls, dtype, preprocessor, output_mode):
        return Feature(dtype, preprocessor, output_mode)

    @classmethod
    def float(cls, name=None):
        name = name or naming.uniquify("float")
        return Feature("float32", TFDIdentity(dtype="float32", name=f"{name}_preprocessor"), "float")

    @classmethod
    def float_rescaled(cls, scale=1.0, offset=0.0, name=None):
        name = name or naming.uniquify("float_rescaled")
        pre = layers.Rescaling(scale=scale, offset=offset, name=f"{name}_preprocessor")
        return Feature("float32", pre, "float")

    @classmethod
    def float_normalized(cls, name=None):
        name = name or naming.uniquify("float_normalized")
        return Feature("float32", layers.Normalization(axis=-1, name=f"{name}_preprocessor"), "float")

    @classmethod
    def float_discretized(cls, num_bins, bin_boundaries=None, output_mode="one_hot", name=None):
        name = name or naming.uniquify("float_discretized")
        pre = layers.Discretization(num_bins=num_bins, bin_boundaries=bin_boundaries, name=f"{name}_preprocessor")
        return Feature("float32", pre, output_mode)

    @classmethod
    def integer_categorical(cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot", name=None):
        name = name or naming.uniquify("integer_categorical")
        pre = layers.IntegerLookup(name=f"{name}_preprocessor", max_tokens=max_tokens, num_oov_indices=num_oov_indices)
        return Feature("int32", pre, output_mode)

    @classmethod
    def string_categorical(cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot", name=None):
        name = name or naming.uniquify("string_categorical")
        pre = layers.StringLookup(name=f"{name}_preprocessor", max_tokens=max_tokens, num_oov_indices=num_oov_indices)
        return Feature("string", pre, output_mode)

    @classmethod
    def string_hashed(cls, num_bins, output_mode="one_hot", name=None):
        name = name or naming.uniquify("string_hashed")
        return Feature("string", layers.Hashing(name=f"{name}_preprocessor", num_bins=num_bins), output_mode)

    @classmethod
    def integer_hashed(cls, num_bins, output_mode="one_hot", name=None):
        name = name or naming.uniquify("integer_hashed")
        return Feature("int32", layers.Hashing(name=f"{name}_preprocessor", num_bins=num_bins), output_mode)

    def __init__(
        self,
        features,
        output_mode="concat",
        crosses=None,
        crossing_dim=32,
        hashing_dim=32,
        num_discretization_bins=32,
        name=None,
        **kwargs,
    ):
        super().__init__(name=name, **kwargs)
        if not features:
            raise ValueError(f"FeatureSpace '{self.name}': the `features` argument cannot be None or empty.")
        if output_mode not in {"dict", "concat"}:
            raise ValueError(
                f"FeatureSpace '{self.name}': invalid value for argument `output_mode`. Expected one of "
                f"{{'dict', 'concat'}}. Received: output_mode={output_mode!r}"
            )
        self.crossing_dim = crossing_dim
        self.hashing_dim = hashing_dim
        self.num_discretization_bins = num_discretization_bins
        self.features = {name: self._standardize_feature(name, value) for name, value in features.items()}
        self.crosses = [self._standardize_cross(cross, set(features)) for cross in crosses or []]
        self.crosses_by_name = {cross.name: cross for cross in self.crosses}
        self.output_mode = output_mode
        self.inputs = {name: layers.Input(shape=(1,), dtype=f.dtype, name=name) for name, f in self.features.items()}
        self.preprocessors = {name: f.preprocessor for name, f in self.features.items()}
        self.crossers = {c.name: layers.HashedCrossing(c.crossing_dim, name=c.name) for c in self.crosses}
        self.one_hot_encoders = {}
        self.concat = None
        self._set_untracked(
            encoded_features=None,
            _is_adapted=False,
            _preprocessed_features_names=None,
            _crossed_features_names=None,
            _sublayers_built=False,
        )

    def _standardize_feature(self, name, feature):
        if isinstance(feature, Feature):
            return feature
        if isinstance(feature, dict):
            return deserialize_keras_object(feature)
        makers = {
            "float": lambda: self.float(name=name),
            "float_normalized": lambda: self.float_normalized(name=name),
            "float_rescaled": lambda: self.float_rescaled(name=name),
            "float_discretized": lambda: self.float_discretized(name=name, num_bins=self.num_discretization_bins),
            "integer_categorical": lambda: self.integer_categorical(name=name),
            "string_categorical": lambda: self.string_categorical(name=name),
            "integer_hashed": lambda: self.integer_hashed(self.hashing_dim, name=name),
            "string_hashed": lambda: self.string_hashed(self.hashing_dim, name=name),
        }
        if not isinstance(feature, str) or feature not in makers:
            raise ValueError(
                f"FeatureSpace '{self.name}': invalid feature type {feature!r} for '{name}'. Pass a "
                f"FeatureSpace.<kind>(...) feature or one of {sorted(makers)}."
            )
        return makers[feature]()

    def _standardize_cross(self, cross, feature_names):
        if isinstance(cross, dict):
            cross = deserialize_keras_object(cross)
        if isinstance(cross, Cross):
            return cross
        if not self.crossing_dim:
            raise ValueError(
                f"FeatureSpace '{self.name}': when specifying `crosses`, the argument `crossing_dim` "
                "(dimensionality of the crossing space) should be specified as well."
            )
        unknown = [key for key in cross if key not in feature_names]
        if unknown:
            raise ValueError(
                f"FeatureSpace '{self.name}': all features referenced in the `crosses` argument should be "
                f"present in the `features` dict. Received unknown features {unknown} in the cross {tuple(cross)}."
            )
        return Cross(cross, crossing_dim=self.crossing_dim)

    # ------------------------------------------------------------------ adapt
    def _list_adaptable_preprocessors(self):
        names = []
        for name in self.features:
            pre = self.preprocessors[name]
            if isinstance(pre, layers.Normalization) and pre.input_mean is not None:
                continue
            if isinstance(pre, layers.TextVectorization) and getattr(pre, "input_vocabulary", None) is not None:
                continue
            if hasattr(pre, "adapt"):
                names.append(name)
        return names

    def adapt(self, dataset):
        """Fit every adaptable preprocessor on `dataset` (a `tf.data.Dataset` of dicts, or a dict of columns)."""
        if isinstance(dataset, dict):
            dataset = Dataset.from_tensor_slices(dataset)
        if not isinstance(dataset, Dataset):
            raise ValueError(
                f"FeatureSpace '{self.name}': `adapt()` can only be called on a tf.data.Dataset or a dict of "
                f"arrays/lists. Received instead: {type(dataset).__name__}."
            )
        for name in self._list_adaptable_preprocessors():
            column = dataset.map(lambda x, name=name: x[name])
            first = next(iter(column))
            if len(first.shape) == 0:
                column = column.batch(32)
            if len(first.shape) in (0, 1):
                column = column.map(lambda x: array_ops.expand_dims(x, -1))
            self.preprocessors[name].adapt(column)
        self._is_adapted = True
        self.get_encoded_features()  # builds the one-hot encoders and the concatenation
        self.built = True
        self._sublayers_built = True

    def _check_if_adapted(self):
        if not self._is_adapted:
            if self._list_adaptable_preprocessors():
                raise ValueError(
                    f"FeatureSpace '{self.name}': you need to call `.adapt(dataset)` on the FeatureSpace before "
                    "you can start using it."
                )
            self._is_adapted = True

    def _check_if_built(self):
        if not self._sublayers_built:
            self._check_if_adapted()
            self.get_encoded_features()
            self._sublayers_built = True

    # ----------------------------------------------------------------- graph
    def get_inputs(self):
        """The dict of `keras.Input`s (shape `(None, 1)`, the features' dtypes) of the encoded features."""
        self._check_if_built()
        return self.inputs

    def get_encoded_features(self):
        """The encoded features as KerasTensors on `get_inputs()`, for building functional models."""
        self._check_if_adapted()
        if self.encoded_features is None:
            preprocessed = self._preprocess_features(self.inputs)
            crossed = self._cross_features(preprocessed)
            self.encoded_features = self._merge_features(preprocessed, crossed)
        return self.encoded_features

    def _preprocess_features(self, features):
        return {name: self.preprocessors[name](features[name]) for name in features}

    def _cross_features(self, features):
        return {c.name: self.crossers[c.name]([features[n] for n in c.feature_names]) for c in self.crosses}

    def _merge_features(self, preprocessed, crossed):
        if not self._preprocessed_features_names:
            self._preprocessed_features_names = sorted(preprocessed)
            self._crossed_features_names = sorted(crossed)
        names = self._preprocessed_features_names + self._crossed_features_names
        values = [preprocessed[n] for n in self._preprocessed_features_names]
        values += [crossed[n] for n in self._crossed_features_names]
        if not self._sublayers_built:
            self._make_encoders(names, values)
        encoded = {}
        for name, value in zip(names, values):
            encoder = self.one_hot_encoders.get(name)
            encoded[name] = encoder(value) if encoder is not None else value
        if self.output_mode == "dict":
            return encoded
        return self.concat([encoded[n] for n in names])

    def _make_encoders(self, names, values):
        specs = [self.features[n] for n in self._preprocessed_features_names]
        specs += [self.crosses_by_name[n] for n in self._crossed_features_names]
        for name, value, spec in zip(names, values, specs):
            dtype = _dtype_name(value)
            if spec.output_mode == "one_hot":
                if not dtype.startswith("int"):
                    raise ValueError(
                        f"FeatureSpace '{self.name}': feature '{name}' has `output_mode='one_hot'`. Thus its "
                        f"preprocessor should return an integer dtype. Instead it returns a {dtype} dtype."
                    )
                encoder = layers.CategoryEncoding(num_tokens=self._cardinality(name), output_mode="multi_hot")
                self.one_hot_encoders[name] = encoder
                dtype = "float32"
            if self.output_mode == "concat" and (dtype.startswith("int") or dtype == "string"):
                raise ValueError(
                    f"FeatureSpace '{self.name}': cannot concatenate features because feature '{name}' has not "
                    f"been encoded (it has dtype {dtype}). Consider using `output_mode='dict'`."
                )
        if self.output_mode == "concat":
            self.concat = _Concat(axis=-1)

    def _cardinality(self, name):
        pre = self.preprocessors.get(name) or self.crossers.get(name)
        if isinstance(pre, (layers.IntegerLookup, layers.StringLookup)):
            return pre.vocabulary_size()
        if isinstance(pre, layers.CategoryEncoding):
            return pre.num_tokens
        if isinstance(pre, (layers.Discretization, layers.HashedCrossing, layers.Hashing)):
            return pre.num_bins
        raise ValueError(
            f"FeatureSpace '{self.name}': feature '{name}' has `output_mode='one_hot'`. However it isn't a "
            "standard feature and the dimensionality of its output space is not known, thus it cannot be "
            "one-hot encoded. Try using `output_mode='int'`."
        )

    # ------------------------------------------------------------------ call
    def __call__(self, data):
        self._check_if_built()
        if not isinstance(data, dict):
            raise ValueError(
                f"FeatureSpace '{self.name}' can only be called with a dict of columns. Received: "
                f"{type(data).__name__}."
            )
        rebatched = False
        columns = {}
        for name, value in data.items():
            x = _to_column(value)
            if len(x.shape) == 0:
                x = array_ops.reshape(x, (1, 1))
                rebatched = True
            elif len(x.shape) == 1:
                x = array_ops.expand_dims(x, -1)
            columns[name] = x
        missing = [name for name in self.features if name not in columns]
        if missing:
            raise ValueError(
                f"FeatureSpace '{self.name}': the input dict lacks the features {missing}; it has "
                f"{sorted(columns)}. Pass every feature the space was built with."
            )
        with torch.no_grad():
            preprocessed = self._preprocess_features({n: columns[n] for n in self.features})
            crossed = self._cross_features(preprocessed)
            merged = self._merge_features(preprocessed, crossed)
        if rebatched:
            if self.output_mode == "concat":
                merged = merged.squeeze(0)
            else:
                merged = {k: v.squeeze(0) if len(v.shape) == 2 and v.shape[0] == 1 else v for k, v in merged.items()}
        return merged

    # ---------------------------------------------------------------- saving
    def get_config(self):
        return {
            "features": serialize_keras_object(self.features),
            "output_mode": self.output_mode,
            "crosses": serialize_keras_object(self.crosses),
            "crossing_dim": self.crossing_dim,
            "hashing_dim": self.hashing_dim,
            "num_discretization_bins": self.num_discretization_bins,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def get_build_config(self):
        return {name: f.preprocessor.get_build_config() for name, f in self.features.items()}

    def build_from_config(self, config):
        for name in config:
            pre = self.features[name].preprocessor
            if not pre.built and config[name]:
                pre.build_from_config(config[name])
        self._is_adapted = True

    def save(self, filepath):
        """Save the space (its config, preprocessor state and vocabularies) to a `.keras` file."""
        saving_lib.save_model(self, filepath)

    def save_own_variables(self, store):
        return

    def load_own_variables(self, store):
        return


def _dtype_name(x):
    return standardize_dtype(x.dtype)


def _to_column(value):
    """A column as a torch tensor (numbers) or a StringTensor (text), as TF's convert_to_tensor makes them."""
    if isinstance(value, torch.Tensor) or type(value).__name__ == "StringTensor":
        return value
    if isinstance(value, np.ndarray) and value.dtype.kind in "iuf":
        return torch.as_tensor(value)
    return tf.convert_to_tensor(value)
