"""The fuzz suite always runs (a CI-sized sample); ``benchmarks/fuzz.py`` runs the long one."""

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fuzz: throws malformed files at the upload and render paths")
