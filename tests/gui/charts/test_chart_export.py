"""PNG and SVG files of every kind of report, light and dark, written by charts.export.write."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from tests.gui import report_samples
from tracker_gui.services.report_types import KINDS, Report
from tracker_gui.ui.charts import export, style

ROOT = Path(__file__).resolve().parents[3]
SVG_NS = "{http://www.w3.org/2000/svg}"


def pixels_of(image: QImage, colour: str) -> int:
    """How many pixels of the picture are exactly `colour` (fully opaque)."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB32)
    c = QColor(colour)
    pattern = bytes((c.blue(), c.green(), c.red(), 0xFF))
    return bytes(rgb.constBits()).count(pattern)


def svg_texts(path: Path) -> str:
    root = ET.parse(path).getroot()  # raises on a malformed file
    return " ".join("".join(t.itertext()) for t in root.iter(f"{SVG_NS}text"))


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("kind", KINDS)
def test_png_shows_the_series_in_the_theme_colours(
    qapp: object, tmp_path: Path, kind: str, theme: str
) -> None:
    report = report_samples.sample(kind)
    path = tmp_path / f"{kind}.png"
    export.write(report, path, "png", theme)
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1920, 1080)
    palette = style.SERIES_DARK if theme == "dark" else style.SERIES_LIGHT
    background = "#1e2027" if theme == "dark" else "#ffffff"
    assert image.pixelColor(3, 3) == QColor(background)
    # The first series (or the scatter's dots) is drawn in the first palette colour.
    assert pixels_of(image, palette[0]) > 500
    if len([s for s in report.series if s.style != "dashed"]) > 1:
        assert pixels_of(image, palette[1]) > 500 or pixels_of(image, "#d9821a") > 500


@pytest.mark.parametrize("kind", KINDS)
def test_svg_parses_and_names_title_series_axis_and_dates(
    qapp: object, tmp_path: Path, kind: str
) -> None:
    report = report_samples.sample(kind)
    path = tmp_path / f"{kind}.svg"
    export.write(report, path, "svg", "light")
    root = ET.parse(path).getroot()
    assert root.get("viewBox") == "0 0 960 540"
    texts = svg_texts(path)
    for expected in (
        report.title,
        report.subtitle,
        report.y_label,
        *(s.name for s in report.series),
    ):
        assert expected in texts
    for guide in report.guides:
        assert guide.label in texts
    for marker in report.markers:
        assert marker.label in texts
    if isinstance(report.x[0], str):
        assert all(str(name) in texts for name in report.x)
    else:
        assert any(month in texts for month in ("Sep", "Oct", "Nov", "Dec"))


def test_burndown_x_axis_labels_neither_overlap_nor_leave_the_picture(
    qapp: object, tmp_path: Path
) -> None:
    path = tmp_path / "b.svg"
    export.write(report_samples.burndown(), path, "svg", "dark")
    labels = ["30 Nov", "2 Dec", "4 Dec", "6 Dec", "8 Dec", "10 Dec", "12 Dec"]
    assert all(label in svg_texts(path) for label in labels)


def test_an_empty_report_shows_why_and_draws_no_series(qapp: object, tmp_path: Path) -> None:
    report = report_samples.empty()
    export.write(report, tmp_path / "e.svg", "svg", "dark")
    export.write(report, tmp_path / "e.png", "png", "dark")
    assert "No closed sprints yet" in svg_texts(tmp_path / "e.svg")
    image = QImage(str(tmp_path / "e.png"))
    assert pixels_of(image, style.SERIES_DARK[0]) == 0
    assert pixels_of(image, "#1e2027") > 1920 * 1000  # the background, and little else


def test_unknown_format_or_theme_and_unwritable_paths_are_refused(
    qapp: object, tmp_path: Path
) -> None:
    report = report_samples.velocity()
    with pytest.raises(ValueError, match="png or svg"):
        export.write(report, tmp_path / "v.gif", "gif", "light")
    with pytest.raises(ValueError, match="light or dark"):
        export.write(report, tmp_path / "v.png", "png", "sepia")
    with pytest.raises(OSError):
        export.write(report, tmp_path / "missing" / "v.png", "png", "light")
    assert list(tmp_path.iterdir()) == []


def test_render_report_draws_from_a_process_without_qt_or_display(tmp_path: Path) -> None:
    """The CLI's path: no QApplication yet, no DISPLAY, no QT_QPA_PLATFORM."""
    script = (
        "import sys; from tests.gui import report_samples; from tracker_gui import app;"
        "app.render_report(report_samples.cfd(), sys.argv[1], 'png', 'dark');"
        "app.render_report(report_samples.cfd(), sys.argv[2], 'svg', 'light');"
        "from PySide6.QtWidgets import QApplication; print(QApplication.instance() is None)"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    png, svg = tmp_path / "cfd.png", tmp_path / "cfd.svg"
    done = subprocess.run(
        [sys.executable, "-c", script, str(png), str(svg)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert QImage(str(png)).width() == 1920
    assert "Cumulative flow" in svg_texts(svg)


def test_a_report_that_names_its_colours_is_drawn_in_them(qapp: object, tmp_path: Path) -> None:
    base = report_samples.throughput()
    series = (
        base.series[0].__class__(base.series[0].name, base.series[0].values, "bar", "#123456"),
    )
    report = Report(**{**base.__dict__, "series": series})
    export.write(report, tmp_path / "t.png", "png", "light")
    assert pixels_of(QImage(str(tmp_path / "t.png")), "#123456") > 1000
