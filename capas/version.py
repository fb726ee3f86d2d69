"""`tf.version` and `tf.__version__`.

`VERSION` is the TensorFlow API level capas follows (its tests record values
from this TensorFlow release), so `tf.__version__.startswith("2.")` checks
pass; `CAPAS_VERSION` is capas's own package version.
"""

import importlib.metadata

VERSION = "2.21.0"
GIT_VERSION = "capas"
COMPILER_VERSION = "capas (PyTorch)"
GRAPH_DEF_VERSION = 0
GRAPH_DEF_VERSION_MIN_CONSUMER = 0
GRAPH_DEF_VERSION_MIN_PRODUCER = 0

try:
    CAPAS_VERSION = importlib.metadata.version("capas")
except importlib.metadata.PackageNotFoundError:  # running from a source tree
    CAPAS_VERSION = "0+source"
