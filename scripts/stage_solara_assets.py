#!/usr/bin/env python3
"""Stage the front-end packages Solara loads from a CDN, so the dashboard works offline.

Solara's server does not bundle its JavaScript and CSS: the page asks the server's asset
proxy (``/_solara/cdn/<package>@<version>/...``), which reads a local cache directory and
only goes to the public CDN when a file is missing. A school network without internet access
(or a locked-down CI runner) therefore shows a blank page unless that cache is filled first.

This script finds which packages the *installed* Solara asks for by scanning its own source
for ``<package>@<exact version>/`` references (so a Solara upgrade is picked up without editing
this file), downloads each once with ``npm pack`` from the npm registry, and unpacks it where
Solara's proxy looks: ``solara.server.settings.assets.proxy_cache_dir``, which is
``<prefix>/share/solara/cdn`` unless ``SOLARA_ASSETS_PROXY_CACHE_DIR`` says otherwise.

It is idempotent: a package already unpacked (marked by a ``.staged`` file) is skipped, so a
second run takes about a second. Run it with the Python that runs the dashboard::

    python scripts/stage_solara_assets.py            # stage into Solara's cache directory
    python scripts/stage_solara_assets.py --list     # only print what would be staged
    python scripts/stage_solara_assets.py --dest DIR # stage somewhere else

Exit status: 0 when everything is staged, 1 when a package could not be fetched, 2 when
Solara is not installed or ``npm`` is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

#: An exact npm reference as Solara writes it in a CDN url: ``/name@1.2.3/`` or
#: ``/@scope/name@1.2.3-alpha.2/``. Ranges (``@^1``) are deliberately not matched: the proxy can
#: only serve what was pinned.
_SPEC = re.compile(
    r"/(?P<name>(?:@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*)"
    r"@(?P<version>\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)/"
)

#: Source files whose CDN references are never served by the dashboard: Solara's own
#: documentation website and a legacy template nothing renders.
_SKIP_PARTS = {"website"}
_SKIP_FILES = {"plain.html"}
_SCANNED_SUFFIXES = {".py", ".vue", ".j2", ".html", ".js"}

_MARKER = ".staged"


def find_specs(solara_dir: Path) -> list[str]:
    """Return the ``name@version`` packages the installed Solara references, sorted.

    Args:
        solara_dir: The installed ``solara`` package directory.

    Returns:
        Unique npm specs such as ``requirejs@2.3.6``.
    """
    specs: set[str] = set()
    for path in solara_dir.rglob("*"):
        if path.suffix not in _SCANNED_SUFFIXES or not path.is_file():
            continue
        rel = path.relative_to(solara_dir)
        if _SKIP_PARTS.intersection(rel.parts) or path.name in _SKIP_FILES:
            continue
        if "node_modules" in rel.parts or path.name.endswith(".min.js"):
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        for match in _SPEC.finditer(text):
            specs.add(f"{match['name']}@{match['version']}")
    # "/@scope/name@1.0.0/" also matches as "/name@1.0.0/"; keep only the scoped package.
    scoped_tails = {s.split("/", 1)[1] for s in specs if s.startswith("@")}
    return sorted(s for s in specs if s.startswith("@") or s not in scoped_tails)


def default_dest() -> Path:
    """Ask Solara where its asset proxy reads from, so both always agree."""
    from solara.server import settings  # imported late: it creates Solara's home folder

    return Path(settings.assets.proxy_cache_dir)


def _is_staged(dest: Path, spec: str) -> bool:
    marker = dest / spec / _MARKER
    return marker.is_file() and marker.read_text(encoding="utf-8").strip() == spec


def _write_main(folder: Path) -> None:
    """Write ``__main.js``, the file the proxy serves for a bare ``name@version`` url.

    A CDN answers a url without a file path with the package's browser entry point; Solara's
    proxy stores that answer as ``__main.js``. Copying the entry point here makes such urls work
    offline too.
    """
    try:
        meta = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    for key in ("jsdelivr", "unpkg", "browser", "main"):
        entry = meta.get(key)
        if isinstance(entry, str) and (folder / entry).is_file():
            shutil.copyfile(folder / entry, folder / "__main.js")
            return


def _unpack(tarball: Path, target: Path, spec: str) -> None:
    """Unpack an ``npm pack`` tarball (whose files sit under ``package/``) into ``target``."""
    staging = Path(tempfile.mkdtemp(prefix=".unpack-", dir=target.parent))
    try:
        with tarfile.open(tarball) as tar:
            tar.extractall(staging, filter="data")
        roots = [p for p in staging.iterdir() if p.is_dir()]
        root = staging / "package" if (staging / "package").is_dir() else roots[0]
        _write_main(root)
        (root / _MARKER).write_text(spec + "\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        root.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _npm_reason(proc: subprocess.CompletedProcess[str]) -> str:
    """Pull the one-line reason out of npm's (JSON or plain) error output."""
    for text in (proc.stdout, proc.stderr):
        try:
            error = json.loads(text).get("error", {})
            return str(error.get("summary") or error.get("code") or error)
        except (ValueError, AttributeError):
            continue
    lines = [ln for ln in (proc.stderr + proc.stdout).splitlines() if ln.strip()]
    return lines[-1] if lines else f"npm exited with {proc.returncode}"


def stage(specs: list[str], dest: Path, npm: str = "npm") -> list[str]:
    """Download and unpack every spec not yet staged in ``dest``.

    Args:
        specs: npm specs (``name@version``).
        dest: Solara's asset cache directory.
        npm: The npm executable.

    Returns:
        The specs that could not be staged (empty on success).
    """
    missing = [s for s in specs if not _is_staged(dest, s)]
    for spec in specs:
        if spec not in missing:
            print(f"  ok      {spec}")
    if not missing:
        return []
    dest.mkdir(parents=True, exist_ok=True)
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="solara-pack-") as tmp:
        for spec in missing:
            # One package per call: a single unavailable package must not hide the others.
            proc = subprocess.run(
                [npm, "pack", spec, "--json", "--silent", "--pack-destination", tmp],
                capture_output=True,
                text=True,
                check=False,
            )
            try:
                filename = json.loads(proc.stdout)[0]["filename"]
            except (ValueError, LookupError, TypeError):
                filename = None
            if proc.returncode != 0 or not filename or not (Path(tmp) / filename).is_file():
                print(f"  FAILED  {spec}: {_npm_reason(proc)}", file=sys.stderr)
                failed.append(spec)
                continue
            target = dest / spec
            target.parent.mkdir(parents=True, exist_ok=True)
            _unpack(Path(tmp) / filename, target, spec)
            print(f"  staged  {spec}")
    return failed


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, help="cache directory (default: Solara's own)")
    parser.add_argument("--list", action="store_true", help="print the packages and stop")
    parser.add_argument("--npm", default=os.environ.get("NPM", "npm"), help="npm executable")
    args = parser.parse_args(argv)

    try:
        import solara
    except ImportError:
        print(
            "solara is not installed in this Python; install the 'dashboard' extra first.",
            file=sys.stderr,
        )
        return 2
    specs = find_specs(Path(solara.__file__).parent)
    if args.list:
        print("\n".join(specs))
        return 0
    dest = args.dest if args.dest else default_dest()
    print(f"Solara {solara.__version__}: staging {len(specs)} front-end packages in {dest}")
    if not all(_is_staged(dest, s) for s in specs) and shutil.which(args.npm) is None:
        print(
            f"'{args.npm}' was not found; install Node.js/npm to stage the assets.", file=sys.stderr
        )
        return 2
    failed = stage(specs, dest, args.npm)
    if failed:
        print(f"Could not stage: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
