"""docs/keras_coverage.md stays what scripts/keras_coverage.py generates from the current tree."""

import importlib.util
import pathlib

from tests.conftest import keras_reference

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _script():
    spec = importlib.util.spec_from_file_location("keras_coverage", ROOT / "scripts" / "keras_coverage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_coverage_page_is_up_to_date():
    keras_reference()
    script = _script()
    expected = script.render(script.coverage())
    assert (ROOT / "docs" / "keras_coverage.md").read_text() == expected, (
        "docs/keras_coverage.md is out of date: run `PYTHONPATH=$PWD .venv/bin/python scripts/keras_coverage.py` "
        "and commit the page."
    )


def test_coverage_lists_a_missing_name_and_counts_a_present_one():
    keras_reference()
    rows = {ns: (names, missing) for ns, names, missing in _script().coverage()}
    names, missing = rows["keras.random"]
    assert "normal" in names and "normal" not in missing
    names, missing = rows["keras.ops"]
    assert "stft" in names and "stft" not in missing
    names, missing = rows["keras"]
    assert "applications" in names and "applications" in missing  # not built (pretrained weights): listed
