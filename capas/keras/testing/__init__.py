"""Contract checkers shared by the test suite."""

from capas.keras.testing.keras_reference import assert_matches_keras as assert_matches_keras
from capas.keras.testing.layer_test import run_layer_test as run_layer_test
