"""Working with preprocessing layers: Normalization, lookups, TextVectorization, encodings.

Source: keras-team/keras-io guides/preprocessing_layers.py
(tensorflow/docs site/en/guide/keras/preprocessing_layers)
Covers: Normalization.adapt (mean/variance, normalized output), StringLookup and IntegerLookup
(vocabulary, OOV, one_hot output), CategoryEncoding (one_hot, multi_hot, count),
TextVectorization (int output with output_sequence_length, multi_hot, tf_idf vocabulary),
Discretization with bin boundaries, and preprocessing inside tf.data via map.
"""
import numpy as np
from _target import layers, report, tf

training_data = np.array([[0.1, 0.2, 0.3], [0.8, 0.9, 1.0], [1.5, 1.6, 1.7]])
normalizer = layers.Normalization()
normalizer.adapt(training_data)
normalized_data = normalizer(training_data)
report("norm.mean_shape", normalizer.mean.shape)
report("norm.mean", normalizer.mean, tol=1e-6)
report("norm.variance", normalizer.variance, tol=1e-6)
report("normalized_mean", np.mean(normalized_data), tol=1e-5)
report("normalized_std", np.std(normalized_data), tol=1e-5)

data = tf.constant([["a"], ["b"], ["c"], ["b"], ["c"], ["a"]])
lookup = layers.StringLookup()
lookup.adapt(data)
report("string_vocab", lookup.get_vocabulary())
report("string_lookup", lookup(tf.constant([["a"], ["z"], ["c"]])))
report("vocab_size", lookup.vocabulary_size())
onehot_lookup = layers.StringLookup(vocabulary=["a", "b", "c"], output_mode="one_hot")
report("string_one_hot", onehot_lookup(tf.constant(["c", "q", "a"])))
inverse = layers.StringLookup(vocabulary=["a", "b", "c"], invert=True)
report("string_invert", inverse(tf.constant([1, 3, 0])))

int_data = tf.constant([[12, 1138, 42], [42, 1000, 36]])
int_lookup = layers.IntegerLookup()
int_lookup.adapt(int_data)
report("int_vocab", int_lookup.get_vocabulary())
report("int_lookup", int_lookup(int_data))

encoder = layers.CategoryEncoding(num_tokens=4, output_mode="one_hot")
report("category_one_hot", encoder(tf.constant([3, 2, 0, 1])))
multi = layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot")
report("category_multi_hot", multi(tf.constant([[0, 1], [0, 0], [1, 2], [3, 1]])))
count = layers.CategoryEncoding(num_tokens=4, output_mode="count")
report("category_count", count(tf.constant([[0, 1], [0, 0], [1, 2], [3, 1]])))

text = tf.constant(["The Brain is wider than the Sky", "For put them side by side",
                    "The one the other will contain", "With ease and You beside"])
vectorizer = layers.TextVectorization(output_mode="int", output_sequence_length=6)
vectorizer.adapt(text)
report("text_vocab", vectorizer.get_vocabulary())
report("text_int", vectorizer(tf.constant(["The Brain is deeper than the sea"])))
mh = layers.TextVectorization(output_mode="multi_hot")
mh.adapt(text)
report("text_multi_hot", mh(tf.constant(["The Brain is deeper than the sea"])))
tfidf = layers.TextVectorization(output_mode="tf_idf")
tfidf.adapt(text)
report("text_tf_idf", tfidf(tf.constant(["The Brain is deeper than the sea"])), tol=1e-5)

disc = layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
report("discretization", disc(tf.constant([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]])))

ds = tf.data.Dataset.from_tensor_slices(["the brain", "the sky"]).batch(2)
ds = ds.map(lambda x: vectorizer(x))
report("dataset_map", [b.numpy() for b in ds])
