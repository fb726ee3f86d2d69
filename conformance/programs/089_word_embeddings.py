"""Word embeddings: Embedding layer lookups, custom standardization, a GlobalAveragePooling1D classifier.

Source: tensorflow/text docs/tutorials/word_embeddings.ipynb (tensorflow.org/text/guide/word_embeddings)
Covers: keras.utils.text_dataset_from_directory with validation_split/subset/seed on aclImdb-like
folders, cache().prefetch(AUTOTUNE), Embedding(1000, 5) on 1-D and 2-D int tensors, a
custom_standardization with tf.strings.lower and tf.strings.regex_replace (re.escape of
string.punctuation), TextVectorization(standardize=, max_tokens=, output_mode='int',
output_sequence_length=) adapted on text only, Sequential([vectorize_layer, Embedding(name=),
GlobalAveragePooling1D, Dense relu, Dense]), compile/fit with validation_data, summary,
get_layer('embedding').get_weights() and writing vectors.tsv/metadata.tsv.
"""
import io
import os
import re
import string
import tempfile

import numpy as np
from _target import init_weights, report, tf

Sequential = tf.keras.Sequential
Dense, Embedding, GlobalAveragePooling1D = (tf.keras.layers.Dense, tf.keras.layers.Embedding,
                                            tf.keras.layers.GlobalAveragePooling1D)
TextVectorization = tf.keras.layers.TextVectorization

root = tempfile.mkdtemp()
rng = np.random.default_rng(89)
pos_words = "great wonderful loved superb moving brilliant".split()
neg_words = "awful boring hated dull terrible waste".split()
common = "the film movie was and a of it plot actors story scenes".split()
for label, extra in (("neg", neg_words), ("pos", pos_words)):
    os.makedirs(os.path.join(root, "aclImdb", "train", label))
    for i in range(20):
        toks = list(rng.choice(common, 8)) + list(rng.choice(extra, 3))
        rng.shuffle(toks)
        text = " ".join(toks).capitalize() + ". <br />It's " + str(rng.choice(extra)).upper() + "!"
        with open(os.path.join(root, "aclImdb", "train", label, "%d_%d.txt" % (i, i % 10)), "w") as f:
            f.write(text)
train_dir = os.path.join(root, "aclImdb", "train")
report("listdir", sorted(os.listdir(train_dir)))

batch_size = 8
seed = 123
train_ds = tf.keras.utils.text_dataset_from_directory(
    train_dir, batch_size=batch_size, validation_split=0.2,
    subset='training', seed=seed)
val_ds = tf.keras.utils.text_dataset_from_directory(
    train_dir, batch_size=batch_size, validation_split=0.2,
    subset='validation', seed=seed)
report("class_names", train_ds.class_names)
report("cardinality", [int(train_ds.cardinality()), int(val_ds.cardinality())])
for text_batch, label_batch in train_ds.take(1):
    report("batch", [text_batch.shape, text_batch.dtype, label_batch.shape, label_batch.dtype])

AUTOTUNE = tf.data.AUTOTUNE
train_ds = train_ds.cache().prefetch(buffer_size=AUTOTUNE)
val_ds = val_ds.cache().prefetch(buffer_size=AUTOTUNE)

embedding_layer = tf.keras.layers.Embedding(1000, 5)
result = embedding_layer(tf.constant([1, 2, 3]))
report("embedding_1d.shape", result.numpy().shape)
report("embedding_1d.dtype", result.dtype)
result = embedding_layer(tf.constant([[0, 1, 2], [3, 4, 5]]))
report("embedding_2d.shape", result.shape)


def custom_standardization(input_data):
    lowercase = tf.strings.lower(input_data)
    stripped_html = tf.strings.regex_replace(lowercase, '<br />', ' ')
    return tf.strings.regex_replace(stripped_html,
                                    '[%s]' % re.escape(string.punctuation), '')


report("standardized", custom_standardization(tf.constant(["It's <br />GREAT, really!"])).numpy())

vocab_size = 40
sequence_length = 20

vectorize_layer = TextVectorization(
    standardize=custom_standardization,
    max_tokens=vocab_size,
    output_mode='int',
    output_sequence_length=sequence_length)

text_ds = train_ds.map(lambda x, y: x)
vectorize_layer.adapt(text_ds)
vocab = vectorize_layer.get_vocabulary()
report("vocab_size", len(vocab))
report("vocab[:6]", vocab[:2])
report("vocab_sorted", sorted(vocab))

embedding_dim = 16

model = Sequential([
    vectorize_layer,
    Embedding(vocab_size, embedding_dim, name="embedding"),
    GlobalAveragePooling1D(),
    Dense(16, activation='relu'),
    Dense(1)
])
fixed = tf.constant(["the film was great"])
model(fixed)
init_weights(model, seed=5, scale=0.2)

model.compile(optimizer='adam',
              loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
              metrics=['accuracy'])
history = model.fit(
    train_ds,
    validation_data=val_ds,
    epochs=3, verbose=0)
report("history_keys", sorted(history.history.keys()))
report("history_len", len(history.history["loss"]))
report("layer_names", [l.name for l in model.layers][1:2])
report("count_params", model.count_params())

weights = model.get_layer('embedding').get_weights()[0]
report("weights.shape", weights.shape)
vocab = vectorize_layer.get_vocabulary()

out_dir = tempfile.mkdtemp()
out_v = io.open(os.path.join(out_dir, 'vectors.tsv'), 'w', encoding='utf-8')
out_m = io.open(os.path.join(out_dir, 'metadata.tsv'), 'w', encoding='utf-8')
for index, word in enumerate(vocab):
    if index == 0:
        continue  # skip 0, it's padding.
    vec = weights[index]
    out_v.write('\t'.join([str(x) for x in vec]) + "\n")
    out_m.write(word + "\n")
out_v.close()
out_m.close()
with open(os.path.join(out_dir, 'vectors.tsv')) as f:
    lines = f.read().splitlines()
report("tsv_lines", [len(lines), len(lines[0].split("\t"))])
