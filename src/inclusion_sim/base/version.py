"""The package version, in one place (the root package and run metadata read it)."""

__version__ = "0.3.0.dev0"
