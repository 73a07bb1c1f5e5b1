"""Charts for documents: bar charts as 200 dpi PNGs, in Arabic, drawn by matplotlib.

matplotlib (≥ 3.11) is imported only here, and only when a chart is drawn: the app and
exports without charts never pay for it. It shapes Arabic itself (libraqm), so labels are
passed as stored, in logical order: never through arabic-reshaper or a bidi algorithm,
which would come out reversed. The object-oriented :class:`~matplotlib.figure.Figure` API
is used with the Agg canvas: no pyplot, no global state, safe off the UI thread.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from models.arabic import apply_digits

__all__ = ["DPI", "bar_chart"]

DPI = 200
SIZE_INCHES = (6.3, 3.2)  # 16 × 8 cm: the text width of A4 with 2 cm margins
BAR_COLOUR = "#2f5d8a"


def bar_chart(labels: Sequence[str], values: Sequence[float], title: str,
              path: str | os.PathLike, *, font_path: str | os.PathLike,
              digits: str = "arabic", size: tuple[float, float] = SIZE_INCHES) -> Path:
    """Draw a bar chart to ``path`` (PNG, 200 dpi) and return the path.

    The first category stands at the right, as an Arabic reader expects; labels, title
    and the value over each bar are in the font at ``font_path`` (the bundled Amiri);
    tick and value digits are written in ``digits`` ("arabic" ٠–٩ or "western")."""
    if len(labels) != len(values):
        raise ValueError("labels and values differ in length")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    font = FontProperties(fname=str(font_path), size=10)
    title_font = FontProperties(fname=str(font_path), size=12)
    fig = Figure(figsize=size, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    n = len(labels)
    xs = list(range(n - 1, -1, -1))  # right to left: the first category at the right
    bars = ax.bar(xs, list(values), color=BAR_COLOUR, width=0.6)
    ax.set_xticks(xs)
    ax.set_xticklabels(list(labels), fontproperties=font)
    ax.set_xlim(-0.6, max(n, 1) - 0.4)
    ax.set_title(title, fontproperties=title_font)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(
        lambda v, _pos: apply_digits(f"{v:g}", digits)))
    # The value axis on the right: where an Arabic reader starts.
    ax.yaxis.tick_right()
    for tick in ax.get_yticklabels():
        tick.set_fontproperties(font)
    ax.spines[["top", "left"]].set_visible(False)
    top = max(values, default=0) or 1
    ax.set_ylim(0, top * 1.15)
    for bar, value in zip(bars, values, strict=True):
        ax.annotate(apply_digits(f"{value:g}", digits),
                    (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                    fontproperties=font)
    if n > 6 and max(len(label) for label in labels) > 6:
        for tick in ax.get_xticklabels():
            tick.set_rotation(30)
            tick.set_ha("center")
    path = Path(path)
    fig.savefig(path, dpi=DPI, format="png")
    return path
