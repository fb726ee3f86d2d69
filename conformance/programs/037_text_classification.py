"""Text classification from a directory of files: text_dataset_from_directory + TextVectorization.

Source: tensorflow/docs site/en/tutorials/keras/text_classification.ipynb
Covers: writing aclImdb-like pos/neg folders, keras.utils.text_dataset_from_directory
(batch_size, validation_split, subset, seed, class_names), a custom_standardization with
tf.strings.lower/regex_replace, TextVectorization(max_tokens, output_mode="int",
output_sequence_length).adapt on the text-only dataset, Embedding + Dropout +
GlobalAveragePooling1D + Dense(1), BinaryCrossentropy(from_logits) with BinaryAccuracy, export model.
"""
import os
import re
import string
import tempfile

from _target import init_weights, keras, layers, report, tf

root = tempfile.mkdtemp()
good = ["a great movie", "loved it truly", "great acting and a fine plot", "wonderful<br />film", "fine fine fine"]
bad = ["a terrible movie", "hated it", "awful acting<br />and a bad plot", "boring film", "bad bad bad"]
for label, texts in (("pos", good), ("neg", bad)):
    os.makedirs(os.path.join(root, "train", label))
    for i, text in enumerate(texts):
        with open(os.path.join(root, "train", label, "%d.txt" % i), "w") as f:
            f.write(text)

raw_train_ds = keras.utils.text_dataset_from_directory(os.path.join(root, "train"), batch_size=4, shuffle=False)
report("class_names", raw_train_ds.class_names)
report("n_batches", len(list(raw_train_ds)))
text_batch, label_batch = next(iter(raw_train_ds))
report("text_batch.dtype", text_batch.dtype)
report("label_batch", label_batch)
report("first_text", text_batch.numpy()[0])
raw_val_ds = keras.utils.text_dataset_from_directory(os.path.join(root, "train"), batch_size=4,
                                                     validation_split=0.2, subset="validation", seed=42)
report("val_count", sum(int(t.shape[0]) for t, _ in raw_val_ds))


def custom_standardization(input_data):
    lowercase = tf.strings.lower(input_data)
    stripped_html = tf.strings.regex_replace(lowercase, "<br />", " ")
    return tf.strings.regex_replace(stripped_html, "[%s]" % re.escape(string.punctuation), "")


max_features = 30
sequence_length = 6
vectorize_layer = layers.TextVectorization(standardize=custom_standardization, max_tokens=max_features,
                                           output_mode="int", output_sequence_length=sequence_length)
train_text = raw_train_ds.map(lambda x, y: x)
vectorize_layer.adapt(train_text)
report("vocab_head", vectorize_layer.get_vocabulary()[:6])


def vectorize_text(text, label):
    text = tf.expand_dims(text, -1)
    return vectorize_layer(text), label


train_ds = raw_train_ds.map(vectorize_text)
first_x, first_y = next(iter(train_ds))
report("vectorized", first_x)
report("1287->", vectorize_layer.get_vocabulary()[2])

model = keras.Sequential([
    keras.Input(shape=(sequence_length,), dtype="int64"),
    layers.Embedding(max_features, 4),
    layers.Dropout(0.2),
    layers.GlobalAveragePooling1D(),
    layers.Dropout(0.2),
    layers.Dense(1),
])
init_weights(model, seed=0)
model.compile(loss=keras.losses.BinaryCrossentropy(from_logits=True), optimizer="adam",
              metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)])
history = model.fit(train_ds.cache().prefetch(tf.data.AUTOTUNE), epochs=2, verbose=0)
report("history_keys", sorted(history.history.keys()))
export_model = keras.Sequential([vectorize_layer, model, layers.Activation("sigmoid")])
export_model.compile(loss=keras.losses.BinaryCrossentropy(from_logits=False), optimizer="adam", metrics=["accuracy"])
examples = tf.constant(["The movie was great!", "The movie was okay.", "The movie was terrible..."])
report("export_predict.shape", export_model.predict(examples, verbose=0).shape)
