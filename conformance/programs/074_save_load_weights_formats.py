"""Save, serialize and export models: .keras files, weights files, configs, custom objects.

Source: keras-team/keras-io guides/serialization_and_saving.py (tf.keras version:
tensorflow/docs site/en/guide/keras/serialization_and_saving and save_and_serialize)
Covers: model.save("x.keras") + keras.models.load_model with a registered custom layer and a
custom function, predictions equal after reload, get_config/from_config of Sequential and
functional models, clone_model from config, to_json/model_from_json, save_weights/load_weights
with a .weights.h5 file, get_weights/set_weights transfer between models, layer configs,
keras.utils.register_keras_serializable names, custom_objects and custom_object_scope.
"""
import os
import tempfile

import numpy as np
from _target import init_weights, keras, layers, report, tf

tmp = tempfile.mkdtemp()
rng = np.random.default_rng(0)


@keras.utils.register_keras_serializable(package="my_package", name="custom_fn")
def custom_fn(x):
    return x**2


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


report("registered_name_fn", keras.utils.get_registered_name(custom_fn))
report("registered_name_layer", keras.utils.get_registered_name(CustomLayer))
report("registered_object", keras.utils.get_registered_object("MyLayers>CustomLayer") is CustomLayer)

model = keras.Sequential([
    keras.Input(shape=(4,)),
    CustomLayer(0.5),
    layers.Dense(3, activation=custom_fn),
])
init_weights(model, seed=1)
model.compile(optimizer="rmsprop", loss="mean_squared_error")
x = rng.random((5, 4)).astype("float32")
y = rng.random((5, 3)).astype("float32")
model.fit(x, y, epochs=1, batch_size=5, verbose=0, shuffle=False)
path = os.path.join(tmp, "custom_model.keras")
model.save(path)
report("saved_file_exists", os.path.exists(path))
reconstructed = keras.models.load_model(path)
report("reloaded_equal", bool(np.allclose(model.predict(x, verbose=0), reconstructed.predict(x, verbose=0))))
report("reloaded_layer_types", [type(l).__name__ for l in reconstructed.layers])
report("reloaded_factor", reconstructed.layers[0].factor)
report("reloaded_optimizer", type(reconstructed.optimizer).__name__)
report("reloaded_opt_iterations", int(np.asarray(reconstructed.optimizer.iterations)))
reconstructed.fit(x, y, epochs=1, batch_size=5, verbose=0, shuffle=False)
model.fit(x, y, epochs=1, batch_size=5, verbose=0, shuffle=False)
report("continued_training_equal",
       bool(np.allclose(model.predict(x, verbose=0), reconstructed.predict(x, verbose=0), atol=1e-5)))

layer = keras.layers.Dense(3, activation="relu")
layer_config = layer.get_config()
report("dense_config_keys", sorted(layer_config.keys()))
new_layer = keras.layers.Dense.from_config(layer_config)
report("dense_from_config", [new_layer.units, new_layer.get_config()["activation"]])
serialized_layer = keras.layers.serialize(layer)
report("serialized_layer_keys", sorted(serialized_layer.keys()))
new_layer = keras.layers.deserialize(serialized_layer)
report("deserialized_type", type(new_layer).__name__)

seq = keras.Sequential([keras.Input((32,)), keras.layers.Dense(1)])
config = seq.get_config()
new_seq = keras.Sequential.from_config(config)
report("seq_from_config", [len(new_seq.layers), new_seq.count_params()])

inputs = keras.Input((32,))
outputs = keras.layers.Dense(1)(inputs)
fmodel = keras.Model(inputs, outputs)
config = fmodel.get_config()
new_fmodel = keras.Model.from_config(config)
report("functional_from_config", [len(new_fmodel.layers), new_fmodel.count_params()])
json_config = fmodel.to_json()
new_json_model = keras.models.model_from_json(json_config)
report("json_model_params", new_json_model.count_params())
clone = keras.models.clone_model(fmodel)
report("clone_params", clone.count_params())
report("clone_distinct_weights", clone.weights[0] is not fmodel.weights[0])

def create_layer():
    layer = keras.layers.Dense(4, activation="relu", name="dense_1")
    layer.build((None, 5))
    return layer


layer_1 = create_layer()
init_weights(keras.Sequential([keras.Input((5,)), layer_1]), seed=2)
layer_2 = create_layer()
layer_2.set_weights(layer_1.get_weights())
report("layer_weights_copied", bool(np.allclose(layer_1.get_weights()[0], layer_2.get_weights()[0])))


def create_functional():
    inputs = keras.Input(shape=(6,), name="digits")
    x = keras.layers.Dense(8, activation="relu", name="dense_1")(inputs)
    x = keras.layers.Dense(8, activation="relu", name="dense_2")(x)
    outputs = keras.layers.Dense(3, name="predictions")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


functional_model = create_functional()
init_weights(functional_model, seed=3)
xf = rng.random((2, 6)).astype("float32")
ref = functional_model.predict(xf, verbose=0)
weights_path = os.path.join(tmp, "ckpt.weights.h5")
functional_model.save_weights(weights_path)
new_functional = create_functional()
new_functional.load_weights(weights_path)
report("weights_file_reload", new_functional.predict(xf, verbose=0), tol=1e-5)
report("weights_file_equal", bool(np.allclose(ref, new_functional.predict(xf, verbose=0))))


class SubclassedModel(keras.Model):
    def __init__(self, output_dim, name=None):
        super().__init__(name=name)
        self.output_dim = output_dim
        self.dense1 = keras.layers.Dense(8, activation="relu", name="dense_1")
        self.dense2 = keras.layers.Dense(8, activation="relu", name="dense_2")
        self.dense3 = keras.layers.Dense(output_dim, name="predictions")

    def call(self, inputs):
        return self.dense3(self.dense2(self.dense1(inputs)))


subclassed = SubclassedModel(3)
subclassed(tf.ones((1, 6)))
subclassed.set_weights(functional_model.get_weights())
report("transfer_to_subclassed", subclassed.predict(xf, verbose=0), tol=1e-5)

model_no_reg = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation=custom_fn)])
path2 = os.path.join(tmp, "no_reg.keras")
model_no_reg.save(path2)
with keras.utils.custom_object_scope({"my_package>custom_fn": custom_fn}):
    reloaded = keras.models.load_model(path2)
report("scope_reload_layers", len(reloaded.layers))
reloaded = keras.models.load_model(path2, custom_objects={"my_package>custom_fn": custom_fn})
report("custom_objects_reload_params", reloaded.count_params())
