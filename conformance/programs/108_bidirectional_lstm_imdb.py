"""Bidirectional LSTM on IMDB: two stacked Bidirectional(LSTM) layers over an Embedding.

Source: keras-team/keras-io examples/nlp/bidirectional_lstm_imdb.py
Covers: keras.Input(shape=(None,), dtype="int32"), Embedding, Bidirectional(LSTM(64,
return_sequences=True)) then Bidirectional(LSTM(64)), Dense(1, sigmoid), the layers' output shapes
and parameter counts (what summary() prints), keras.preprocessing.sequence.pad_sequences(maxlen=)
on ragged lists of word ids, compile("adam", "binary_crossentropy", ["accuracy"]),
fit(batch_size=32, epochs=2, validation_data=(x_val, y_val)).
(max_features 100, Embedding 8, LSTM 6, maxlen 16, 64 + 16 synthetic reviews; shuffle=False.)
"""
import numpy as np
from _target import init_weights, keras, layers, report

max_features = 100  # Only consider the top words
maxlen = 16  # Only consider the first words of each movie review

# Input for variable-length sequences of integers
inputs = keras.Input(shape=(None,), dtype="int32")
# Embed each integer in a 8-dimensional vector
x = layers.Embedding(max_features, 8)(inputs)
# Add 2 bidirectional LSTMs
x = layers.Bidirectional(layers.LSTM(6, return_sequences=True))(x)
x = layers.Bidirectional(layers.LSTM(6))(x)
# Add a classifier
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
report("output_shapes", [list(layer.output.shape) for layer in model.layers])
report("layer_params", [layer.count_params() for layer in model.layers])
report("weight_shapes", [list(w.shape) for w in model.weights])
init_weights(model, seed=1, scale=0.2)

rng = np.random.default_rng(108)


def load_data(n):
    xs = [list(rng.integers(1, max_features, int(rng.integers(4, 24)))) for _ in range(n)]
    ys = np.array([int(np.mean(x) > max_features / 2) for x in xs])
    return xs, ys


(x_train, y_train), (x_val, y_val) = load_data(64), load_data(16)
x_train = keras.preprocessing.sequence.pad_sequences(x_train, maxlen=maxlen)
x_val = keras.preprocessing.sequence.pad_sequences(x_val, maxlen=maxlen)
report("padded", [x_train.shape, x_train[:2]])

report("predict_before", model.predict(x_val[:4], verbose=0)[:, 0], tol=1e-5)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=32, epochs=2, validation_data=(x_val, y_val),
                    verbose=0, shuffle=False)
report("history", history.history, tol=1e-4)
report("predict_after", model.predict(x_val[:4], verbose=0)[:, 0], tol=1e-4)
