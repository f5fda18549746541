"""Shared fixtures: repository paths and the default sweep."""

import os
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


#: Set to 1 to run the system tests, which install Debian packages (SLURM, munge, TeX) and
#: configure the host (/etc/slurm/slurm.conf, munge's key). .ci/run sets it; make test does not.
SYSTEM_TESTS = "NEUROMANIFOLD_SYSTEM_TESTS"


def system_tests_enabled() -> bool:
    return os.environ.get(SYSTEM_TESTS) == "1"


def skip_unless_system_tests(what: str) -> None:
    """Skip the calling test, saying how to enable it, unless the system tests are enabled."""
    if not system_tests_enabled():
        pytest.skip(f"{what} installs or configures host packages; run it (as root) with "
                    f"{SYSTEM_TESTS}=1 make test, as .ci/run does")
