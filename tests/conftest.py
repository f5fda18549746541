"""Shared fixtures: repository paths and the default sweep."""

import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def default_slugs():
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    return [slug for sweep in config["sweeps"] for slug in sweep["slugs"]]
