"""The progress bar: Progbar and ProgbarLogger output for verbose 0, 1 and 2, on and off a terminal."""

import io
import re
import sys

import pytest

from capas.keras.callbacks import _logs
from capas.keras.utils import progbar as progbar_module
from capas.keras.utils.progbar import Progbar
from tests.keras.callbacks.conftest import make_model

LINE = re.compile(
    r"^5/5 ━{20} \d+s \d+(us|ms|s)/step - accuracy: (\d\.\d{4}) - loss: (\d\.\d{4})"
    r" - val_accuracy: (\d\.\d{4}) - val_loss: (\d\.\d{4})$"
)


class FakeTTY(io.StringIO):
    def isatty(self):
        return True


def fit(ck, data, verbose, epochs=2):
    x, y = data
    model = make_model(ck)
    return model, model.fit(x, y, batch_size=8, epochs=epochs, validation_data=(x, y), verbose=verbose)


def test_verbose_1_off_a_terminal_prints_only_final_lines(ck, data, capsys):
    _, history = fit(ck, data, verbose=1)
    out = capsys.readouterr().out
    assert "\r" not in out and "\x1b" not in out and "\b" not in out
    lines = out.splitlines()
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2" and len(lines) == 4
    for epoch, line in enumerate((lines[1], lines[3])):
        match = LINE.match(line)
        assert match, line
        shown = [float(v) for v in match.groups()[1:]]
        expected = [history.history[k][epoch] for k in ("accuracy", "loss", "val_accuracy", "val_loss")]
        assert shown == pytest.approx(expected, abs=5e-5)


def test_verbose_2_prints_one_line_per_epoch(ck, data, capsys):
    _, history = fit(ck, data, verbose=2)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Epoch 1/2" and len(lines) == 4
    pattern = re.compile(
        r"^5/5 - \d+s - \d+(us|ms|s)/step - accuracy: \d\.\d{4} - loss: (\d\.\d{4}) - "
        r"val_accuracy: \d\.\d{4} - val_loss: \d\.\d{4}$"
    )
    match = pattern.match(lines[3])
    assert match, lines[3]
    assert float(match.group(2)) == pytest.approx(history.history["loss"][1], abs=5e-5)


def test_verbose_0_prints_nothing(ck, data, capsys):
    model, _ = fit(ck, data, verbose=0)
    model.evaluate(*data, verbose=0)
    model.predict(data[0], verbose=0)
    assert capsys.readouterr().out == ""


def test_single_epoch_has_no_epoch_header(ck, data, capsys):
    fit(ck, data, verbose=1, epochs=1)
    assert not capsys.readouterr().out.startswith("Epoch")


def test_evaluate_and_predict_bars(ck, data, capsys):
    model, _ = fit(ck, data, verbose=0)
    capsys.readouterr()
    result = model.evaluate(*data, batch_size=8, verbose=1, return_dict=True)
    model.predict(data[0], batch_size=8, verbose=1)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert re.match(r"^5/5 ━{20} \d+s \d+\w+/step - accuracy: \d\.\d{4} - loss: \d\.\d{4}$", lines[0]), lines[0]
    assert f"loss: {result['loss']:.4f}" in lines[0]
    assert re.match(r"^5/5 ━{20} \d+s \d+\w+/step$", lines[1]), lines[1]


def test_terminal_redraws_in_place_and_reads_logs_rarely(ck, data, monkeypatch):
    stream = FakeTTY()
    monkeypatch.setattr(sys, "stdout", stream)
    model = make_model(ck)
    x, y = data
    before = _logs._Counter.conversions
    model.fit(x, y, batch_size=1, epochs=1, verbose=1)  # 40 batches, well under the refresh interval
    out = stream.getvalue()
    assert out.count("\n") == 1 and out.endswith("\n")
    assert out.startswith("\r") and "\x1b[1m" in out
    # The first batch draws (2 values read); the rest fall inside the refresh interval.
    assert _logs._Counter.conversions - before <= 2 * 3
    final = re.sub(r"\x1b\[[0-9;]*m", "", out.rsplit("\r", 1)[-1])
    assert re.match(r"^40/40 ━{20} \d+s \d+\w+/step - accuracy: \d\.\d{4} - loss: \d\.\d{4}\s*$", final), final


def test_progbar_eta_and_redraw_on_terminal(monkeypatch):
    stream = FakeTTY()
    monkeypatch.setattr(sys, "stdout", stream)
    bar = Progbar(10, interval=0.0)
    bar.update(5, [("loss", 0.5)])
    text = re.sub(r"\x1b\[[0-9;]*m", "", stream.getvalue())
    assert re.match(r"^\r 5/10 ━{10}━{10} \d+s \d+\w+/step - loss: 0\.5000$", text), text


@pytest.mark.parametrize("verbose", [1, 2])
def test_progbar_averages_stateless_metrics_like_keras(verbose, capsys):
    keras = pytest.importorskip("keras")
    updates = [
        (1, [("loss", 1.0), ("acc", 0.5)]),
        (3, [("loss", 2.0), ("acc", 0.7)]),
        (4, [("loss", 0.1), ("acc", 0.9)]),
    ]

    def final_values(cls, **kwargs):
        bar = cls(5, verbose=verbose, stateful_metrics=["acc"], **kwargs)
        for current, values in updates:
            bar.update(current, values)
        bar.update(5, [("loss", 0.25), ("acc", 1.0)], finalize=False)
        bar.update(5, None, finalize=True)
        text = re.sub(r"\x1b\[[0-9;]*m", "", capsys.readouterr().out).splitlines()[-1]
        return re.findall(r"(\w+): (\S+)", text)

    assert final_values(Progbar) == final_values(keras.utils.Progbar)


def test_progbar_unknown_target_and_small_values(capsys):
    bar = Progbar(None, verbose=1, stateful_metrics=["tiny"])
    bar.update(3, [("tiny", 1e-5)])
    bar.update(7, None, finalize=True)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "\r" not in out  # off a terminal: only the final line
    assert re.match(r"^      7/Unknown \d+s \d+\w+/step - tiny: 1\.0000e-05$", out.splitlines()[0])


def test_progbar_arguments_are_checked():
    with pytest.raises(ValueError, match="only one of `stateful_metrics`"):
        Progbar(3, stateful_metrics=["a"], stateless_metrics=["b"])
    with pytest.raises(ValueError, match="verbose"):
        Progbar(3, verbose=3)


def test_jupyter_counts_as_dynamic(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipykernel", object())
    assert progbar_module._dynamic_display()
    monkeypatch.delitem(sys.modules, "ipykernel")
    monkeypatch.delenv("PYCHARM_HOSTED", raising=False)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert not progbar_module._dynamic_display()


@pytest.mark.parametrize("verbose", [1, 2])
def test_off_a_terminal_the_bar_reads_no_batch_logs(ck, data, capsys, verbose):
    before = _logs._Counter.conversions
    fit(ck, data, verbose=verbose)
    assert _logs._Counter.conversions == before
    assert "loss:" in capsys.readouterr().out
