"""A small LSTM text classifier: TextVectorization, Embedding(mask_zero=True), LSTM, Dense.

The data is generated: sentences of random filler words, labelled positive
when they contain more "good" words than "bad" ones. Sentences have
different lengths, so the token ids are right-padded with 0 and the
Embedding's mask tells the LSTM to skip the padding (which then runs in
PyTorch's fused LSTM kernel over packed sequences).
"""

import numpy as np

import capas as tf  # noqa: F401  (the tutorial's import line)
from capas import keras
from capas.keras import layers

FILLER = ["the", "movie", "was", "and", "plot", "actors", "music", "very", "quite", "story", "it", "a"]
GOOD = ["good", "great", "fun", "lovely"]
BAD = ["bad", "boring", "awful", "dull"]


def make_sentences(n, rng):
    texts, labels = [], []
    for _ in range(n):
        length = int(rng.integers(3, 12))
        words = list(rng.choice(FILLER, size=length))
        good, bad = int(rng.integers(0, 3)), int(rng.integers(0, 3))
        if good == bad:
            good += 1
        for word in list(rng.choice(GOOD, size=good)) + list(rng.choice(BAD, size=bad)):
            words.insert(int(rng.integers(0, len(words) + 1)), word)
        texts.append(" ".join(words))
        labels.append(float(good > bad))
    return texts, np.array(labels, dtype="float32")


def build_model(vocabulary_size, sequence_length):
    inputs = keras.Input(shape=(sequence_length,), dtype="int64")
    x = layers.Embedding(vocabulary_size, 16, mask_zero=True)(inputs)
    x = layers.LSTM(16)(x)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    return keras.Model(inputs, outputs)


def main(epochs=8, verbose=0):
    rng = np.random.default_rng(0)
    texts, labels = make_sentences(512, rng)
    vectorize = layers.TextVectorization(output_sequence_length=20)
    vectorize.adapt(texts)
    ids = vectorize(texts).numpy()
    model = build_model(vectorize.vocabulary_size(), ids.shape[1])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-2), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(ids, labels, batch_size=32, epochs=epochs, verbose=verbose)
    print("loss per epoch:", np.round(history.history["loss"], 3))
    test_ids = vectorize(["a good and fun movie", "the plot was dull and boring"]).numpy()
    print("predictions (positive, negative):", np.round(model.predict(test_ids, verbose=0)[:, 0], 3))
    return history


if __name__ == "__main__":
    main(verbose=1)
