"""Pack the app icon's PNG renders into .ico, .icns and a freedesktop hicolor tree.

ICO (Vista and later) and ICNS (10.7 and later) both hold PNG data as it is, so no imaging
library is needed. A size with no PNG render is drawn with Qt (already a build dependency)
from the SVG, or scaled from the largest PNG, in a child process on the offscreen platform.

    python packaging/iconpack.py resources/icons/app --ico X.ico --icns X.icns --hicolor DIR
"""

from __future__ import annotations

import argparse
import os
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
# ICNS element types that take PNG data, by pixel size; the @2x types reuse a larger render.
ICNS_TYPES = (
    (b"icp4", 16),
    (b"ic11", 32),  # 16x16@2x
    (b"icp5", 32),
    (b"ic12", 64),  # 32x32@2x
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic13", 256),  # 128x128@2x
    (b"ic08", 256),
    (b"ic14", 512),  # 256x256@2x
    (b"ic09", 512),
    (b"ic10", 1024),  # 512x512@2x
)
# Variants that are not the app icon (tray, symbolic) never stand in for it.
_NOT_APP_ICON = ("symbolic", "tray", "mono")
_PREFERRED_SVG = ("tracker-gui.svg", "app.svg", "icon.svg")

_QT_RENDER = r"""
import sys
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

app = QGuiApplication(sys.argv[:1])
source, out_dir, sizes = sys.argv[1], sys.argv[2], [int(s) for s in sys.argv[3:]]
renderer = QSvgRenderer(source) if source.lower().endswith(".svg") else None
if renderer is not None and not renderer.isValid():
    sys.exit(f"cannot read {source} as SVG")
original = None if renderer is not None else QImage(source)
for size in sizes:
    if renderer is not None:
        image = QImage(QSize(size, size), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
    else:
        image = original.scaled(
            size, size, Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    if not image.save(f"{out_dir}/{size}.png", "PNG"):
        sys.exit(f"cannot write {out_dir}/{size}.png")
"""


class IconError(Exception):
    """The icon folder cannot supply what was asked for."""


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk; raises IconError for anything else."""
    if len(data) < 24 or not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise IconError("not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _is_app_icon(path: Path) -> bool:
    return not any(word in path.name.lower() for word in _NOT_APP_ICON)


def find_pngs(icon_dir: Path) -> dict[int, bytes]:
    """Square PNG renders in icon_dir by size (file names do not matter)."""
    found: dict[int, bytes] = {}
    for path in sorted(icon_dir.glob("*.png")):
        if not _is_app_icon(path):
            continue
        data = path.read_bytes()
        width, height = png_size(data)
        if width == height:
            found.setdefault(width, data)
    return found


def find_svg(icon_dir: Path) -> Path | None:
    """The app icon's SVG, if there is exactly one candidate (or a conventionally named one)."""
    for name in _PREFERRED_SVG:
        if (icon_dir / name).is_file():
            return icon_dir / name
    candidates = [p for p in sorted(icon_dir.glob("*.svg")) if _is_app_icon(p)]
    return candidates[0] if len(candidates) == 1 else None


def render_with_qt(source: Path, sizes: list[int]) -> dict[int, bytes]:
    """Draw `source` (SVG, or a PNG to scale) at each size, in a child Qt process."""
    with tempfile.TemporaryDirectory(prefix="iconpack-") as out:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        result = subprocess.run(
            [sys.executable, "-c", _QT_RENDER, str(source), out, *map(str, sizes)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise IconError(f"rendering {source} with Qt failed:\n{result.stderr.strip()}")
        return {size: Path(out, f"{size}.png").read_bytes() for size in sizes}


def icon_set(icon_dir: Path, sizes: set[int]) -> dict[int, bytes]:
    """PNG data for every size in `sizes`: the renders as they are, the rest drawn with Qt."""
    if not icon_dir.is_dir():
        raise IconError(f"{icon_dir} does not exist: the app icon is missing")
    pngs = find_pngs(icon_dir)
    svg = find_svg(icon_dir)
    if not pngs and svg is None:
        raise IconError(f"{icon_dir} holds no app icon (no square PNG render, no single SVG)")
    missing = sorted(sizes - pngs.keys())
    if missing and svg is not None:
        pngs.update(render_with_qt(svg, missing))
    elif missing:
        # Scaling down the biggest render beats shipping no icon at that size.
        with tempfile.TemporaryDirectory(prefix="iconpack-") as tmp:
            largest = Path(tmp, "largest.png")
            largest.write_bytes(pngs[max(pngs)])
            pngs.update(render_with_qt(largest, missing))
    return {size: pngs[size] for size in sizes}


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """An ICO file whose entries are the PNGs themselves (ICONDIR + ICONDIRENTRY + data)."""
    sizes = sorted(images)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries = b""
    for size in sizes:
        if size > 256:
            raise IconError("ICO entries are at most 256 pixels")
        data = images[size]
        dim = 0 if size == 256 else size  # 0 means 256 in a byte-wide field
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return header + entries + b"".join(images[s] for s in sizes)


def icns_bytes(images: dict[int, bytes]) -> bytes:
    """An ICNS file: 'icns' + length, then (type, length, PNG data) elements."""
    body = b""
    for kind, size in ICNS_TYPES:
        if size in images:
            data = images[size]
            body += kind + struct.pack(">I", len(data) + 8) + data
    if not body:
        raise IconError("no image of an ICNS size")
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def write_hicolor(images: dict[int, bytes], root: Path, name: str, svg: Path | None) -> None:
    """root/<n>x<n>/apps/<name>.png for each size (and scalable/apps/<name>.svg)."""
    for size, data in images.items():
        dest = root / f"{size}x{size}" / "apps" / f"{name}.png"
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
    if svg is not None:
        dest = root / "scalable" / "apps" / f"{name}.svg"
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(svg.read_bytes())


def build(
    icon_dir: Path,
    *,
    ico: Path | None = None,
    icns: Path | None = None,
    hicolor: Path | None = None,
    name: str = "tracker-gui",
) -> None:
    sizes: set[int] = set()
    if ico:
        sizes |= set(ICO_SIZES)
    if icns:
        sizes |= {size for _, size in ICNS_TYPES}
    if hicolor:
        sizes |= set(HICOLOR_SIZES)
    images = icon_set(icon_dir, sizes)
    if ico:
        ico.parent.mkdir(parents=True, exist_ok=True)
        ico.write_bytes(ico_bytes({s: images[s] for s in ICO_SIZES}))
    if icns:
        icns.parent.mkdir(parents=True, exist_ok=True)
        icns.write_bytes(icns_bytes({s: images[s] for _, s in ICNS_TYPES}))
    if hicolor:
        write_hicolor({s: images[s] for s in HICOLOR_SIZES}, hicolor, name, find_svg(icon_dir))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("icon_dir", type=Path, help="folder with the app icon's PNGs (and SVG)")
    parser.add_argument("--ico", type=Path, help="write a Windows .ico here")
    parser.add_argument("--icns", type=Path, help="write a macOS .icns here")
    parser.add_argument("--hicolor", type=Path, help="write a hicolor icon tree under here")
    parser.add_argument("--name", default="tracker-gui", help="icon name in the hicolor tree")
    args = parser.parse_args(argv)
    if not (args.ico or args.icns or args.hicolor):
        parser.error("nothing to write: give --ico, --icns and/or --hicolor")
    try:
        build(args.icon_dir, ico=args.ico, icns=args.icns, hicolor=args.hicolor, name=args.name)
    except (IconError, OSError) as exc:
        print(f"iconpack: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
