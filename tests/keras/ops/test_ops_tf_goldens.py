"""keras.ops (and the adaptive-pooling/spectrogram layers) against values recorded from Keras 3 on
TensorFlow 2.21 (tests/goldens/kerasops: record.py runs cases.py in /work/tfvenv)."""

import json
import pathlib

import numpy as np
import pytest

from capas import keras as ck
from tests.goldens._load import load_cases

HERE = pathlib.Path(__file__).resolve().parents[2] / "goldens" / "kerasops"
CASES = load_cases(HERE)
GOLDENS = json.loads((HERE / "goldens.json").read_text())

# Float tolerances: the spectrogram layers sum many products (log/dB scales magnify the rounding).
TOLERANCE = {"mel_spectrogram": 2e-3, "stft_spectrogram_log": 2e-4, "stft_spectrogram_psd_same": 2e-4}


def _check(ours, golden, name):
    if isinstance(golden, list):
        assert isinstance(ours, list) and len(ours) == len(golden), name
        for o, g in zip(ours, golden):
            _check(o, g, name)
        return
    assert ours["shape"] == golden["shape"], f"{name}: shape {ours['shape']} != TF {golden['shape']}"
    assert ours["dtype"] == golden["dtype"], f"{name}: dtype {ours['dtype']} != TF {golden['dtype']}"
    tol = TOLERANCE.get(name, 2e-5)
    np.testing.assert_allclose(ours["values"], golden["values"], rtol=tol, atol=tol, err_msg=name)


@pytest.mark.parametrize("name", sorted(CASES.CASES))
def test_matches_keras_on_tensorflow(name):
    golden = GOLDENS[name]
    if isinstance(golden, dict) and "error" in golden:
        pytest.fail(f"{name}: the recording failed in TF ({golden['error']}); fix the case and re-record")
    _check(CASES.as_record(CASES.CASES[name](ck)), golden, name)
