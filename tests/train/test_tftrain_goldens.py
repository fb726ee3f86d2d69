"""tf.train additions (ExponentialMovingAverage, checkpoint state, ClusterSpec, Coordinator)
against values recorded from real TensorFlow (tests/goldens/tftrain)."""

import json
import os
import threading

import pytest

from tests.goldens._exec_cases import check
from tests.goldens._load import load_cases

import capas as tf

GOLDENS = os.path.join(os.path.dirname(__file__), "..", "goldens", "tftrain")
_cases = load_cases(GOLDENS)
CASES, run_case = _cases.CASES, _cases.run_case

with open(os.path.join(GOLDENS, "goldens.json")) as _f:
    RECORDED = json.load(_f)["cases"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_tensorflow(name, tmp_path):
    check(tf, name, CASES[name], run_case, RECORDED[name], str(tmp_path))


def test_checkpoints_iterator_yields_a_checkpoint_written_later(tmp_path):
    ckpt = tf.train.Checkpoint(v=tf.Variable(1.0))
    threading.Timer(0.5, lambda: ckpt.save(str(tmp_path / "late"))).start()
    seen = list(tf.train.checkpoints_iterator(str(tmp_path), timeout=3))
    assert [os.path.basename(p) for p in seen] == ["late-1"]


def test_coordinator_join_names_threads_that_do_not_stop():
    coord = tf.train.Coordinator()
    done = threading.Event()
    t = threading.Thread(target=lambda: done.wait(5))
    t.start()
    coord.request_stop()
    try:
        with pytest.raises(RuntimeError, match="still running"):
            coord.join([t], stop_grace_period_secs=0.1)
    finally:
        done.set()
        t.join()
