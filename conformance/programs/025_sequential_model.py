"""The Sequential model: building, layers, pop, weights before/after build, summary-free checks.

Source: keras-team/keras-io guides/sequential_model.py (tensorflow/docs site/en/guide/keras/sequential_model)
Covers: Sequential of named Dense layers, calling on ones, model.layers, add() and pop(),
weights of an unbuilt layer/model, build from Input, input_shape arg, feature extraction with
Model(inputs=model.inputs, outputs=[layer.output ...]), transfer-style freezing.
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
report("layer_names", [l.name for l in model.layers])

model = keras.Sequential()
model.add(layers.Dense(2, activation="relu"))
model.add(layers.Dense(3, activation="relu"))
model.add(layers.Dense(4))
report("n_layers_added", len(model.layers))
model.pop()
report("n_layers_after_pop", len(model.layers))

layer = layers.Dense(3)
report("unbuilt_weights", len(layer.weights))
x = tf.ones((1, 4))
y = layer(x)
report("built_weights", [w.shape for w in layer.weights])

model = keras.Sequential([layers.Dense(2, activation="relu"), layers.Dense(3, activation="relu"), layers.Dense(4)])
report("unbuilt_model_weights", len(model.weights))
x = tf.ones((1, 4))
y = model(x)
report("model_weights_after_call", len(model.weights))

model = keras.Sequential()
model.add(keras.Input(shape=(4,)))
model.add(layers.Dense(2, activation="relu"))
report("built_from_input", [w.shape for w in model.weights])
report("input_layer_not_in_layers", len(model.layers))

model = keras.Sequential()
model.add(keras.Input(shape=(250, 250, 3)))
model.add(layers.Conv2D(32, 5, strides=2, activation="relu"))
model.add(layers.Conv2D(32, 3, activation="relu"))
model.add(layers.MaxPooling2D(3))
report("conv_output_shape", model.output_shape if hasattr(model, "output_shape") else None)
model.add(layers.GlobalMaxPooling2D())
model.add(layers.Dense(10))
report("conv_params", model.count_params())

initial_model = keras.Sequential([
    keras.Input(shape=(6, 6, 3)),
    layers.Conv2D(4, 3, strides=1, activation="relu"),
    layers.Conv2D(4, 3, activation="relu", name="my_intermediate_layer"),
    layers.Conv2D(4, 1, activation="relu"),
])
init_weights(initial_model, seed=0)
feature_extractor = keras.Model(inputs=initial_model.inputs,
                                outputs=initial_model.get_layer(name="my_intermediate_layer").output)
x = tf.constant(np.linspace(0, 1, 6 * 6 * 3).reshape(1, 6, 6, 3).astype("float32"))
features = feature_extractor(x)
report("features.shape", features.shape)
report("features", features, tol=1e-5)
all_features = keras.Model(inputs=initial_model.inputs, outputs=[l.output for l in initial_model.layers])
report("all_features_shapes", [f.shape for f in all_features(x)])

model = keras.Sequential([keras.Input(shape=(784,)), layers.Dense(32, activation="relu"),
                          layers.Dense(32, activation="relu"), layers.Dense(10)])
for layer in model.layers[:-1]:
    layer.trainable = False
report("trainable_after_freeze", len(model.trainable_weights))
report("non_trainable_after_freeze", len(model.non_trainable_weights))
