"""Build the one-dir app with PyInstaller, check what went in, and optionally smoke-test it.

    python packaging/build.py                    # build dist/tracker-gui/, print its size
    python packaging/build.py --smoke            # ... then run it: --version, init, --smoke-test
    python packaging/build.py --smoke --pg-url postgresql://...   # the smoke test on Postgres too
    python packaging/build.py --skip-build --smoke                # test an existing build
    python packaging/build.py --deb --check-deb   # Linux: dist/tracker-gui_<ver>_<arch>.deb,
                                                  # then unpack it and smoke-test that copy

Exits non-zero when the build, a bundle check or a smoke step fails.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import debpack
import specsupport

ROOT = specsupport.ROOT
SPEC = ROOT / "packaging" / "tracker_gui.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build"
APP_DIR = DIST / "tracker-gui"
SMOKE_TIMEOUT = 180
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Modules that PyInstaller cannot see being imported (entry points, by-path loading,
# platform backends chosen at run time); the frozen app is useless without them.
REQUIRED_MODULES = {
    "all": [
        "tracker_gui.cli",
        "tracker_gui.storage.database",
        "tracker_gui.storage.tables",
        "playhouse.migrations",
        "psycopg",
        "psycopg_binary",
        "psycopg_binary.pq",
        "psycopg_binary._psycopg",
        "keyring.backends.chainer",
        "keyring.backends.fail",
        "desktop_notifier",
        "desktop_notifier.backends.dummy",
        "platformdirs",
        "PySide6.QtWidgets",
        "PySide6.QtSvg",
    ],
    "linux": [
        "keyring.backends.SecretService",
        "secretstorage",
        "jeepney",
        "desktop_notifier.backends.dbus",
        "dbus_fast",
        "platformdirs.unix",
    ],
    "win32": [
        "keyring.backends.Windows",
        "desktop_notifier.backends.winrt",
        "platformdirs.windows",
    ],
    "darwin": ["keyring.backends.macOS", "desktop_notifier.backends.macos", "platformdirs.macos"],
}
FORBIDDEN_MODULES = ["tkinter", "pytest"]
# Qt modules that must stay out of the bundle (the point of PySide6-Essentials and the spec),
# unless tracker_gui starts importing one: then the spec keeps it and so does this check.
FORBIDDEN_QT = ["Qml", "Quick", "Pdf", "WebEngine", "3D", "Multimedia", "Designer", "Network"]
FORBIDDEN_QT += ["VirtualKeyboard", "Sql", "PrintSupport"]
# glibc and friends: part of every Linux system, never listed as requirements.
SYSTEM_CORE = re.compile(
    r"^(libc|libm|libdl|libpthread|librt|libutil|libresolv|libanl|libcrypt|libnsl|ld-linux[\w.-]*)"
    r"\.so"
)


def forbidden_qt() -> list[str]:
    used = specsupport.app_qt_modules()
    return [name for name in FORBIDDEN_QT if not any(m.startswith(f"Qt{name}") for m in used)]


@dataclass
class Report:
    """What passed and what failed, printed at the end; any failure makes the exit code 1."""

    lines: list[tuple[bool, str]] = field(default_factory=list)

    def check(self, ok: bool, text: str) -> bool:
        self.lines.append((ok, text))
        print(f"  [{'ok' if ok else 'FAIL'}] {text}", flush=True)
        return ok

    @property
    def failed(self) -> bool:
        return any(not ok for ok, _ in self.lines)


def step(title: str) -> None:
    print(f"\n==> {title}", flush=True)


# -- build -----------------------------------------------------------------------------------
def build(report: Report) -> float:
    """Run PyInstaller on the spec; returns the build time in seconds."""
    step("PyInstaller")
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        str(SPEC),
        "--clean",
        "--noconfirm",
        "--distpath",
        str(DIST),
        "--workpath",
        str(WORK),
    ]
    print("$ " + " ".join(command), flush=True)
    started = time.monotonic()
    warnings: list[str] = []
    with subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            print(line, end="", flush=True)
            if " WARNING: " in line or " ERROR: " in line:
                warnings.append(line.strip())
    elapsed = time.monotonic() - started
    report.check(proc.returncode == 0, f"PyInstaller exit code {proc.returncode}")
    if warnings:
        print(f"\nPyInstaller printed {len(warnings)} warning(s):")
        for line in warnings:
            print(f"  {line}")
    return elapsed


def bundle_size(path: Path) -> tuple[int, int]:
    """(bytes, files) under path, symlinks not followed."""
    total = count = 0
    for file in path.rglob("*"):
        if file.is_file() and not file.is_symlink():
            total += file.stat().st_size
            count += 1
    return total, count


def print_size(path: Path) -> None:
    total, count = bundle_size(path)
    print(f"{path.relative_to(ROOT)}: {total / 1e6:.1f} MB in {count} files")
    biggest = sorted(
        (f for f in path.rglob("*") if f.is_file() and not f.is_symlink()),
        key=lambda f: f.stat().st_size,
        reverse=True,
    )[:8]
    for file in biggest:
        print(f"  {file.stat().st_size / 1e6:7.1f} MB  {file.relative_to(path)}")


# -- what is in the bundle -------------------------------------------------------------------
def executable(app_dir: Path = APP_DIR, *, cli: bool = True) -> Path:
    """The binary to run from a terminal (tracker-gui-cli.exe on Windows)."""
    if sys.platform == "win32":
        return app_dir / ("tracker-gui-cli.exe" if cli else "tracker-gui.exe")
    return app_dir / "tracker-gui"


def contents_dir(app_dir: Path = APP_DIR) -> Path:
    internal = app_dir / "_internal"
    return internal if internal.is_dir() else app_dir


# soname -> (where it resolves here or None, whether the app itself needs it)
SystemLibraries = dict[str, tuple[str | None, bool]]


def check_bundle(report: Report, app_dir: Path = APP_DIR) -> SystemLibraries:
    """Check what went into the bundle; returns the system libraries it links to."""
    step("Bundle checks")
    exe = executable(app_dir)
    if not report.check(exe.is_file(), f"{exe.relative_to(ROOT)} exists"):
        return {}
    inner = contents_dir(app_dir)
    for migration in specsupport.migration_files():
        bundled = inner / "tracker_gui" / "storage" / "migrations" / migration.name
        report.check(bundled.is_file(), f"migration {migration.name} bundled as a file")
    icons = sorted((ROOT / "resources" / "icons").glob("*.svg"))
    missing = [i.name for i in icons if not (inner / "resources" / "icons" / i.name).is_file()]
    report.check(not missing, f"{len(icons)} SVG icons under resources/icons; missing: {missing}")
    report.check(
        (inner / "desktop_notifier" / "resources" / "python.png").is_file(),
        "desktop-notifier data files",
    )
    report.check(
        any(inner.glob("keyring-*.dist-info/entry_points.txt")), "keyring entry points metadata"
    )
    translations = [p for p in inner.rglob("*.qm")]
    report.check(not translations, f"no Qt translations ({len(translations)} .qm files)")
    names = forbidden_qt()
    pattern = re.compile(rf"^(lib)?Qt6?({'|'.join(names)})", re.IGNORECASE)
    libs = [p.name for p in inner.rglob("*") if pattern.match(p.name)]
    report.check(not libs, f"no Qt {'/'.join(names)} libraries or modules: {libs[:6]}")
    plugins = sorted(
        str(p.relative_to(p.parents[1])) for p in inner.rglob("plugins/*/*") if p.is_file()
    )
    print(f"  Qt plugins ({len(plugins)}): {', '.join(plugins)}")
    wanted = {"linux": ["qoffscreen", "qxcb", "qwayland"], "win32": ["qwindows", "qoffscreen"]}
    for name in wanted.get(sys.platform, ["qcocoa", "qoffscreen"]):
        report.check(any(name in p for p in plugins), f"platform plugin {name}")
    if sys.platform.startswith("linux"):
        hicolor = inner / "resources" / "linux" / "hicolor"
        sizes = sorted(p.parent.parent.name for p in hicolor.glob("*/apps/tracker-gui.*"))
        report.check("512x512" in sizes and "16x16" in sizes, f"hicolor icons {sizes}")
    check_modules(report, exe, inner)
    return check_links(report, inner)


def check_modules(report: Report, exe: Path, inner: Path) -> None:
    """Every module the app needs is in the archive (or, if compiled, beside it); none excluded."""
    from PyInstaller.archive.readers import pkg_archive_contents

    archived = set(pkg_archive_contents(str(exe)))

    def bundled(module: str) -> bool:
        if module in archived:
            return True
        *package, name = module.split(".")
        folder = inner.joinpath(*package)
        return any(folder.glob(f"{name}.*.so")) or any(folder.glob(f"{name}.*.pyd"))

    platform = "linux" if sys.platform.startswith("linux") else sys.platform
    needed = REQUIRED_MODULES["all"] + REQUIRED_MODULES.get(platform, [])
    missing = [m for m in needed if not bundled(m)]
    report.check(not missing, f"{len(needed)} required modules bundled; missing: {missing}")
    forbidden = FORBIDDEN_MODULES + [f"PySide6.Qt{name}" for name in forbidden_qt()]
    present = [m for m in forbidden if bundled(m)]
    report.check(not present, f"excluded modules stay out: {present}")


def check_links(report: Report, inner: Path) -> SystemLibraries:
    """Every Qt library a bundled binary links against is bundled; list what the OS provides."""
    from PyInstaller.depend import bindepend

    shared = re.compile(r"\.(so(\.\d+)*|dylib|dll|pyd)$")
    binaries = [
        p for p in inner.rglob("*") if p.is_file() and not p.is_symlink() and shared.search(p.name)
    ]
    bundled = {p.name.lower() for p in inner.rglob("*") if p.is_file()}
    unresolved_qt: set[str] = set()
    system: dict[str, set[str]] = {}
    missing: dict[str, set[str]] = {}
    where: dict[str, str] = {}
    for binary in binaries:
        try:
            imports = bindepend.get_imports(str(binary))
        except Exception:
            continue
        for name, resolved in imports:
            base = os.path.basename(name)
            if base.lower() in bundled or SYSTEM_CORE.match(base):
                continue
            if re.match(r"(lib)?Qt6", base):
                unresolved_qt.add(f"{binary.name} -> {base}")
                continue
            user = str(binary.relative_to(inner))
            system.setdefault(base, set()).add(user)
            if resolved is not None:
                where.setdefault(base, resolved)
            if resolved is None:
                missing.setdefault(base, set()).add(user)
    report.check(not unresolved_qt, f"Qt link dependencies bundled: {sorted(unresolved_qt)[:6]}")
    if not sys.platform.startswith("linux"):
        return {}
    print(f"  libraries the system must provide ({len(system)}):")
    for base in sorted(system):
        users = sorted(system[base])
        shown = ", ".join(Path(u).name for u in users[:3]) + (" ..." if len(users) > 3 else "")
        print(f"    {base:28} {'NOT FOUND here ' if base in missing else ''}<- {shown}")
    # Optional parts (gtk3 theme, Wayland, ibus) may miss theirs here; the app itself may not.
    # (ldd reports indirect dependencies too, hence the Wayland client library rule.)

    def essential(user: str) -> bool:
        name = Path(user).name
        if name.startswith("libQt6Wayland"):
            return False
        return "plugins" not in Path(user).parts or "qxcb" in name or "qoffscreen" in name

    fatal = sorted(base for base, users in missing.items() if any(map(essential, users)))
    report.check(not fatal, f"the app's own system libraries resolve here: missing {fatal}")
    return {base: (where.get(base), any(map(essential, users))) for base, users in system.items()}


def check_linux_metadata(report: Report) -> None:
    """The desktop entry and AppStream file validate, and the newest release is this version."""
    import xml.etree.ElementTree as ET

    step("Linux desktop metadata")
    linux = ROOT / "resources" / "linux"
    metainfo = linux / "org.trackergui.Tracker.metainfo.xml"
    releases = ET.parse(metainfo).getroot().findall("./releases/release")
    newest = releases[0].get("version") if releases else None
    version = specsupport.read_version()
    report.check(newest == version, f"metainfo's newest <release> is {version} (got {newest})")
    validate_linux_files(report, linux / "tracker-gui.desktop", metainfo)


def validate_linux_files(report: Report, desktop: Path, metainfo: Path) -> None:
    """desktop-file-validate and appstreamcli on these files (in resources/ or a package)."""
    validators = [
        ["desktop-file-validate", str(desktop)],
        ["appstreamcli", "validate", "--no-net", str(metainfo)],
    ]
    for command in validators:
        if shutil.which(command[0]) is None:
            print(f"  (skipped: {command[0]} is not installed)")
            continue
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        output = (result.stdout + result.stderr).strip().replace("\n", " | ")
        report.check(result.returncode == 0, f"{command[0]}: {output or 'valid'}")


def check_other_platforms(report: Report) -> None:
    """The Windows and macOS inputs render here too, so those spec branches cannot rot unseen."""
    import plistlib

    import iconpack

    step("Windows and macOS metadata (rendered here, used by the builds there)")
    out = WORK / "other-platforms"
    version = specsupport.read_version()
    try:
        text = specsupport.render_version_info(
            ROOT / "resources" / "windows" / "version_info.txt.in",
            out / "version_info.txt",
            exe_name="tracker-gui",
            description="Tracker",
        ).read_text(encoding="utf-8")
        # PyInstaller eval()s this file with its versioninfo classes; record the calls instead.
        calls: list[str] = []

        def recorder(name: str) -> Callable[..., str]:
            return lambda *args, **kwargs: calls.append(name) or name

        names = ["VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable"]
        names += ["StringStruct", "VarFileInfo", "VarStruct"]
        eval(text, {"__builtins__": {}}, {n: recorder(n) for n in names})
        report.check(
            calls[-1] == "VSVersionInfo" and f"'{version}'" in text,
            f"Windows version resource template renders ({calls.count('StringStruct')} strings)",
        )
    except Exception as exc:
        report.check(False, f"Windows version resource template renders: {exc!r}")
    try:
        keys = specsupport.info_plist(ROOT / "resources" / "macos" / "Info.plist")
        plistlib.dumps(keys)
        report.check(
            keys.get("CFBundleShortVersionString") == specsupport.short_version(version)
            and keys.get("NSHighResolutionCapable") is True
            # How macOS shows our notifications (banner); authorisation itself is asked at
            # run time by UNUserNotificationCenter, for the bundle id the spec sets.
            and keys.get("NSUserNotificationAlertStyle") in {"banner", "alert"},
            f"macOS Info.plist keys: {', '.join(sorted(keys))}",
        )
    except Exception as exc:
        report.check(False, f"macOS Info.plist fragment loads: {exc!r}")
    try:
        iconpack.build(
            ROOT / "resources" / "icons" / "app",
            ico=out / "tracker-gui.ico",
            icns=out / "tracker-gui.icns",
        )
        report.check(True, f"app icon packs into .ico and .icns under {out.relative_to(ROOT)}")
    except (iconpack.IconError, OSError) as exc:
        report.check(False, f"app icon packs into .ico and .icns: {exc}")


# -- smoke -------------------------------------------------------------------------------------
def clean_env(home: Path) -> dict[str, str]:
    """An environment that proves the app is self-contained and isolated from the user's data."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "TRACKER_DB", "QT_PLUGIN_PATH"}
    }
    env["TRACKER_HOME"] = str(home)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def run(
    exe: Path, args: list[str], env: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    print(f"$ {exe.name} {' '.join(args)}", flush=True)
    try:
        result = subprocess.run(
            [str(exe), *args],
            env=env,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=SMOKE_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        return subprocess.CompletedProcess(exc.cmd, 124, exc.stdout or "", "timed out")
    for stream in (result.stdout, result.stderr):
        if stream.strip():
            print("    " + stream.strip().replace("\n", "\n    "))
    return result


def smoke_version(report: Report, exe: Path, env: dict[str, str], cwd: Path) -> None:
    expected = specsupport.read_version()
    result = run(exe, ["--version"], env, cwd)
    tokens = result.stdout.split()
    report.check(
        result.returncode == 0 and bool(tokens) and tokens[-1].lstrip("v") == expected,
        f"--version prints {expected} (got {result.stdout.strip()!r}, exit {result.returncode})",
    )


def smoke_init(report: Report, exe: Path, env: dict[str, str], work: Path, target: str) -> bool:
    """`init` on a new database: the bundled migrations run through the frozen storage layer."""
    result = run(exe, ["--db", target, "init"], env, work)
    detail = f"exit {result.returncode}"
    ok = result.returncode == 0
    if ok and not target.startswith("postgres"):
        with sqlite3.connect(target) as conn:
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            tables = {row[0] for row in rows}
        ok = {"issue", "project", "change"} <= tables
        detail += f", {len(tables)} tables"
    return report.check(ok, f"init created and migrated the database ({detail})")


def smoke_window(
    report: Report, exe: Path, env: dict[str, str], work: Path, label: str, target: str
) -> None:
    """init, then --smoke-test on `target`: checks smoke.json and the screenshot, prints timing."""
    print(f"  -- {label}: {target}")
    if not smoke_init(report, exe, env, work, target):
        return
    out = work / f"smoke-{label}"
    started = time.time()
    result = run(exe, ["--db", target, "--smoke-test", str(out)], env, work)
    total = time.time() - started
    summary_file = out / "smoke.json"
    try:
        summary = json.loads(summary_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        report.check(False, f"{label}: smoke.json readable ({exc}); exit {result.returncode}")
        return
    shot_name = summary.get("screenshot")
    shots = [out / Path(shot_name).name] if shot_name else sorted(out.glob("*.png"))
    shot = shots[0] if shots else None
    png_ok = bool(shot and shot.is_file() and shot.read_bytes()[:8] == PNG_SIGNATURE)
    cards = summary.get("cards_visible", 0)
    report.check(
        result.returncode == 0 and summary.get("ok") is True and cards > 0 and png_ok,
        f"{label}: --smoke-test exit {result.returncode}, ok={summary.get('ok')}, "
        f"cards_visible={cards}, screenshot={'ok' if png_ok else 'missing'}",
    )
    if shot is not None and shot.is_file():
        to_shot = shot.stat().st_mtime - started
        report.check(
            True,
            f"{label}: start to screenshot {to_shot:.2f} s (process {total:.2f} s, "
            f"app's own count {summary.get('seconds', '?')} s)",
        )


def smoke(report: Report, pg_url: str | None, app_dir: Path = APP_DIR) -> None:
    step("Smoke test of the frozen app")
    exe = executable(app_dir)
    if not report.check(exe.is_file(), f"{exe} exists"):
        return
    with tempfile.TemporaryDirectory(prefix="tracker-smoke-") as tmp:
        work = Path(tmp)
        env = clean_env(work / "home")
        smoke_version(report, exe, env, work)
        smoke_window(report, exe, env, work, "sqlite", str(work / "smoke.db"))
        if pg_url:
            smoke_window(report, exe, env, work, "postgres", pg_url)
        written = [p for p in app_dir.rglob("__pycache__")]
        report.check(not written, f"the app wrote nothing into its own folder: {written[:3]}")


# -- Debian package --------------------------------------------------------------------------
def deb_path() -> Path:
    """Where --deb writes this version's package (the architecture as dpkg names it)."""
    version = debpack.debian_version(specsupport.read_version())
    return DIST / f"{debpack.PACKAGE}_{version}_{_dpkg_arch()}.deb"


def _dpkg_arch() -> str:
    result = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def make_deb(report: Report, libraries: SystemLibraries) -> None:
    step("Debian package")
    if not report.check(shutil.which("dpkg-deb") is not None, "dpkg-deb is installed"):
        return
    started = time.monotonic()
    deb, unowned = debpack.build_deb(
        APP_DIR, ROOT / "resources" / "linux", DIST, specsupport.read_version(), libraries
    )
    if unowned:
        print(
            f"  not on this machine, so not in Recommends: {', '.join(unowned)} (optional plugins)"
        )
    report.check(
        deb == deb_path() and deb.is_file(),
        f"{deb.relative_to(ROOT)}: {deb.stat().st_size / 1e6:.1f} MB "
        f"in {time.monotonic() - started:.0f} s",
    )


def check_deb(report: Report) -> None:
    step("Debian package: read, unpack (dpkg -x) and smoke-test the unpacked app")
    deb = deb_path()
    if not report.check(deb.is_file(), f"{deb.relative_to(ROOT)} exists"):
        return
    debpack.check_deb(
        deb,
        specsupport.read_version(),
        report.check,
        lambda desktop, metainfo: validate_linux_files(report, desktop, metainfo),
        lambda app_dir: smoke(report, None, app_dir),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="run the frozen app's smoke test")
    parser.add_argument("--pg-url", help="also smoke-test against this (empty) PostgreSQL db")
    parser.add_argument("--skip-build", action="store_true", help="test the existing dist/")
    parser.add_argument("--deb", action="store_true", help="Linux: pack dist/ into a .deb")
    parser.add_argument(
        "--check-deb",
        action="store_true",
        help="Linux: check the .deb, unpack it with dpkg -x and smoke-test the unpacked app",
    )
    args = parser.parse_args(argv)
    if args.pg_url and not args.smoke:
        parser.error("--pg-url needs --smoke")
    if (args.deb or args.check_deb) and not sys.platform.startswith("linux"):
        parser.error("--deb and --check-deb are for Linux")

    report = Report()
    libraries: SystemLibraries = {}
    build_time = None
    if not args.skip_build:
        if shutil.which("ldd") is None and sys.platform.startswith("linux"):
            print("warning: ldd not found; PyInstaller needs it to find shared libraries")
        build_time = build(report)
    if APP_DIR.is_dir():
        step("Size")
        print_size(APP_DIR)
        if (DIST / "Tracker.app").is_dir():
            print_size(DIST / "Tracker.app")
        libraries = check_bundle(report)
        if sys.platform.startswith("linux"):
            check_linux_metadata(report)
        check_other_platforms(report)
    else:
        report.check(False, f"{APP_DIR} exists")
    if args.smoke and not report.failed:
        smoke(report, args.pg_url)
    if args.deb and not report.failed:
        make_deb(report, libraries)
    if args.check_deb and not report.failed:
        check_deb(report)

    step("Summary")
    if build_time is not None:
        print(f"build time: {build_time:.0f} s")
    if APP_DIR.is_dir():
        total, count = bundle_size(APP_DIR)
        print(f"dist/tracker-gui: {total / 1e6:.1f} MB, {count} files")
    for ok, text in report.lines:
        if not ok or "start to screenshot" in text:
            print(f"  [{'ok' if ok else 'FAIL'}] {text}")
    print("FAILED" if report.failed else "OK")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
