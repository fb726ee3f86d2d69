"""ThresholdedReLU against TensorFlow 2.21's tf.keras (recorded: Keras 3 dropped it, so the keras
package cannot be the reference), and every tf.keras.layers class name resolving in capas to the
class TF resolves it to (tests/goldens/tfkeras_layers/record.py)."""

import json
import pathlib

import numpy as np
import pytest

import capas as tf
from capas.keras import layers
from capas.keras.testing import run_layer_test
from tests.goldens._load import load_cases

GOLDENS = pathlib.Path(__file__).resolve().parents[3] / "goldens" / "tfkeras_layers"
cases = load_cases(GOLDENS)
EXPECTED = json.loads((GOLDENS / "tfkeras_layers.json").read_text())

# Names other helpers of issue 13 add (image augmentation, adaptive pooling, spectrograms).
_ADDED_ELSEWHERE = {
    "AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D", "AdaptiveAveragePooling3D",
    "AdaptiveMaxPooling1D", "AdaptiveMaxPooling2D", "AdaptiveMaxPooling3D", "AugMix", "AutoContrast",
    "ContrastLimitedAdaptiveHistogramEqualization", "CutMix", "Equalization", "MelSpectrogram", "MixUp",
    "RandAugment", "RandomBrightness", "RandomColorDegeneration", "RandomColorJitter", "RandomCrop",
    "RandomElasticTransform", "RandomErasing", "RandomGaussianBlur", "RandomGrayscale", "RandomHue",
    "RandomInvert", "RandomPerspective", "RandomPosterization", "RandomSaturation", "RandomSharpness",
    "RandomShear", "STFTSpectrogram", "Solarization",
}  # fmt: skip


@pytest.mark.parametrize("index", range(len(cases.THRESHOLDED_RELU_THETAS)))
def test_thresholded_relu_is_tensorflows(index):
    record = EXPECTED["thresholded_relu"][index]
    layer = layers.ThresholdedReLU(theta=record["theta"])
    out = layer(tf.constant(cases.THRESHOLDED_RELU_INPUT)).numpy()
    np.testing.assert_array_equal(out, np.asarray(record["output"], dtype="float32"))
    assert {k: v for k, v in layer.get_config().items() if k in record["config"]} == record["config"]


def test_thresholded_relu_contract_and_errors():
    run_layer_test(
        layers.ThresholdedReLU,
        {"theta": 0.5},
        input_shape=(2, 3),
        expected_output_shape=(2, 3),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        supports_masking=True,
        run_training_check=False,
    )
    with pytest.raises(ValueError, match="ThresholdedReLU .*theta should be >= 0"):
        layers.ThresholdedReLU(theta=-1.0)


def test_every_tf_keras_layers_name_resolves_to_the_class_tf_resolves_it_to():
    missing = []
    for name, class_name in EXPECTED["classes"].items():
        if name in cases.OWNED_ELSEWHERE or name in _ADDED_ELSEWHERE:
            continue
        ours = getattr(layers, name, None)
        if ours is None:
            missing.append(name)
            continue
        assert ours.__name__ == class_name, (name, ours.__name__, class_name)
    assert not missing, f"tf.keras.layers names capas lacks: {missing}"
