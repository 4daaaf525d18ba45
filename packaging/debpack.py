"""Pack the one-dir Linux build into a .deb, and check a .deb by unpacking it (never installing).

The package puts the app under /opt/tracker-gui, a /usr/bin/tracker-gui link, the desktop
entry, the hicolor icons and the AppStream metainfo under /usr/share, and depends on the
Debian packages that provide the system libraries the bundle links to (build.py's link
check lists them; `dpkg -S` on this machine names their packages, as dpkg-shlibdeps would).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

PACKAGE = "tracker-gui"
INSTALL_DIR = Path("opt") / PACKAGE
DESKTOP = "tracker-gui.desktop"
METAINFO = "org.trackergui.Tracker.metainfo.xml"
MAINTAINER = "Tracker contributors <tracker@users.noreply.invalid>"
SUMMARY = "desktop issue tracker with a kanban board, offline or on a team database"
DESCRIPTION = """\
 Tracker is a native desktop issue tracker. One person uses it offline on a
 local file; a team points it at a shared PostgreSQL database where each
 member's role is enforced by the database itself. Drag-and-drop kanban
 boards, a query language, full-text search, desktop notifications, and
 import from Trello and Jira."""
COPYRIGHT = """\
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: tracker-gui

Files: *
Copyright: Tracker contributors
License: MIT
 Bundled third-party libraries (Qt for Python, Python and others) keep their own
 licences; see the files next to them under /opt/tracker-gui/_internal.
"""


def debian_version(version: str) -> str:
    """A PEP 440 version in Debian's form: pre-releases sort before the release.

    1.2.0rc1 -> 1.2.0~rc1, 1.2.0a1 -> 1.2.0~a1, 1.2.0.dev3 -> 1.2.0~~dev3,
    1.2.0.post1 -> 1.2.0+post1, 1.2.0 -> 1.2.0.
    """
    found = re.fullmatch(
        r"(?P<release>\d+(?:\.\d+)*)"
        r"(?:[-_.]?(?P<pre>a|b|rc|alpha|beta|c)[-_.]?(?P<pre_n>\d*))?"
        r"(?:[-_.]?post[-_.]?(?P<post>\d*))?"
        r"(?:[-_.]?dev[-_.]?(?P<dev>\d*))?",
        version.strip().lower(),
    )
    if found is None:
        raise ValueError(f"not a version Debian can order: {version!r}")
    names = {"alpha": "a", "beta": "b", "c": "rc"}
    result = found["release"]
    if found["pre"]:
        result += f"~{names.get(found['pre'], found['pre'])}{found['pre_n'] or 0}"
    if found["post"] is not None:
        result += f"+post{found['post'] or 0}"
    if found["dev"] is not None:
        # A dev release comes before the alphas of its release too: "~~" sorts before "~a".
        tilde = "~" if found["pre"] or found["post"] is not None else "~~"
        result += f"{tilde}dev{found['dev'] or 0}"
    return result


def owning_package(library: str) -> str | None:
    """The Debian package that ships `library` (a resolved path), per `dpkg -S`."""
    path = Path(library)
    candidates = {str(path), str(path.resolve())}
    # Merged /usr: a package may have registered /lib/... or /usr/lib/... for the same file.
    for known in list(candidates):
        if known.startswith("/usr/"):
            candidates.add(known[4:])
        else:
            candidates.add("/usr" + known)
    for candidate in sorted(candidates):
        result = subprocess.run(
            ["dpkg", "-S", candidate], capture_output=True, text=True, check=False
        )
        if result.returncode == 0 and ":" in result.stdout:
            # "libxcb1:amd64: /usr/lib/x86_64-linux-gnu/libxcb.so.1" -> libxcb1
            return result.stdout.split(":", 1)[0].split(",")[0].strip()
    return None


def relations(
    libraries: dict[str, tuple[str | None, bool]],
) -> tuple[list[str], list[str], list[str]]:
    """(Depends, Recommends, sonames no package was found for) from the link check's list.

    `libraries` maps a soname to (its resolved path here or None, whether the app itself
    needs it rather than an optional plugin such as the Wayland or GTK theme ones).
    """
    depends: set[str] = set()
    recommends: set[str] = set()
    unowned: list[str] = []
    for soname, (resolved, essential) in sorted(libraries.items()):
        package = owning_package(resolved) if resolved else None
        if package is None:
            unowned.append(soname)
            continue
        (depends if essential else recommends).add(package)
    return sorted(depends), sorted(recommends - depends), unowned


def _normalise_modes(root: Path) -> None:
    """0755 for folders and executables, 0644 for the rest: what dpkg and lintian expect."""
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir() or path.stat().st_mode & 0o100:
            path.chmod(0o755)
        else:
            path.chmod(0o644)


def stage(app_dir: Path, resources: Path, staging: Path) -> None:
    """Lay out the package's files under `staging` (its future /)."""
    shutil.copytree(app_dir, staging / INSTALL_DIR, symlinks=True)
    bin_dir = staging / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / PACKAGE).symlink_to(Path("/") / INSTALL_DIR / PACKAGE)
    share = staging / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copy2(resources / DESKTOP, share / "applications" / DESKTOP)
    (share / "metainfo").mkdir(parents=True)
    shutil.copy2(resources / METAINFO, share / "metainfo" / METAINFO)
    # The hicolor tree the build generated (the same icons the app shows), every size.
    built_icons = _internal(staging / INSTALL_DIR) / "resources" / "linux" / "hicolor"
    shutil.copytree(built_icons, share / "icons" / "hicolor")
    doc = share / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(COPYRIGHT, encoding="utf-8")


def _internal(app_dir: Path) -> Path:
    inner = app_dir / "_internal"
    return inner if inner.is_dir() else app_dir


FONT_RECOMMENDS = ("fonts-noto-color-emoji",)


def control(version: str, depends: list[str], recommends: list[str], size_kb: int) -> str:
    arch = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()
    lines = [
        f"Package: {PACKAGE}",
        f"Version: {debian_version(version)}",
        f"Architecture: {arch}",
        f"Maintainer: {MAINTAINER}",
        f"Installed-Size: {size_kb}",
        f"Depends: {', '.join(depends)}",
    ]
    # Colour emoji in titles and comments: the app bundles no emoji font (see docs/platforms.md).
    recommends = sorted({*recommends, *FONT_RECOMMENDS})
    lines.append(f"Recommends: {', '.join(recommends)}")
    lines += ["Section: utils", "Priority: optional", f"Description: {SUMMARY}", DESCRIPTION]
    return "\n".join(lines) + "\n"


def build_deb(
    app_dir: Path,
    resources: Path,
    out_dir: Path,
    version: str,
    libraries: dict[str, tuple[str | None, bool]],
) -> tuple[Path, list[str]]:
    """Write out_dir/tracker-gui_<version>_<arch>.deb; returns it and the unowned sonames."""
    depends, recommends, unowned = relations(libraries)
    with tempfile.TemporaryDirectory(prefix="tracker-deb-") as tmp:
        staging = Path(tmp) / "root"
        stage(app_dir, resources, staging)
        size_kb = sum(
            p.stat().st_size for p in staging.rglob("*") if p.is_file() and not p.is_symlink()
        )
        size_kb = (size_kb + 1023) // 1024
        debian = staging / "DEBIAN"
        debian.mkdir()
        text = control(version, depends, recommends, size_kb)
        (debian / "control").write_text(text, encoding="utf-8")
        _normalise_modes(staging)
        fields = parse_control(text)
        deb = out_dir / f"{PACKAGE}_{fields['Version']}_{fields['Architecture']}.deb"
        deb.unlink(missing_ok=True)
        subprocess.run(
            ["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(staging), str(deb)],
            check=True,
            env={**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "0")},
        )
    return deb, unowned


def parse_control(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line[0].isspace() and ":" in line:
            key, value = line.split(":", 1)
            fields[key.strip()] = value.strip()
    return fields


def check_deb(
    deb: Path,
    version: str,
    check: Callable[[bool, str], bool],
    validate: Callable[[Path, Path], None],
    smoke: Callable[[Path], None],
) -> None:
    """Read the control file, unpack with `dpkg -x` into a throwaway root, check what is there.

    `validate(desktop, metainfo)` runs build.py's desktop/AppStream checks on the unpacked
    files; `smoke(app_dir)` runs the unpacked app's smoke test.
    """
    info = subprocess.run(
        ["dpkg-deb", "--field", str(deb)], capture_output=True, text=True, check=False
    )
    fields = parse_control(info.stdout)
    check(info.returncode == 0, f"dpkg-deb reads {deb.name}")
    expected = debian_version(version)
    check(fields.get("Version") == expected, f"Version: {fields.get('Version')} (want {expected})")
    check(fields.get("Package") == PACKAGE, f"Package: {fields.get('Package')}")
    depends = [d.strip() for d in fields.get("Depends", "").split(",") if d.strip()]
    check(bool(depends), f"Depends: {', '.join(depends) or 'nothing'}")
    print(f"  Recommends: {fields.get('Recommends', '-')}")
    # Names that exist: each Depends is a package this (Debian) machine knows by that name.
    unknown = [
        name
        for name in depends
        if subprocess.run(["dpkg-query", "-W", name], capture_output=True, check=False).returncode
        != 0
    ]
    check(not unknown, f"every Depends is a package installed here: unknown {unknown}")
    with tempfile.TemporaryDirectory(prefix="tracker-deb-root-") as tmp:
        root = Path(tmp)
        result = subprocess.run(
            ["dpkg", "-x", str(deb), str(root)], capture_output=True, text=True, check=False
        )
        check(result.returncode == 0, f"dpkg -x unpacks it {result.stderr.strip()}")
        app_dir = root / INSTALL_DIR
        link = root / "usr" / "bin" / PACKAGE
        target = os.readlink(link) if link.is_symlink() else None
        check(
            target == f"/{INSTALL_DIR}/{PACKAGE}" and (app_dir / PACKAGE).is_file(),
            f"/usr/bin/{PACKAGE} -> {target}",
        )
        share = root / "usr" / "share"
        sizes = sorted(p.parent.parent.name for p in share.glob("icons/hicolor/*/apps/*"))
        check(
            "16x16" in sizes and "512x512" in sizes and "scalable" in sizes,
            f"hicolor icons {sizes}",
        )
        desktop = share / "applications" / DESKTOP
        metainfo = share / "metainfo" / METAINFO
        check(desktop.is_file() and metainfo.is_file(), "desktop entry and AppStream metainfo")
        validate(desktop, metainfo)
        smoke(app_dir)
