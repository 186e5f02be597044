#!/bin/sh
# Print the path of a working Python interpreter of the given version (e.g. 3.12), or nothing.
# Looks on PATH first, then in pyenv's version folders (pyenv shims answer even when the
# version is not selected, so each candidate is actually run).
version=$1
for candidate in "python$version" "$HOME/.pyenv/versions/$version"*/bin/"python$version" \
                 "${PYENV_ROOT:-/nonexistent}/versions/$version"*/bin/"python$version" \
                 /usr/bin/"python$version" /usr/local/bin/"python$version"; do
    if "$candidate" -c "import sys; sys.exit(0 if sys.version.startswith('$version') else 1)" \
        >/dev/null 2>&1; then
        command -v "$candidate" 2>/dev/null || echo "$candidate"
        exit 0
    fi
done
exit 0
