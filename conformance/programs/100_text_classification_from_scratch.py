"""Text classification from scratch: TextVectorization in a tf.data map, Conv1D + GlobalMaxPooling1D.

Source: keras-team/keras-io examples/nlp/text_classification_from_scratch.py
Covers: keras.utils.text_dataset_from_directory on an aclImdb-like tree (validation_split=0.2 with
subset "training"/"validation" and class_names=["pos", "neg"], a test directory),
cardinality(), the custom_standardization (tf.strings.lower, regex_replace of "<br />" and of
re.escape(string.punctuation)), TextVectorization(standardize=, max_tokens=, output_mode="int",
output_sequence_length=) adapted on raw_train_ds.map(lambda x, y: x), vectorize_text with
tf.expand_dims in Dataset.map, cache().prefetch(buffer_size=10), the functional 1D convnet
(Input(shape=(None,), dtype="int64"), Embedding, Dropout(0.5), two Conv1D(128, 7, padding="valid",
activation="relu", strides=3), GlobalMaxPooling1D, Dense relu, Dropout, Dense(1, sigmoid,
name="predictions")), compile("binary_crossentropy", "adam", ["accuracy"]), fit with validation_data,
evaluate. (Small sizes; shuffle=False for a fixed order; Dropout makes trained numbers
framework-specific, so values are compared before training; the tutorial's end-to-end model on a
keras.Input(dtype="string") is left to other programs.)
"""
import os
import re
import string
import tempfile

import numpy as np
from _target import init_weights, keras, layers, report, tf

root = tempfile.mkdtemp()
rng = np.random.default_rng(100)
good = "great wonderful loved fine superb brilliant moving".split()
bad = "terrible awful hated boring bad dull weak".split()
common = "the movie film plot acting was and a it this".split()


def review(words):
    picks = list(rng.choice(common, 10)) + list(rng.choice(words, 6))
    rng.shuffle(picks)
    text = " ".join(picks)
    return text[:20].capitalize() + "<br />" + text[20:] + "!"


for split, n in (("train", 12), ("test", 4)):
    for label, words in (("pos", good), ("neg", bad)):
        os.makedirs(os.path.join(root, "aclImdb", split, label))
        for i in range(n):
            with open(os.path.join(root, "aclImdb", split, label, "%d_%d.txt" % (i, i % 10)), "w") as f:
                f.write(review(words))
train_dir = os.path.join(root, "aclImdb", "train")
test_dir = os.path.join(root, "aclImdb", "test")

batch_size = 4
raw_train_ds = keras.utils.text_dataset_from_directory(
    train_dir,
    batch_size=batch_size,
    validation_split=0.2,
    subset="training",
    seed=1337,
    class_names=["pos", "neg"],
    shuffle=False,
)
raw_val_ds = keras.utils.text_dataset_from_directory(
    train_dir,
    batch_size=batch_size,
    validation_split=0.2,
    subset="validation",
    seed=1337,
    class_names=["pos", "neg"],
    shuffle=False,
)
raw_test_ds = keras.utils.text_dataset_from_directory(test_dir, batch_size=batch_size, shuffle=False)

report("cardinality", [int(raw_train_ds.cardinality()), int(raw_val_ds.cardinality()),
                       int(raw_test_ds.cardinality())])
report("class_names", [raw_train_ds.class_names, raw_test_ds.class_names])
for text_batch, label_batch in raw_train_ds.take(1):
    for i in range(2):
        report("sample_%d" % i, [text_batch.numpy()[i], label_batch.numpy()[i]])
report("label_dtype", label_batch.dtype)


def custom_standardization(input_data):
    lowercase = tf.strings.lower(input_data)
    stripped_html = tf.strings.regex_replace(lowercase, "<br />", " ")
    return tf.strings.regex_replace(
        stripped_html, f"[{re.escape(string.punctuation)}]", ""
    )


max_features = 40
embedding_dim = 8
sequence_length = 30

vectorize_layer = keras.layers.TextVectorization(
    standardize=custom_standardization,
    max_tokens=max_features,
    output_mode="int",
    output_sequence_length=sequence_length,
)
text_ds = raw_train_ds.map(lambda x, y: x)
vectorize_layer.adapt(text_ds)
vocab = vectorize_layer.get_vocabulary()
report("vocab_size", len(vocab))
report("vocab_head", vocab[:2])
report("vocab_set", sorted(vocab))


def vectorize_text(text, label):
    text = tf.expand_dims(text, -1)
    return vectorize_layer(text), label


train_ds = raw_train_ds.map(vectorize_text)
val_ds = raw_val_ds.map(vectorize_text)
test_ds = raw_test_ds.map(vectorize_text)

train_ds = train_ds.cache().prefetch(buffer_size=10)
val_ds = val_ds.cache().prefetch(buffer_size=10)
test_ds = test_ds.cache().prefetch(buffer_size=10)

for x, y in train_ds.take(1):
    report("vectorized", [x.shape, x.dtype, y.shape])
    report("vectorized_nonzero", tf.reduce_sum(tf.cast(x > 0, tf.int32), axis=1))

inputs = keras.Input(shape=(None,), dtype="int64")
x = layers.Embedding(max_features, embedding_dim)(inputs)
x = layers.Dropout(0.5)(x)
x = layers.Conv1D(16, 7, padding="valid", activation="relu", strides=3)(x)
x = layers.Conv1D(16, 7, padding="valid", activation="relu", strides=3)(x)
x = layers.GlobalMaxPooling1D()(x)
x = layers.Dense(16, activation="relu")(x)
x = layers.Dropout(0.5)(x)
predictions = layers.Dense(1, activation="sigmoid", name="predictions")(x)
model = keras.Model(inputs, predictions)
report("output_shapes", [list(layer.output.shape) for layer in model.layers])
report("count_params", model.count_params())
init_weights(model, seed=1, scale=0.3)

model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
report("evaluate_before", model.evaluate(test_ds, verbose=0), tol=1e-4)
report("predict_before", model.predict(test_ds, verbose=0)[:4], tol=1e-4)

epochs = 3
history = model.fit(train_ds, validation_data=val_ds, epochs=epochs, verbose=0)
report("history_keys", sorted(history.history.keys()))
report("epochs", history.epoch)
result = model.evaluate(test_ds, verbose=0)
report("evaluate_len", len(result))
