"""Transfer learning and fine-tuning: trainable flags, freezing, BatchNorm in inference mode.

Source: keras-team/keras-io guides/transfer_learning.py
(tensorflow/docs site/en/guide/keras/transfer_learning)
Covers: Dense weights / trainable_weights / non_trainable_weights counts, BatchNormalization's
weight split, layer.trainable = False (weights not updated by fit), recursive trainable on a
nested model, a frozen base model called with training=False inside a new model, fine-tuning
after unfreezing (recompile) with a low learning rate.
"""
import numpy as np
from _target import init_weights, keras, layers, report

layer = keras.layers.Dense(3)
layer.build((None, 4))
report("dense_counts", [len(layer.weights), len(layer.trainable_weights), len(layer.non_trainable_weights)])
layer = keras.layers.BatchNormalization()
layer.build((None, 4))
report("bn_counts", [len(layer.weights), len(layer.trainable_weights), len(layer.non_trainable_weights)])
layer = keras.layers.Dense(3)
layer.build((None, 4))
layer.trainable = False
report("frozen_counts", [len(layer.weights), len(layer.trainable_weights), len(layer.non_trainable_weights)])

layer1 = keras.layers.Dense(3, activation="relu")
layer2 = keras.layers.Dense(3, activation="sigmoid")
model = keras.Sequential([keras.Input(shape=(3,)), layer1, layer2])
init_weights(model, seed=0)
layer1.trainable = False
initial_layer1_weights_values = layer1.get_weights()
model.compile(optimizer="adam", loss="mse")
rng = np.random.default_rng(0)
model.fit(rng.random((2, 3)), rng.random((2, 3)), verbose=0)
final_layer1_weights_values = layer1.get_weights()
report("frozen_unchanged", [bool(np.array_equal(a, b)) for a, b in
                            zip(initial_layer1_weights_values, final_layer1_weights_values)])

inner_model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(3, activation="relu"),
                                keras.layers.Dense(3, activation="relu")])
model = keras.Sequential([keras.Input(shape=(3,)), inner_model, keras.layers.Dense(3, activation="sigmoid")])
model.trainable = False
report("recursive_frozen", [model.layers[0].trainable, model.layers[0].layers[0].trainable])
report("recursive_trainable_weights", len(model.trainable_weights))

base_model = keras.Sequential([keras.Input(shape=(8, 8, 3)), layers.Conv2D(4, 3), layers.BatchNormalization(),
                               layers.GlobalAveragePooling2D()], name="base")
init_weights(base_model, seed=1)
base_model.trainable = False
inputs = keras.Input(shape=(8, 8, 3))
x = base_model(inputs, training=False)
x = keras.layers.Dropout(0.2)(x)
outputs = keras.layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
model.layers[-1].set_weights([np.full((4, 1), 0.1, "float32"), np.zeros(1, "float32")])
report("model_trainable_weights", [w.shape for w in model.trainable_weights])
model.compile(optimizer=keras.optimizers.Adam(), loss=keras.losses.BinaryCrossentropy(from_logits=True),
              metrics=[keras.metrics.BinaryAccuracy()])
x_data = rng.random((16, 8, 8, 3)).astype("float32")
y_data = rng.integers(0, 2, (16, 1)).astype("float32")
bn_before = base_model.layers[1].get_weights()
history = model.fit(x_data, y_data, epochs=2, batch_size=8, verbose=0, shuffle=False)
report("history_keys", sorted(history.history.keys()))
report("bn_stats_unchanged", all(np.array_equal(a, b) for a, b in zip(bn_before, base_model.layers[1].get_weights())))
base_model.trainable = True
model.compile(optimizer=keras.optimizers.Adam(1e-5), loss=keras.losses.BinaryCrossentropy(from_logits=True),
              metrics=[keras.metrics.BinaryAccuracy()])
report("unfrozen_trainable_count", len(model.trainable_weights))
model.fit(x_data, y_data, epochs=1, batch_size=8, verbose=0, shuffle=False)
report("bn_stats_after_finetune_unchanged",
       all(np.array_equal(a, b) for a, b in zip(bn_before[2:], base_model.layers[1].get_weights()[2:])))
