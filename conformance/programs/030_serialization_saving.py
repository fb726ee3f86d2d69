"""Saving and serialization: .keras files, configs, JSON, weights files and custom objects.

Source: keras-team/keras-io guides/serialization_and_saving.py
(tensorflow/docs site/en/guide/keras/serialization_and_saving)
Covers: model.save("x.keras") + keras.models.load_model with equal predictions, a registered
custom layer and custom function (register_keras_serializable), get_config/from_config for a
layer and a Sequential model, to_json / model_from_json, save_weights/load_weights
(.weights.h5), get_weights/set_weights transfer between models, and clone_model.
"""
import os
import tempfile

import numpy as np
from _target import init_weights, keras, report

d = tempfile.mkdtemp()


@keras.utils.register_keras_serializable(package="my_package", name="custom_fn")
def custom_fn(x):
    return x ** 2


@keras.utils.register_keras_serializable(package="MyLayers")
class CustomLayer(keras.layers.Layer):
    def __init__(self, factor, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor})
        return config


def get_model():
    inputs = keras.Input(shape=(4,))
    mid = CustomLayer(0.5)(inputs)
    outputs = keras.layers.Dense(3, activation=custom_fn)(mid)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="rmsprop", loss="mean_squared_error")
    return model


model = get_model()
init_weights(model, seed=0)
x = np.linspace(-1, 1, 8).reshape(2, 4).astype("float32")
path = os.path.join(d, "custom_model.keras")
model.save(path)
report("saved_file_exists", os.path.exists(path))
reconstructed_model = keras.models.load_model(path)
report("same_predictions", np.allclose(model.predict(x, verbose=0), reconstructed_model.predict(x, verbose=0)))
report("reloaded_predictions", reconstructed_model.predict(x, verbose=0), tol=1e-5)
report("reloaded_layer_types", [type(l).__name__ for l in reconstructed_model.layers])
report("reloaded_optimizer", type(reconstructed_model.optimizer).__name__)

layer = keras.layers.Dense(3, activation="relu")
layer_config = layer.get_config()
new_layer = keras.layers.Dense.from_config(layer_config)
report("dense_config_keys", sorted(layer_config.keys()))
report("dense_config_units", [layer_config["units"], layer_config["activation"]])

seq = keras.Sequential([keras.Input((32,)), keras.layers.Dense(1)])
config = seq.get_config()
new_model = keras.Sequential.from_config(config)
report("seq_from_config_layers", [type(l).__name__ for l in new_model.layers])
json_config = seq.to_json()
report("to_json_is_str", isinstance(json_config, str))
new_model = keras.models.model_from_json(json_config)
report("from_json_weights", [w.shape for w in new_model.weights])


def create_layer():
    layer = keras.layers.Dense(64, activation="relu", name="dense_2")
    layer.build((None, 784))
    return layer


layer_1 = create_layer()
layer_2 = create_layer()
layer_2.set_weights(layer_1.get_weights())
report("transfer_equal", all(np.array_equal(a, b) for a, b in zip(layer_1.get_weights(), layer_2.get_weights())))

weights_path = os.path.join(d, "my.weights.h5")
model.save_weights(weights_path)
other = get_model()
other.load_weights(weights_path)
report("load_weights_predictions", other.predict(x, verbose=0), tol=1e-5)
clone = keras.models.clone_model(model)
report("clone_layer_types", [type(l).__name__ for l in clone.layers])
report("clone_weight_shapes", [w.shape for w in clone.weights])
