"""Structured data classification with FeatureSpace (the heart-disease CSV, one-stop preprocessing).

Source: keras-team/keras-io examples/structured_data/structured_data_classification_with_feature_space.py
Covers: keras.utils.FeatureSpace with integer_categorical(num_oov_indices=0), string_categorical,
float_discretized(num_bins=30), float_normalized, crosses=[("sex", "age"), ("thal", "ca")],
crossing_dim=32, output_mode="concat"; Dataset.from_tensor_slices((dict(columns), labels)).batch,
adapt on `train_ds.map(lambda x, _: x)`, calling the space on a batch, mapping it over the dataset
with num_parallel_calls=AUTOTUNE and prefetch, get_inputs / get_encoded_features, the training
model on the encoded features and the inference model on the raw dict inputs, compile/fit, and
predict on one sample given as `{name: tf.convert_to_tensor([value])}`.
(A 24-row inline sample of the CSV instead of the download; the columns typed as the example's
pandas dataframe makes them (int64, float64, str); the first 20 rows train and the last 4
validate instead of `dataframe.sample(frac=0.2)`; the predictions are reported with the initial
weights of init_weights, since Dropout(0.5) draws different masks in each framework.)
"""
import csv
import io

import numpy as np
from _target import init_weights, keras, report, tf

CSV = """age,sex,cp,trestbps,chol,fbs,restecg,thalach,exang,oldpeak,slope,ca,thal,target
63,1,1,145,233,1,2,150,0,2.3,3,0,fixed,0
67,1,4,160,286,0,2,108,1,1.5,2,3,normal,1
67,1,4,120,229,0,2,129,1,2.6,2,2,reversible,0
37,1,3,130,250,0,0,187,0,3.5,3,0,normal,0
41,0,2,130,204,0,2,172,0,1.4,1,0,normal,0
56,1,2,120,236,0,0,178,0,0.8,1,0,normal,0
62,0,4,140,268,0,2,160,0,3.6,3,2,normal,1
57,0,4,120,354,0,0,163,1,0.6,1,0,normal,0
63,1,4,130,254,0,2,147,0,1.4,2,1,reversible,1
53,1,4,140,203,1,2,155,1,3.1,3,0,reversible,1
57,1,4,140,192,0,0,148,0,0.4,2,0,fixed,0
56,0,2,140,294,0,2,153,0,1.3,2,0,normal,0
56,1,3,130,256,1,2,142,1,0.6,2,1,fixed,1
44,1,2,120,263,0,0,173,0,0.0,1,0,reversible,0
52,1,3,172,199,1,0,162,0,0.5,1,0,reversible,0
57,1,3,150,168,0,0,174,0,1.6,1,0,normal,0
48,1,2,110,229,0,0,168,0,1.0,3,0,reversible,1
54,1,4,140,239,0,0,160,0,1.2,1,0,normal,0
48,0,3,130,275,0,0,139,0,0.2,1,0,normal,0
49,1,2,130,266,0,0,171,0,0.6,1,0,normal,0
64,1,1,110,211,0,2,144,1,1.8,2,0,normal,0
58,0,1,150,283,1,2,162,0,1.0,1,0,normal,0
58,1,2,120,284,0,2,160,0,1.8,2,0,normal,1
60,1,4,130,206,0,2,132,1,2.4,2,2,reversible,1
"""

rows = list(csv.DictReader(io.StringIO(CSV)))
FLOATS = {"oldpeak"}
STRINGS = {"thal"}


def column(name, part):
    values = [row[name] for row in part]
    if name in STRINGS:
        return np.array(values, dtype=object)
    if name in FLOATS:
        return np.array([float(v) for v in values], dtype="float64")
    return np.array([int(v) for v in values], dtype="int64")


def dataframe_to_dataset(part):
    features = {name: column(name, part) for name in rows[0] if name != "target"}
    labels = column("target", part)
    return tf.data.Dataset.from_tensor_slices((features, labels))


train_ds = dataframe_to_dataset(rows[:20]).batch(32)
val_ds = dataframe_to_dataset(rows[20:]).batch(32)

FeatureSpace = keras.utils.FeatureSpace
feature_space = FeatureSpace(
    features={
        "sex": FeatureSpace.integer_categorical(num_oov_indices=0),
        "cp": FeatureSpace.integer_categorical(num_oov_indices=0),
        "fbs": FeatureSpace.integer_categorical(num_oov_indices=0),
        "restecg": FeatureSpace.integer_categorical(num_oov_indices=0),
        "exang": FeatureSpace.integer_categorical(num_oov_indices=0),
        "ca": FeatureSpace.integer_categorical(num_oov_indices=0),
        "thal": FeatureSpace.string_categorical(num_oov_indices=0),
        "age": FeatureSpace.float_discretized(num_bins=30),
        "trestbps": FeatureSpace.float_normalized(),
        "chol": FeatureSpace.float_normalized(),
        "thalach": FeatureSpace.float_normalized(),
        "oldpeak": FeatureSpace.float_normalized(),
        "slope": FeatureSpace.float_normalized(),
    },
    crosses=[("sex", "age"), ("thal", "ca")],
    crossing_dim=32,
    output_mode="concat",
)

train_ds_with_no_labels = train_ds.map(lambda x, _: x)
feature_space.adapt(train_ds_with_no_labels)

for x, _ in train_ds.take(1):
    preprocessed_x = feature_space(x)
    report("preprocessed_x.shape", preprocessed_x.shape)
    report("preprocessed_x.dtype", preprocessed_x.dtype)
    report("preprocessed_x", np.asarray(preprocessed_x), tol=1e-5)

preprocessed_train_ds = train_ds.map(
    lambda x, y: (feature_space(x), y), num_parallel_calls=tf.data.AUTOTUNE
).prefetch(tf.data.AUTOTUNE)
preprocessed_val_ds = val_ds.map(lambda x, y: (feature_space(x), y), num_parallel_calls=tf.data.AUTOTUNE).prefetch(
    tf.data.AUTOTUNE
)
for x, y in preprocessed_val_ds.take(1):
    report("val_batch", np.asarray(x), tol=1e-5)
    report("val_labels", np.asarray(y))

dict_inputs = feature_space.get_inputs()
encoded_features = feature_space.get_encoded_features()
report("inputs", sorted(dict_inputs))
report("encoded_features.shape", encoded_features.shape)

x = keras.layers.Dense(32, activation="relu")(encoded_features)
x = keras.layers.Dropout(0.5)(x)
predictions = keras.layers.Dense(1, activation="sigmoid")(x)

training_model = keras.Model(inputs=encoded_features, outputs=predictions)
training_model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
inference_model = keras.Model(inputs=dict_inputs, outputs=predictions)
init_weights(training_model, seed=7)

sample = {
    "age": 60,
    "sex": 1,
    "cp": 1,
    "trestbps": 145,
    "chol": 233,
    "fbs": 1,
    "restecg": 2,
    "thalach": 150,
    "exang": 0,
    "oldpeak": 2.3,
    "slope": 3,
    "ca": 0,
    "thal": "fixed",
}
input_dict = {name: tf.convert_to_tensor([value]) for name, value in sample.items()}
report("inference_prediction", inference_model.predict(input_dict, verbose=0), tol=1e-5)
report("training_prediction", training_model.predict(preprocessed_val_ds, verbose=0), tol=1e-5)

history = training_model.fit(preprocessed_train_ds, epochs=3, validation_data=preprocessed_val_ds, verbose=0)
report("history_keys", sorted(history.history))
report("epochs", len(history.history["loss"]))
