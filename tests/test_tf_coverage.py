"""docs/tf_coverage.md stays what scripts/tf_coverage.py generates from the current tree."""

import importlib.util
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _script():
    spec = importlib.util.spec_from_file_location("tf_coverage", ROOT / "scripts" / "tf_coverage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_coverage_page_is_up_to_date():
    script = _script()
    assert (ROOT / "docs" / "tf_coverage.md").read_text() == script.render(script.coverage()), (
        "docs/tf_coverage.md is out of date: run `PYTHONPATH=$PWD .venv/bin/python scripts/tf_coverage.py` "
        "and commit the page."
    )


def test_coverage_counts_a_present_name_and_lists_a_missing_one():
    rows = {ns: (names, missing) for ns, names, missing in _script().coverage()}
    names, missing = rows["tf"]
    assert "matmul" in names and "matmul" not in missing
    names, missing = rows["tf.queue"]
    assert "FIFOQueue" in names and "FIFOQueue" in missing  # TF 1 queues: not built, so listed
