"""The functional API: shared layers, models as layers, ensembling, layer-graph surgery, multi-input evaluate.

Source: keras-team/keras-io guides/functional_api.py ("All models are callable, just like layers",
"Shared layers", "Extract and reuse nodes in the graph of layers", "Models with multiple inputs
and outputs") (tf.keras version: tensorflow/docs site/en/guide/keras/functional_api)
Covers: an encoder/decoder nested as layers of an autoencoder, an ensemble of models averaged,
a shared Embedding applied to two inputs (one weight), feature extraction over a model's layer
outputs, a multi-input multi-output model trained with list losses and evaluated.
"""
import numpy as np
from _target import init_weights, keras, layers, report

rng = np.random.default_rng(0)

encoder_input = keras.Input(shape=(8,), name="original")
encoder_output = layers.Dense(3, activation="relu")(encoder_input)
encoder = keras.Model(encoder_input, encoder_output, name="encoder")
decoder_input = keras.Input(shape=(3,), name="encoded")
decoder_output = layers.Dense(8)(decoder_input)
decoder = keras.Model(decoder_input, decoder_output, name="decoder")
autoencoder_input = keras.Input(shape=(8,), name="img")
encoded = encoder(autoencoder_input)
decoded = decoder(encoded)
autoencoder = keras.Model(autoencoder_input, decoded, name="autoencoder")
report("autoencoder_layer_names", [l.name for l in autoencoder.layers])
report("autoencoder_params", autoencoder.count_params())
init_weights(autoencoder, seed=1)
x = rng.random((2, 8)).astype("float32")
report("autoencoder_out", autoencoder(x), tol=1e-5)
report("encoder_shares_weights", float(np.sum(np.asarray(encoder(x)))), tol=1e-5)


def get_model():
    inputs = keras.Input(shape=(4,))
    outputs = layers.Dense(1)(inputs)
    return keras.Model(inputs, outputs)


model1, model2, model3 = get_model(), get_model(), get_model()
for i, m in enumerate((model1, model2, model3)):
    init_weights(m, seed=10 + i)
inputs = keras.Input(shape=(4,))
y1, y2, y3 = model1(inputs), model2(inputs), model3(inputs)
outputs = layers.average([y1, y2, y3])
ensemble_model = keras.Model(inputs=inputs, outputs=outputs)
xe = rng.random((3, 4)).astype("float32")
report("ensemble_out", ensemble_model(xe), tol=1e-5)
report("ensemble_weights", len(ensemble_model.weights))

shared_embedding = layers.Embedding(1000, 16)
text_input_a = keras.Input(shape=(None,), dtype="int32")
text_input_b = keras.Input(shape=(None,), dtype="int32")
encoded_input_a = shared_embedding(text_input_a)
encoded_input_b = shared_embedding(text_input_b)
shared = keras.Model([text_input_a, text_input_b], [encoded_input_a, encoded_input_b])
init_weights(shared, seed=3)
report("shared_n_weights", len(shared.weights))
ids = np.array([[1, 2, 3]], dtype="int32")
a, b = shared([ids, ids])
report("shared_same_vectors", bool(np.allclose(np.asarray(a), np.asarray(b))))

base_in = keras.Input(shape=(6,))
h = layers.Dense(5, activation="relu", name="d1")(base_in)
h = layers.Dense(4, activation="relu", name="d2")(h)
base = keras.Model(base_in, layers.Dense(3, name="d3")(h))
init_weights(base, seed=4)
features_list = [layer.output for layer in base.layers[1:]]
feat_extraction_model = keras.Model(inputs=base.input, outputs=features_list)
xf = rng.random((2, 6)).astype("float32")
extracted = feat_extraction_model(xf)
report("extracted_shapes", [f.shape for f in extracted])
report("extracted_last", extracted[-1], tol=1e-5)

num_tags, num_words, num_departments = 6, 50, 3
title_input = keras.Input(shape=(None,), name="title")
body_input = keras.Input(shape=(None,), name="body")
tags_input = keras.Input(shape=(num_tags,), name="tags")
title_features = layers.Embedding(num_words, 8)(title_input)
body_features = layers.Embedding(num_words, 8)(body_input)
title_features = layers.LSTM(8)(title_features)
body_features = layers.LSTM(4)(body_features)
x = layers.concatenate([title_features, body_features, tags_input])
priority_pred = layers.Dense(1, name="priority")(x)
department_pred = layers.Dense(num_departments, name="department")(x)
model = keras.Model(inputs=[title_input, body_input, tags_input],
                    outputs=[priority_pred, department_pred])
report("multi_io_params", model.count_params())
init_weights(model, seed=5, scale=0.1)
model.compile(optimizer=keras.optimizers.RMSprop(1e-3),
              loss=[keras.losses.BinaryCrossentropy(from_logits=True),
                    keras.losses.CategoricalCrossentropy(from_logits=True)],
              loss_weights=[1.0, 0.2])
title_data = rng.integers(num_words, size=(16, 5))
body_data = rng.integers(num_words, size=(16, 7))
tags_data = rng.integers(2, size=(16, num_tags)).astype("float32")
priority_targets = rng.random(size=(16, 1))
dept_targets = rng.integers(2, size=(16, num_departments))
history = model.fit([title_data, body_data, tags_data], [priority_targets, dept_targets],
                    epochs=2, batch_size=8, verbose=0, shuffle=False)
report("history_keys", sorted(history.history.keys()))
report("history_loss", history.history["loss"], tol=1e-3)
scores = model.evaluate([title_data, body_data, tags_data], [priority_targets, dept_targets],
                        batch_size=8, verbose=0)
report("evaluate_len", len(scores))
report("evaluate_scores", scores, tol=1e-3)
preds = model.predict([title_data[:2], body_data[:2], tags_data[:2]], verbose=0)
report("predict_shapes", [p.shape for p in preds])
