"""`Progbar`: the progress bar `fit`, `evaluate` and `predict` print.

It looks like Keras 3's (`938/938 ━━━━━━━━━━━━━━━━━━━━ 2s 2ms/step - loss: 0.3100`).
Differs from Keras: with `verbose=1` the bar is redrawn in place (`\\r`) only
when stdout is a terminal or a Jupyter kernel; otherwise (piped, CI logs)
only the final line is printed, without colour codes.
"""

import math
import os
import sys
import time

import numpy as np

from capas.keras import _io_utils as io_utils


def _dynamic_display():
    stream = sys.stdout
    is_tty = hasattr(stream, "isatty") and stream.isatty()
    return bool(is_tty or "ipykernel" in sys.modules or "PYCHARM_HOSTED" in os.environ)


def _format_value(value):
    if isinstance(value, (int, float, np.floating, np.integer)) or (isinstance(value, np.ndarray) and value.size == 1):
        value = float(value)
        return f"{value:.4f}" if abs(value) > 1e-3 else f"{value:.4e}"
    return str(value)


def _format_eta(seconds):
    if seconds > 3600:
        return "%d:%02d:%02d" % (seconds // 3600, (seconds % 3600) // 60, seconds % 60)
    if seconds > 60:
        return "%d:%02d" % (seconds // 60, seconds % 60)
    return "%ds" % seconds


def _format_time(time_per_unit, unit_name):
    if time_per_unit >= 1 or time_per_unit == 0:
        return f" {time_per_unit:.0f}s/{unit_name}"
    if time_per_unit >= 1e-3:
        return f" {time_per_unit * 1e3:.0f}ms/{unit_name}"
    return f" {time_per_unit * 1e6:.0f}us/{unit_name}"


class Progbar:
    """Displays a progress bar.

    Metrics are averaged over the updates unless they are named in
    `stateful_metrics` (shown as given); with `stateless_metrics` instead,
    only the metrics named there are averaged.

    Args:
        target: total number of steps expected, None if unknown.
        width: the width of the bar, in characters.
        verbose: 0 (silent), 1 (a bar, redrawn in place on a terminal or in
            Jupyter, the final line only otherwise) or 2 (one line when done).
        interval: the minimum time between two redraws, in seconds.
        stateful_metrics: names of metrics shown as given (not averaged).
        stateless_metrics: names of metrics that are averaged (the others
            are shown as given). Give at most one of the two.
        unit_name: the name of a step in the display (`'step'`, `'sample'`).

    Example:

    >>> from capas.keras.utils.progbar import Progbar
    >>> bar = Progbar(3, verbose=0)
    >>> for i in range(3):
    ...     bar.update(i + 1, [("loss", 0.5)])
    """

    def __init__(
        self,
        target,
        width=20,
        verbose=1,
        interval=0.05,
        stateful_metrics=None,
        stateless_metrics=None,
        unit_name="step",
    ):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError(
                "Progbar: give only one of `stateful_metrics` (the metrics not averaged) or "
                "`stateless_metrics` (the only metrics averaged); received both."
            )
        if verbose not in (0, 1, 2):
            raise ValueError(f"Progbar: `verbose` must be 0, 1 or 2; received verbose={verbose!r}.")
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        if stateless_metrics is not None:
            self.stateful_metrics = None
            self.stateless_metrics = set(stateless_metrics)
        else:
            self.stateful_metrics = set(stateful_metrics or ())
            self.stateless_metrics = None
        self._dynamic_display = _dynamic_display()
        self._seen_so_far = 0
        self._values = {}
        self._values_order = []
        self._start = time.time()
        self._last_update = 0.0
        self._time_after_first_step = None
        self._prev_total_width = 0

    def _is_stateless(self, name):
        if self.stateful_metrics is not None:
            return name not in self.stateful_metrics
        return name in self.stateless_metrics

    def _due(self, finalize=False):
        """Whether an `update` now would draw (the caller reads lazy values only then)."""
        if finalize:
            return self.verbose != 0
        return self.verbose == 1 and self._dynamic_display and time.time() - self._last_update >= self.interval

    def update(self, current, values=None, finalize=None):
        """Update the bar to step `current`.

        Args:
            current: the index of the current step (1-based count of steps done).
            values: a list of `(name, value)` pairs for this step.
            finalize: whether this is the last update; defaults to
                `current >= target`.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for name, value in values or ():
            if name not in self._values_order:
                self._values_order.append(name)
            if self._is_stateless(name) and not finalize:
                weight = max(current - self._seen_so_far, 1)
                total, count = self._values.get(name, (0.0, 0))
                self._values[name] = (total + value * weight, count + weight)
            else:
                self._values[name] = (value, 1)
        self._seen_so_far = current
        now = time.time()
        time_per_unit = self._step_duration(current, now)
        if self.verbose == 1:
            if not finalize and (not self._dynamic_display or now - self._last_update < self.interval):
                return
            self._write(self._bar_line(current, now, time_per_unit, finalize), finalize)
        elif self.verbose == 2 and finalize:
            self._write(self._summary_line(current, now, time_per_unit), True)
        self._last_update = now

    def add(self, n, values=None):
        """Advance the bar by `n` steps."""
        self.update(self._seen_so_far + n, values)

    # -- drawing ------------------------------------------------------------------------------
    def _style(self, text, code):
        return f"\x1b[{code}m{text}\x1b[0m" if self._dynamic_display else text

    def _bar_line(self, current, now, time_per_unit, finalize):
        """The verbose=1 line and its printed width (ANSI codes excluded)."""
        if self.target is not None and self.target > 0:
            digits = int(math.log10(self.target)) + 1
            count = f"%{digits}d/%d" % (current, self.target)
            done = min(int(self.width * current / self.target), self.width)
            plain = [count + " ", "━" * done, "━" * (self.width - done)]
            styled = [
                self._style(count, 1) + " ",
                self._style(plain[1], 32) if done else "",
                self._style(plain[2], 37) if plain[2] else "",
            ]
            if finalize:
                info = f" {now - self._start:.0f}s"
            else:
                info = " " + _format_eta(time_per_unit * (self.target - current))
        else:
            plain = styled = ["%7d/Unknown" % current]
            info = f" {now - self._start:.0f}s"
        info_styled = self._style(info[1:], 1)
        tail = _format_time(time_per_unit, self.unit_name) + self._metrics_text()
        return "".join(styled) + " " + info_styled + tail, len("".join(plain)) + len(info) + len(tail)

    def _summary_line(self, current, now, time_per_unit):
        if self.target is not None and self.target > 0:
            digits = int(math.log10(self.target)) + 1
            count = f"%{digits}d/%d" % (current, self.target)
        else:
            count = "%d/Unknown" % current
        text = f"{count} - {now - self._start:.0f}s -" + _format_time(time_per_unit, self.unit_name)
        text += self._metrics_text()
        return text, len(text)

    def _metrics_text(self):
        parts = []
        for name in self._values_order:
            total, count = self._values[name]
            value = total / max(1, count) if self._is_stateless(name) else total
            if isinstance(value, np.ndarray) and value.size > 1:
                value = np.mean(value)
            parts.append(f" - {name}: {_format_value(value)}")
        return "".join(parts)

    def _write(self, line, finalize):
        text, width = line
        stream = sys.stdout
        if self.verbose == 1 and self._dynamic_display:
            text = "\r" + text + " " * max(self._prev_total_width - width, 0)
            self._prev_total_width = width
        if finalize:
            text += "\n"
            self._prev_total_width = 0
        if not io_utils.is_interactive_logging_enabled():
            io_utils.print_msg(text.strip("\r\n"))
            return
        stream.write(text)
        stream.flush()

    def _step_duration(self, current, now):
        """Seconds per step, ignoring the (compilation-heavy) first step once more are done."""
        if not current:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            duration = (now - self._time_after_first_step) / (current - 1)
        else:
            duration = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return duration
