"""Inputs shared by the FeatureSpace / HashedCrossing recorder (TensorFlow) and the capas tests.

`HEART_CSV` is a small inline sample in the layout of the keras-io example "Structured data
classification with FeatureSpace" (the Cleveland heart-disease CSV), so nothing is downloaded.
Plain Python only: this file runs unchanged under TensorFlow's venv and under capas.
"""

import csv
import io

HEART_CSV = """age,sex,cp,trestbps,chol,fbs,restecg,thalach,exang,oldpeak,slope,ca,thal,target
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
"""

INT_COLUMNS = ["sex", "cp", "fbs", "restecg", "exang", "ca"]
FLOAT_COLUMNS = ["age", "trestbps", "chol", "thalach", "oldpeak", "slope"]
STRING_COLUMNS = ["thal"]


def heart_columns():
    """The CSV as {column: list} with ints, floats and strings typed as the example's dataframe."""
    rows = list(csv.DictReader(io.StringIO(HEART_CSV)))
    out = {}
    for name in rows[0]:
        values = [row[name] for row in rows]
        if name in INT_COLUMNS or name == "target":
            out[name] = [int(v) for v in values]
        elif name in FLOAT_COLUMNS:
            out[name] = [float(v) for v in values]
        else:
            out[name] = values
    return out


# The keras-io example's feature spec, as (column, constructor name, keyword arguments).
EXAMPLE_FEATURES = [
    ("sex", "integer_categorical", {"num_oov_indices": 0}),
    ("cp", "integer_categorical", {"num_oov_indices": 0}),
    ("fbs", "integer_categorical", {"num_oov_indices": 0}),
    ("restecg", "integer_categorical", {"num_oov_indices": 0}),
    ("exang", "integer_categorical", {"num_oov_indices": 0}),
    ("ca", "integer_categorical", {"num_oov_indices": 0}),
    ("thal", "string_categorical", {"num_oov_indices": 0}),
    ("age", "float_discretized", {"num_bins": 30}),
    ("trestbps", "float_normalized", {}),
    ("chol", "float_normalized", {}),
    ("thalach", "float_normalized", {}),
    ("oldpeak", "float_normalized", {}),
    ("slope", "float_normalized", {}),
]
EXAMPLE_CROSSES = [("sex", "age"), ("thal", "ca")]

# A second space, every other constructor and output_mode='dict'.
OTHER_FEATURES = [
    ("thal", "string_hashed", {"num_bins": 16}),
    ("cp", "integer_hashed", {"num_bins": 8}),
    ("chol", "float_rescaled", {"scale": 0.01, "offset": -2.0}),
    ("oldpeak", "float", {}),
    ("sex", "integer_categorical", {"output_mode": "int"}),
    ("restecg", "integer_categorical", {"max_tokens": 3}),
    ("thalach", "float_discretized", {"num_bins": 4, "output_mode": "int"}),
]
OTHER_CROSSES = [("thal", "cp")]

# Inputs the fitted spaces encode: in the example's vocabularies (num_oov_indices=0 refuses
# others), with values out of the data's range for the normalized and discretized columns.
PROBE_ROWS = {
    "age": [29.0, 63.0, 77.0],
    "sex": [1, 0, 1],
    "cp": [4, 1, 3],
    "trestbps": [120.0, 200.0, 94.0],
    "chol": [230.0, 564.0, 126.0],
    "fbs": [0, 1, 0],
    "restecg": [2, 0, 0],
    "thalach": [150.0, 71.0, 202.0],
    "exang": [0, 1, 0],
    "oldpeak": [0.0, 6.2, 1.0],
    "slope": [1.0, 3.0, 2.0],
    "ca": [0, 3, 1],
    "thal": ["normal", "fixed", "reversible"],
}
# The second space also gets values never seen in adapt (OOV, unknown strings, hashed anyway).
OTHER_PROBE_OVERRIDES = {
    "cp": [4, 1, 9],
    "thal": ["normal", "fixed", "unknown"],
    "sex": [1, 0, 5],
    "restecg": [2, 1, 7],
}

# HashedCrossing cases: (num_bins, output_mode, first input, second input).
HASHED_CROSSING_CASES = [
    (5, "int", ["A", "B", "A", "C"], [101, 101, 102, -3]),
    (1000, "int", ["A", "B", "A", "C"], ["x", "y", "z", "w"]),
    (32, "int", [0, 1, 2, 3], [0, 0, 7, 29]),
    (7, "one_hot", [[1], [2], [3]], [[3], [4], [5]]),
    (64, "int", [[-1], [0], [2**40]], [["é"], [""], ["long text value"]]),
]
