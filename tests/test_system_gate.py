"""Tests do not touch the host unless asked: without NEUROMANIFOLD_SYSTEM_TESTS=1 the SLURM system
test skips, and says how to enable it."""

import os
import subprocess
import sys

from conftest import REPO, SYSTEM_TESTS


def test_slurm_test_skips_with_instructions_unless_enabled():
    env = {key: value for key, value in os.environ.items() if key != SYSTEM_TESTS}
    done = subprocess.run([sys.executable, "-m", "pytest", "-rs", "-p", "no:cacheprovider", "tests/test_slurm.py"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "1 skipped" in done.stdout and "NEUROMANIFOLD_SYSTEM_TESTS=1 make test" in done.stdout, done.stdout[-2000:]
