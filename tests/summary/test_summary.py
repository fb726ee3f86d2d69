"""tf.summary: event files written by capas, read by TensorBoard's EventAccumulator, equal TF's (recorded)."""

import json
import pathlib
import warnings

import numpy as np
import pytest

import capas as tf
from tests.goldens._load import load_cases

pytest.importorskip("tensorboard", reason="tf.summary needs the optional tensorboard package")
pytest.importorskip("PIL", reason="tf.summary.image needs Pillow")

GOLDENS = pathlib.Path(__file__).parents[1] / "goldens" / "tfsummary"
cases = load_cases(GOLDENS)
EXPECTED = json.loads((GOLDENS / "goldens.json").read_text())


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    logdir = str(tmp_path_factory.mktemp("summary"))
    returned = cases.summary_program(tf, logdir)
    return returned, cases.read_events(logdir), logdir


def test_summary_ops_return_and_state_as_tf(written):
    returned, _, _ = written
    assert returned == EXPECTED["summary"]["returned"]


def test_event_tags_and_plugins_as_tf(written):
    _, events, _ = written
    expected = EXPECTED["summary"]["events"]
    assert sorted(events) == sorted(expected)
    for tag in expected:
        assert events[tag]["plugin"] == expected[tag]["plugin"], tag


@pytest.mark.parametrize("tag", sorted(EXPECTED["summary"]["events"]))
def test_event_values_steps_dtypes_as_tf(written, tag):
    _, events, _ = written
    got, want = events[tag]["events"], EXPECTED["summary"]["events"][tag]["events"]
    assert [(e["step"], e["dtype"], e["shape"]) for e in got] == [(e["step"], e["dtype"], e["shape"]) for e in want]
    for g, w in zip(got, want):
        if isinstance(w["value"], list) and w["value"] and isinstance(w["value"][0], list) and w["dtype"] == "float64":
            np.testing.assert_allclose(g["value"], w["value"], rtol=1e-6, atol=1e-6)
        else:
            assert g["value"] == w["value"]


def test_event_file_is_named_as_tf(written):
    _, _, logdir = written
    names = [p.name for p in pathlib.Path(logdir).iterdir()]
    assert len(names) == 1 and names[0].startswith("events.out.tfevents.") and names[0].endswith(".v2")


def test_closed_writer_names_the_logdir(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path))
    writer.close()
    with writer.as_default(), pytest.raises(RuntimeError, match="closed"):
        tf.summary.scalar("x", 1.0, step=0)


def test_set_as_default_and_flush(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path / "d"))
    writer.set_as_default(step=4)
    try:
        assert tf.summary.should_record_summaries()
        assert tf.summary.scalar("x", 2.0)
        tf.summary.flush()
        events = cases.read_events(str(tmp_path / "d"))
        assert events["x"]["events"][0]["step"] == 4
    finally:
        from capas.summary import _writer

        _writer._global["default"] = None
        tf.summary.experimental.set_step(None)
        writer.close()


def test_step_may_be_a_variable(tmp_path):
    step = tf.Variable(0, dtype=tf.int64)
    tf.summary.experimental.set_step(step)
    try:
        with tf.summary.create_file_writer(str(tmp_path)).as_default() as writer:
            step.assign(5)
            tf.summary.scalar("x", 1.0)
        writer.close()
    finally:
        tf.summary.experimental.set_step(None)
    assert cases.read_events(str(tmp_path))["x"]["events"][0]["step"] == 5


def test_image_with_bad_rank_says_what_to_do(tmp_path):
    with tf.summary.create_file_writer(str(tmp_path)).as_default():
        with pytest.raises(ValueError, match=r"4-D.*\[4, 5, 3\].*expand_dims"):
            tf.summary.image("img", tf.zeros([4, 5, 3]), step=0)


def test_graph_and_trace_export_explain_themselves():
    with pytest.raises(TypeError, match="no tf.Graph"):
        tf.summary.graph(object())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tf.summary.trace_export("t", step=0)
        tf.summary.trace_on()
        tf.summary.trace_export("t", step=0)
    assert "has not been started" in str(caught[0].message)
    assert "torch.profiler" in str(caught[1].message)
