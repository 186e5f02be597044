#!/bin/sh
# Prepare the machine for the dashboard's browser tests (tests/browser, marker "browser").
#
# Playwright cannot download its own browsers on an offline runner, so the tests drive
# Debian's Chromium at /usr/bin/chromium instead. This script installs it with apt-get when
# it is missing and we are root; otherwise it explains why the browser tests will be skipped.
# It also stages Solara's front-end assets (see scripts/stage_solara_assets.py), without which
# the dashboard renders a blank page offline.
#
# Usage: scripts/setup_browser_tests.sh [PYTHON]
#   PYTHON defaults to .venv/bin/python when it exists, else python3.
# Always exits 0 when the only problem is a missing browser: the tests then skip with a
# clear reason. Exits non-zero when the assets could not be staged, because that would make
# every browser test fail for a reason unrelated to the code.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
if [ $# -ge 1 ]; then
    py=$1
elif [ -x "$root/.venv/bin/python" ]; then
    py=$root/.venv/bin/python
else
    py=python3
fi
chromium=${INCLUSION_SIM_CHROMIUM:-/usr/bin/chromium}

if [ -x "$chromium" ]; then
    echo "browser tests: using $chromium ($("$chromium" --version 2>/dev/null || echo 'version unknown'))"
elif [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "browser tests: installing Chromium with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -qq && apt-get install -y -qq chromium chromium-driver; } >/dev/null; then
        echo "browser tests: SKIP - apt-get could not install chromium; browser tests will be skipped"
    fi
else
    if [ "$(id -u)" != "0" ]; then
        why="not root, cannot apt-get install chromium"
    else
        why="apt-get is not available"
    fi
    echo "browser tests: SKIP - $chromium is missing and $why;"
    echo "  install it with 'sudo apt-get install chromium chromium-driver' to run them."
fi

if ! "$py" -c "import solara" 2>/dev/null; then
    echo "browser tests: SKIP - solara is not installed in $py (install the 'test' extra)"
    exit 0
fi
exec "$py" "$here/stage_solara_assets.py"
