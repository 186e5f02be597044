"""The ``inclusion-sim dashboard`` command: serve the Solara app on this computer only.

The command runs ``solara run`` on the app file in a child process rather than importing the
server, because Solara's server wants to own the process (signals, reloading, its own event
loop). It binds to 127.0.0.1 by default: the dashboard holds a school's data and has no login,
so it must not be reachable from the network unless someone deliberately says so.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

#: The Solara app the command serves, by module name so that it is found wherever the package
#: is installed.
APP_MODULE = "inclusion_sim.faces.dashboard.app"
DEFAULT_PORT = 8765
DEFAULT_HOST = "127.0.0.1"


def server_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for the Solara server.

    Solara's usage telemetry is switched off: a school's dashboard must not report anything to
    a third party, and on an offline network the attempt would only slow start-up. Solara's
    "This website runs on Solara" banner is switched off too: it is fixed to the bottom corner
    of the window and covers the last card or button of every page on a tablet.
    """
    env = dict(os.environ if base is None else base)
    env.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    env.setdefault("SOLARA_THEME_SHOW_BANNER", "False")
    return env


def build_command(port: int = DEFAULT_PORT, host: str = DEFAULT_HOST) -> list[str]:
    """The ``solara run`` command line that serves the dashboard.

    Shared with the browser tests so that they start the server exactly as users do.
    """
    return [
        sys.executable, "-m", "solara", "run", APP_MODULE,
        "--host", host, "--port", str(port), "--production", "--no-open",
    ]  # fmt: skip


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, found '{text}'") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port in 1-65535, found {value}")
    return value


def run_dashboard(args: argparse.Namespace) -> int:
    """Serve the dashboard until interrupted; return the server's exit code."""
    try:
        import solara  # noqa: F401 - only checking that the optional extra is installed
    except ImportError:
        print(
            "The dashboard needs Solara: pip install 'inclusion-sim[dashboard]'", file=sys.stderr
        )
        return 2
    command = build_command(args.port, args.host)
    print(f"Serving the dashboard at http://{args.host}:{args.port}/ (Ctrl+C to stop)")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"Warning: listening on {args.host}, reachable from the network.", file=sys.stderr)
    proc = subprocess.Popen(command, env=server_environment())
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        return 0


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``dashboard`` subcommand to the main command's subparsers."""
    parser = subparsers.add_parser(
        "dashboard",
        help="open the dashboard for school administrators in a browser",
        description="Serve the inclusion_sim dashboard on this computer (127.0.0.1).",
    )
    parser.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help="address to listen on (default 127.0.0.1, this computer only)",
    )
    parser.set_defaults(func=run_dashboard)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the dashboard command on its own (``python -m inclusion_sim.dashboard.cli``)."""
    parser = argparse.ArgumentParser(prog="inclusion-sim")
    sub = parser.add_subparsers(dest="command", required=True)
    add_parser(sub)
    args = parser.parse_args(["dashboard", *(sys.argv[1:] if argv is None else argv)])
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
