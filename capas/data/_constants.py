"""tf.data's special values (shared by every module of the package)."""

AUTOTUNE = -1
INFINITE_CARDINALITY = -1
UNKNOWN_CARDINALITY = -2
