"""The report's chart as PNG bytes: time to first contact per day against the 5-minute line, and leads by
source. matplotlib with the Agg backend, one Figure object per chart (no pyplot state), closed when drawn."""

from __future__ import annotations

from io import BytesIO

import matplotlib

matplotlib.use("Agg")  # before anything imports pyplot: no display, no GUI toolkit

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from leadbot import texts
from leadbot.blocks.reports import ReportFigures

WIDTH_INCHES, HEIGHT_INCHES, DPI = 12.0, 4.5, 100  # 1200 × 450 pixels
TARGET_MINUTES = 5
SOURCES_SHOWN = 8
CONTACT_COLOUR, TARGET_COLOUR, SOURCE_COLOUR = "#1264a3", "#e01e5a", "#2eb67d"


def draw_chart(figures: ReportFigures) -> bytes:
    """The chart of a report's figures, as a PNG of WIDTH × HEIGHT pixels."""
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI)
    try:
        contact, sources = figure.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
        _contact(contact, figures)
        _sources(sources, figures)
        figure.suptitle(texts.REPORT_HEADER.format(period=figures.period), fontsize=13)
        figure.tight_layout()
        out = BytesIO()
        figure.savefig(out, format="png", dpi=DPI)
        return out.getvalue()
    finally:
        figure.clear()


def _contact(axes: Axes, figures: ReportFigures) -> None:
    days = list(figures.days)
    labels = [day.day.strftime("%d %b") for day in days]
    positions = list(range(len(days)))
    measured = [
        (x, day.contact_median)
        for x, day in zip(positions, days, strict=True)
        if day.contact_median is not None
    ]
    if measured:
        xs, ys = zip(*measured, strict=True)
        axes.plot(xs, ys, marker="o", color=CONTACT_COLOUR, label=texts.CHART_MEDIAN)
    axes.axhline(TARGET_MINUTES, color=TARGET_COLOUR, linestyle="--", linewidth=1.5, label=texts.CHART_TARGET)
    axes.set_title(texts.CHART_TITLE_CONTACT, fontsize=10)
    axes.set_ylabel(texts.CHART_MINUTES)
    axes.set_ylim(bottom=0)
    step = max(1, len(days) // 10)  # at most about ten date labels
    axes.set_xticks(positions[::step], labels[::step], rotation=45, ha="right", fontsize=8)
    if days:
        axes.set_xlim(-0.5, len(days) - 0.5)
    axes.legend(loc="upper right", fontsize=8)
    axes.grid(axis="y", alpha=0.3)


def _sources(axes: Axes, figures: ReportFigures) -> None:
    shown = list(figures.sources[:SOURCES_SHOWN])
    axes.set_title(texts.CHART_TITLE_SOURCES, fontsize=10)
    if not shown:
        axes.text(0.5, 0.5, texts.CHART_NO_DATA, ha="center", va="center", transform=axes.transAxes)
        axes.set_axis_off()
        return
    names = [tally.name[:28] for tally in reversed(shown)]
    counts = [tally.leads for tally in reversed(shown)]
    axes.barh(names, counts, color=SOURCE_COLOUR)
    axes.set_xlabel(texts.CHART_LEADS)
    axes.tick_params(axis="y", labelsize=8)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
