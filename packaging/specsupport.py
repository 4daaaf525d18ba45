"""What goes into the frozen app: the policy behind tracker_gui.spec, kept here so it is linted.

The spec stays a short list of PyInstaller calls; the decisions (which Qt modules, plugins
and translations to drop, what the version resources say) live in plain functions.
"""

from __future__ import annotations

import ast
import os
import plistlib
import re
import string
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path, PurePath

ROOT = Path(__file__).resolve().parent.parent
APP_NAME = "tracker-gui"
DISPLAY_NAME = "Tracker"
BUNDLE_ID = "org.trackergui.Tracker"

# PySide6 Python modules the app is built on. QtDBus: libQt6Gui links it on Linux anyway
# (portal dark mode, ibus, tray); QtSvg/QtSvgWidgets: the icons are SVG.
QT_MODULES_KEPT = frozenset({"QtCore", "QtGui", "QtWidgets", "QtSvg", "QtSvgWidgets", "QtDBus"})

# Qt plugins by type: "*" keeps every plugin of that type, a set keeps those base names
# (file name without "lib" and extension). Types not listed are dropped.
QT_PLUGINS_KEPT: dict[str, str | frozenset[str]] = {
    # offscreen: the smoke test and headless runs; xcb/wayland: Linux desktops;
    # windows/cocoa: the other two platforms.
    "platforms": frozenset({"qoffscreen", "qxcb", "qwayland", "qwindows", "qcocoa"}),
    "platforms/darwin": "*",
    # gtk3 and the xdg portal give native dialogs and follow the desktop's dark mode.
    "platformthemes": "*",
    # compose: dead keys and the Compose key; ibus: input methods (CJK). Not the QML keyboard.
    "platforminputcontexts": frozenset(
        {"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"}
    ),
    "xcbglintegrations": "*",
    # A Wayland window cannot appear without a shell integration; GNOME needs client-side
    # decorations (adwaita, with bradient as the fallback).
    "wayland-shell-integration": frozenset({"xdg-shell"}),
    "wayland-decoration-client": "*",
    "wayland-graphics-integration-client": frozenset({"qt-plugin-wayland-egl"}),
    # PNG is built into QtGui. qicns only matters on macOS (filtered below).
    "imageformats": frozenset({"qsvg", "qico", "qjpeg", "qicns"}),
    "iconengines": frozenset({"qsvgicon"}),
    "styles": "*",
    "accessiblebridge": "*",
}

# Linux: the desktop stack comes from the system, as it does for PySide6's own wheels. A copy
# from the build machine can clash with the user's (fontconfig's config format, GIO modules
# built against a newer GLib, the X/Wayland libraries matched to the driver and session), and
# the README lists these as required packages. What only these libraries needed goes too.
LINUX_SYSTEM_LIBS = re.compile(
    r"^lib("
    r"X11(-xcb)?|X(au|dmcp|ext|render|i|fixes|cursor|randr|inerama|composite|damage)"
    r"|xcb(-[\w-]+)?|xkbcommon(-x11)?"
    r"|(glib|gobject|gio|gmodule|gthread)-2\.0|dbus-1|systemd|udev"
    r"|fontconfig|freetype|harfbuzz|pango(cairo|ft2)?-1\.0|cairo(-gobject)?|pixman-1"
    r"|(gtk|gdk)-3|gdk_pixbuf-2\.0|atk(-bridge)?-1\.0|atspi|epoxy"
    r")\.so(\.\d+)*$"
)

Entry = tuple[str, str, str]  # PyInstaller TOC entry: (destination, source, typecode)


# -- version ---------------------------------------------------------------------------------
def read_version(root: Path = ROOT) -> str:
    """tracker_gui.__version__, read from the source without importing the package."""
    tree = ast.parse((root / "tracker_gui" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value
    raise RuntimeError("tracker_gui/__init__.py defines no __version__ string")


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """Four numbers for the Windows resource and CFBundleVersion: '1.2.3rc1' -> (1, 2, 3, 0)."""
    release = re.match(r"\d+(?:\.\d+)*", version)
    numbers = [int(n) for n in release.group().split(".")[:3]] if release else []
    numbers += [0] * (4 - len(numbers))
    return (numbers[0], numbers[1], numbers[2], numbers[3])


def short_version(version: str) -> str:
    """CFBundleShortVersionString: exactly three dot-separated integers."""
    return ".".join(str(n) for n in version_tuple(version)[:3])


# -- what the app imports ------------------------------------------------------------------
def imported_modules(files: Iterable[Path]) -> set[str]:
    """Absolute module names imported (anywhere, also inside functions) by these files."""
    found: set[str] = set()
    for file in files:
        tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def app_qt_modules(root: Path = ROOT) -> set[str]:
    """PySide6 modules (e.g. 'QtNetwork') that tracker_gui itself imports."""
    names = imported_modules((root / "tracker_gui").rglob("*.py"))
    return {
        name.split(".")[1]
        for name in names
        if name.startswith("PySide6.") and name.split(".")[1].startswith("Qt")
    }


def installed_qt_package() -> Path:
    """The folder of the installed PySide6 package."""
    import PySide6

    return Path(PySide6.__file__).parent


def installed_qt_modules() -> set[str]:
    """Every PySide6.Qt* extension module of the installed wheel."""
    pattern = re.compile(r"(Qt\w+)\.(?:abi3\.so|pyd|.*\.so)$")
    return {m.group(1) for p in installed_qt_package().iterdir() if (m := pattern.match(p.name))}


def qt_excludes(app_modules: set[str]) -> list[str]:
    """PySide6 modules to exclude: all but the kept ones and any the app imports."""
    keep = QT_MODULES_KEPT | app_modules
    return sorted(f"PySide6.{m}" for m in installed_qt_modules() - keep)


def migration_files(root: Path = ROOT) -> list[Path]:
    """The scripts playhouse.migrations runs by path (it globs '[0-9]*.py')."""
    return sorted((root / "tracker_gui" / "storage" / "migrations").glob("[0-9]*.py"))


def migration_hiddenimports(root: Path = ROOT) -> list[str]:
    """Modules the migration scripts import: they are data, so PyInstaller never scans them."""
    return sorted(
        name
        for name in imported_modules(migration_files(root))
        if name.split(".")[0] in {"tracker_gui", "peewee", "playhouse"}
        and not name.endswith(".*")
        and _importable(name)
    )


def _importable(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False  # `from peewee import IntegerField` lists peewee.IntegerField: not a module


def package_submodules(package: str) -> list[str]:
    """A package's modules from its files, without importing it.

    For psycopg_binary, which refuses to be imported before psycopg (so PyInstaller's
    collect_submodules cannot list it) and whose extension modules PyInstaller cannot see
    being imported (psycopg loads them by name at run time).
    """
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return []
    found = {package}
    for location in spec.submodule_search_locations:
        for file in Path(location).iterdir():
            name = file.name.split(".", maxsplit=1)[0]
            if file.suffix in {".py", ".so", ".pyd"} and name.isidentifier() and name != "__init__":
                found.add(f"{package}.{name}")
    return sorted(found)


# -- Qt files: plugins, translations, orphans -------------------------------------------------
def _qt_parts(dest: str) -> tuple[str, ...] | None:
    parts = PurePath(dest.replace("\\", "/")).parts
    return parts if parts and parts[0] == "PySide6" else None


def _plugin_base(filename: str) -> str:
    stem = filename.split(".", maxsplit=1)[0]
    return stem[3:] if stem.startswith("lib") else stem


def qt_file_wanted(dest: str, platform: str = sys.platform) -> bool:
    """False for Qt translations and for plugins the app does not use."""
    parts = _qt_parts(dest)
    if parts is None:
        return True
    if "translations" in parts:
        # The UI is English-only and installs no QTranslator: Qt's own .qm files go unused.
        return False
    if "plugins" not in parts:
        return True
    index = parts.index("plugins")
    plugin_type = "/".join(parts[index + 1 : -1])
    rule = QT_PLUGINS_KEPT.get(plugin_type)
    if rule is None:
        return False
    base = _plugin_base(parts[-1])
    if base == "qicns" and platform != "darwin":
        return False
    return rule == "*" or base in rule


def is_system_lib(dest: str, platform: str = sys.platform) -> bool:
    """True for a Linux desktop-stack library that the target system must provide."""
    return platform.startswith("linux") and bool(LINUX_SYSTEM_LIBS.match(os.path.basename(dest)))


def split_unwanted(
    entries: Sequence[Entry], platform: str = sys.platform
) -> tuple[list[Entry], list[Entry]]:
    """(kept, dropped): drops unused Qt files (qt_file_wanted) and system libraries."""
    kept: list[Entry] = []
    dropped: list[Entry] = []
    for entry in entries:
        wanted = qt_file_wanted(entry[0], platform) and not is_system_lib(entry[0], platform)
        (kept if wanted else dropped).append(entry)
    return kept, dropped


def _key(name: str) -> str:
    return os.path.basename(name).lower() if sys.platform == "win32" else os.path.basename(name)


def prune_orphans(
    binaries: Sequence[Entry],
    dropped: Sequence[Entry],
    imports_of: Callable[[str], Iterable[str]],
) -> tuple[list[Entry], list[Entry]]:
    """Drop libraries that only the dropped files needed.

    PyInstaller collects the link-time dependencies of every plugin before the spec can filter
    the plugins (e.g. the PDF image plugin brings libQt6Pdf, the QML virtual keyboard brings
    QtQuick). A library goes only if a dropped file reaches it and no kept file does, so
    anything loaded at run time by name (never reached by either) stays.
    """
    files = [entry for entry in binaries if entry[2] != "SYMLINK"]
    by_name = {_key(dest): (dest, src, kind) for dest, src, kind in files}

    def closure(starts: Iterable[Entry]) -> set[str]:
        seen: set[str] = set()
        queue = [src for _, src, kind in starts if kind != "SYMLINK"]
        while queue:
            for imported in imports_of(queue.pop()):
                name = _key(imported)
                if name in by_name and name not in seen:
                    seen.add(name)
                    queue.append(by_name[name][1])
        return seen

    reached_by_dropped = closure(dropped)
    needed = closure(entry for entry in files if _key(entry[0]) not in reached_by_dropped)
    orphans = reached_by_dropped - needed
    kept = [entry for entry in binaries if _key(entry[0]) not in orphans]
    removed = [entry for entry in binaries if _key(entry[0]) in orphans]
    return kept, removed


def drop_dangling_symlinks(entries: Sequence[Entry], removed: Iterable[Entry]) -> list[Entry]:
    """PyInstaller links top-level names (libQt6Core.so.6) to the real file; unlink the gone."""
    gone = {PurePath(dest).as_posix() for dest, _, _ in removed}
    return [
        entry
        for entry in entries
        if not (entry[2] == "SYMLINK" and PurePath(entry[1]).as_posix() in gone)
    ]


# -- platform metadata -------------------------------------------------------------------------
def render_version_info(template: Path, dest: Path, *, exe_name: str, description: str) -> Path:
    """Fill the Windows VSVersionInfo template from the package version."""
    version = read_version()
    numbers = version_tuple(version)
    text = string.Template(template.read_text(encoding="utf-8")).substitute(
        version_tuple=repr(numbers),
        version=version,
        version_dotted=".".join(str(n) for n in numbers),
        description=description,
        internal_name=APP_NAME,
        original_filename=f"{exe_name}.exe",
        product_name=DISPLAY_NAME,
    )
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(text, encoding="utf-8")
    return dest


def info_plist(fragment: Path, min_system: str | None = None) -> dict[str, object]:
    """Info.plist keys: the committed fragment plus the version and, if known, the minimum OS."""
    with fragment.open("rb") as fh:
        keys: dict[str, object] = plistlib.load(fh)
    version = read_version()
    keys["CFBundleShortVersionString"] = short_version(version)
    keys["CFBundleVersion"] = ".".join(str(n) for n in version_tuple(version))
    if min_system:
        keys["LSMinimumSystemVersion"] = min_system
    return keys


def macos_min_system(qtcore_binary: Path | None) -> str | None:
    """The macOS version QtCore was built for (LC_BUILD_VERSION minos), e.g. '13.0'."""
    if qtcore_binary is None or not qtcore_binary.exists():
        return None
    try:
        from PyInstaller.utils import osx

        major, minor, *_ = osx.macosx_version_min(str(qtcore_binary))
    except Exception:  # an unreadable header: fall back to the fragment's value
        return None
    return f"{major}.{minor}"


def resource_datas(platform: str = sys.platform, root: Path = ROOT) -> list[tuple[str, str]]:
    """resources/ as (source file, destination folder), minus other platforms' files."""
    skip = {"linux", "windows", "macos"} - {
        {"linux": "linux", "win32": "windows", "darwin": "macos"}.get(platform, "linux")
    }
    base = root / "resources"
    datas: list[tuple[str, str]] = []
    for file in sorted(base.rglob("*")):
        rel = file.relative_to(base)
        if file.is_file() and rel.parts[0] not in skip and "__pycache__" not in rel.parts:
            datas.append((str(file), str(PurePath("resources", *rel.parts[:-1]))))
    return datas
