"""The Sequential model: add(), pop(), deferred build, summary parameter counts, feature extraction.

Source: keras-team/keras-io guides/sequential_model.py (tf.keras version:
tensorflow/docs site/en/guide/keras/sequential_model)
Covers: Sequential from a list and called on a tensor, layers list, add() one by one, pop(),
a model with no weights before its first call, weights after build, Input-first models and their
count_params, the "add layers and print summary" debugging loop, feature extraction with a
Model over model.layers outputs and over one named layer's output.
"""
import numpy as np
from _target import init_weights, keras, layers, report, tf

model = keras.Sequential([
    layers.Dense(2, activation="relu", name="layer1"),
    layers.Dense(3, activation="relu", name="layer2"),
    layers.Dense(4, name="layer3"),
])
x = tf.ones((3, 3))
y = model(x)
report("y.shape", y.shape)
report("n_layers", len(model.layers))

model = keras.Sequential()
model.add(layers.Dense(2, activation="relu"))
model.add(layers.Dense(3, activation="relu"))
model.add(layers.Dense(4))
report("after_add", len(model.layers))
model.pop()
report("after_pop", len(model.layers))

layer = layers.Dense(3)
report("weights_before_call", len(layer.weights))
x = tf.ones((1, 4))
y = layer(x)
report("weight_shapes", [tuple(w.shape) for w in layer.weights])

model = keras.Sequential([
    layers.Dense(2, activation="relu"),
    layers.Dense(3, activation="relu"),
    layers.Dense(4),
])
x = tf.ones((1, 4))
y = model(x)
report("model_weights_after_call", len(model.weights))

model = keras.Sequential()
model.add(keras.Input(shape=(4,)))
model.add(layers.Dense(2, activation="relu"))
report("input_first_layers", len(model.layers))
report("input_first_params", model.count_params())

model = keras.Sequential()
model.add(keras.Input(shape=(250, 250, 3)))
model.add(layers.Conv2D(32, 5, strides=2, activation="relu"))
model.add(layers.Conv2D(32, 3, activation="relu"))
model.add(layers.MaxPooling2D(3))
report("cnn_params_1", model.count_params())
model.add(layers.Conv2D(32, 3, activation="relu"))
model.add(layers.Conv2D(32, 3, activation="relu"))
model.add(layers.MaxPooling2D(3))
model.add(layers.Conv2D(32, 3, activation="relu"))
model.add(layers.Conv2D(32, 3, activation="relu"))
model.add(layers.MaxPooling2D(2))
model.add(layers.GlobalMaxPooling2D())
model.add(layers.Dense(10))
report("cnn_params_2", model.count_params())
report("cnn_output_shape", model.output_shape)
report("cnn_layer_params", [l.count_params() for l in model.layers])

initial_model = keras.Sequential([
    keras.Input(shape=(50, 50, 3)),
    layers.Conv2D(32, 5, strides=2, activation="relu"),
    layers.Conv2D(32, 3, activation="relu"),
    layers.Conv2D(32, 3, activation="relu"),
])
init_weights(initial_model, seed=1, scale=0.1)
feature_extractor = keras.Model(
    inputs=initial_model.inputs,
    outputs=[layer.output for layer in initial_model.layers],
)
x = np.random.default_rng(0).random((1, 50, 50, 3)).astype("float32")
features = feature_extractor(x)
report("n_features", len(features))
report("feature_shapes", [f.shape for f in features])
report("last_feature_sum", float(np.sum(np.asarray(features[-1]))), tol=1e-4)

initial_model = keras.Sequential([
    keras.Input(shape=(50, 50, 3)),
    layers.Conv2D(32, 5, strides=2, activation="relu"),
    layers.Conv2D(32, 3, activation="relu", name="my_intermediate_layer"),
    layers.Conv2D(32, 3, activation="relu"),
])
init_weights(initial_model, seed=2, scale=0.1)
feature_extractor = keras.Model(
    inputs=initial_model.inputs,
    outputs=initial_model.get_layer(name="my_intermediate_layer").output,
)
features = feature_extractor(x)
report("named_feature_shape", features.shape)
report("named_feature_mean", float(np.mean(np.asarray(features))), tol=1e-4)
