"""The functional API: Input, layer graphs, multi-input/multi-output models, shared layers.

Source: keras-team/keras-io guides/functional_api.py (tf.keras version:
tensorflow/docs site/en/guide/keras/functional_api)
Covers: keras.Input shape/dtype, chaining Dense layers, Model(name=...), layer names and output
shapes, compile + fit + evaluate on flat images, an autoencoder made of models, a multi-input
multi-output ticket model with loss dicts, loss_weights and per-output log keys, shared Embedding.
"""
import numpy as np
from _target import init_weights, keras, layers, report

inputs = keras.Input(shape=(784,))
report("input.shape", inputs.shape)
report("input.dtype", inputs.dtype)
dense = layers.Dense(64, activation="relu")
x = dense(inputs)
x = layers.Dense(64, activation="relu")(x)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs=inputs, outputs=outputs, name="mnist_model")
report("model.name", model.name)
report("n_layers", len(model.layers))
report("layer_types", [type(l).__name__ for l in model.layers])
report("output.shape", model.output_shape if hasattr(model, "output_shape") else None)
report("count_params", model.count_params())

rng = np.random.default_rng(0)
x_train = rng.random((64, 784)).astype("float32")
y_train = rng.integers(0, 10, 64)
init_weights(model, seed=1, scale=0.05)
model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              optimizer=keras.optimizers.RMSprop(), metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=16, epochs=2, validation_split=0.25, verbose=0, shuffle=False)
report("history_keys", sorted(history.history.keys()))
report("history_loss", history.history["loss"], tol=1e-3)
test_scores = model.evaluate(x_train[:16], y_train[:16], verbose=0)
report("test_scores_len", len(test_scores))

encoder_input = keras.Input(shape=(28, 28, 1), name="img")
x = layers.Conv2D(16, 3, activation="relu")(encoder_input)
x = layers.Conv2D(32, 3, activation="relu")(x)
x = layers.MaxPooling2D(3)(x)
x = layers.Conv2D(32, 3, activation="relu")(x)
x = layers.Conv2D(16, 3, activation="relu")(x)
encoder_output = layers.GlobalMaxPooling2D()(x)
encoder = keras.Model(encoder_input, encoder_output, name="encoder")
report("encoder.output.shape", encoder.output.shape)
x = layers.Reshape((4, 4, 1))(encoder_output)
x = layers.Conv2DTranspose(16, 3, activation="relu")(x)
x = layers.Conv2DTranspose(32, 3, activation="relu")(x)
x = layers.UpSampling2D(3)(x)
x = layers.Conv2DTranspose(16, 3, activation="relu")(x)
decoder_output = layers.Conv2DTranspose(1, 3, activation="relu")(x)
autoencoder = keras.Model(encoder_input, decoder_output, name="autoencoder")
report("autoencoder.output.shape", autoencoder.output.shape)
report("autoencoder.params", autoencoder.count_params())

num_tags, num_words, num_departments = 12, 100, 4
title_input = keras.Input(shape=(None,), name="title")
body_input = keras.Input(shape=(None,), name="body")
tags_input = keras.Input(shape=(num_tags,), name="tags")
title_features = layers.Embedding(num_words, 8)(title_input)
body_features = layers.Embedding(num_words, 8)(body_input)
title_features = layers.LSTM(16)(title_features)
body_features = layers.LSTM(8)(body_features)
x = layers.concatenate([title_features, body_features, tags_input])
priority_pred = layers.Dense(1, name="priority")(x)
department_pred = layers.Dense(num_departments, name="department")(x)
ticket = keras.Model(inputs=[title_input, body_input, tags_input],
                     outputs={"priority": priority_pred, "department": department_pred})
init_weights(ticket, seed=2, scale=0.1)
ticket.compile(optimizer=keras.optimizers.RMSprop(1e-3),
               loss={"priority": keras.losses.BinaryCrossentropy(from_logits=True),
                     "department": keras.losses.CategoricalCrossentropy(from_logits=True)},
               loss_weights={"priority": 1.0, "department": 0.2})
title_data = rng.integers(num_words, size=(32, 10))
body_data = rng.integers(num_words, size=(32, 20))
tags_data = rng.integers(2, size=(32, num_tags)).astype("float32")
priority_targets = rng.random(size=(32, 1))
dept_targets = rng.integers(2, size=(32, num_departments))
history = ticket.fit({"title": title_data, "body": body_data, "tags": tags_data},
                     {"priority": priority_targets, "department": dept_targets},
                     epochs=2, batch_size=16, verbose=0, shuffle=False)
report("ticket_history_keys", sorted(history.history.keys()))
report("ticket_loss", history.history["loss"], tol=1e-3)

shared_embedding = layers.Embedding(1000, 128)
text_input_a = keras.Input(shape=(None,), dtype="int32")
text_input_b = keras.Input(shape=(None,), dtype="int32")
encoded_input_a = shared_embedding(text_input_a)
encoded_input_b = shared_embedding(text_input_b)
shared = keras.Model([text_input_a, text_input_b], [encoded_input_a, encoded_input_b])
report("shared_weights", len(shared.weights))
report("shared_outputs", [o.shape for o in shared.outputs])
