"""The Macaulay2 Jupyter kernel, registered against the pipeline's own ``M2``.

The kernel (``macaulay2-jupyter-kernel``, module ``m2_kernel``) runs ``M2`` from
``PATH`` unless the environment variable ``M2JK_CONFIG`` names an INI file whose
``[magic]`` section sets ``execpath``. :func:`install_kernel` writes such a file
naming :func:`pipeline.engines.m2.m2_binary` (the ``M2`` variable, else the
binary of ``passagemath-macaulay2``, else ``PATH``) and a kernelspec whose
``kernel.json`` sets ``M2JK_CONFIG`` to it, so notebooks compute with the same
Macaulay2 as the records they load. Both files live in the kernel directory
``<prefix>/share/jupyter/kernels/neuromanifold-m2`` (prefix: the virtualenv by
default); ``jupyter kernelspec list`` shows it.

Command line: ``neuromanifold kernel install [--prefix DIR]``.

EXAMPLES::

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as prefix:
    ...     directory = install_kernel(prefix)
    ...     spec = json.loads((directory / "kernel.json").read_text())
    ...     m2 = configured_m2(directory / CONFIG_NAME)
    >>> directory.relative_to(prefix).as_posix(), sorted(spec)
    ('share/jupyter/kernels/neuromanifold-m2', ['argv', 'display_name', 'env', 'language'])
    >>> spec["env"]["M2JK_CONFIG"] == str(directory / CONFIG_NAME), m2 == m2_binary()
    (True, True)
"""

from __future__ import annotations

import configparser
import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path

from pipeline.engines.m2 import m2_binary, m2_version
from pipeline.errors import BackendError, NeuromanifoldError

KERNEL_NAME = "neuromanifold-m2"
CONFIG_NAME = "m2jk.ini"


def kernel_directory(prefix) -> Path:
    """Where Jupyter looks for the kernel ``KERNEL_NAME`` installed under ``prefix``.

    EXAMPLES::

        >>> kernel_directory("/opt/env").as_posix()
        '/opt/env/share/jupyter/kernels/neuromanifold-m2'
    """
    return Path(prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME


def m2jk_config(m2: Path) -> str:
    """The text of an ``M2JK_CONFIG`` file that makes the kernel run ``m2``.

    The kernel starts ``<execpath> --no-readline -e ...`` through a shell-like
    split, so a path with whitespace or quotes cannot work and is refused.

    EXAMPLES::

        >>> print(m2jk_config(Path("/opt/M2/bin/M2")), end="")
        [magic]
        execpath = /opt/M2/bin/M2
        >>> m2jk_config(Path("/my files/M2"))
        Traceback (most recent call last):
        ...
        pipeline.errors.BackendError: the Macaulay2 kernel cannot start '/my files/M2': it splits the command line at whitespace and quotes; point the environment variable M2 at a path without them (a symlink will do)
    """
    text = str(m2)
    if any(ch.isspace() or ch in "'\"\\" for ch in text):
        raise BackendError(
            f"the Macaulay2 kernel cannot start {text!r}: it splits the command line at whitespace and "
            "quotes; point the environment variable M2 at a path without them (a symlink will do)"
        )
    return f"[magic]\nexecpath = {text.replace('%', '%%')}\n"


def configured_m2(config_file: Path) -> Path | None:
    """The ``execpath`` that the kernel reads from ``config_file`` (None: it would use ``PATH``).

    EXAMPLES::

        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as directory:
        ...     config = Path(directory) / CONFIG_NAME
        ...     _ = config.write_text(m2jk_config(Path("/opt/50%/M2")))
        ...     configured_m2(config).as_posix()
        '/opt/50%/M2'
    """
    parser = configparser.ConfigParser()  # as m2_kernel reads it
    parser.read(config_file)
    value = parser.get("magic", "execpath", fallback=None)
    return Path(value) if value else None


def kernel_spec(python: str, config_file: Path, m2_version: str) -> dict:
    """The ``kernel.json`` of the kernel: ``m2_kernel`` under ``python``, ``M2JK_CONFIG`` set.

    EXAMPLES::

        >>> spec = kernel_spec("/env/bin/python", Path("/k/m2jk.ini"), "1.26.06")
        >>> spec["argv"]
        ['/env/bin/python', '-m', 'm2_kernel', '-f', '{connection_file}']
        >>> spec["display_name"], spec["env"]
        ('Macaulay2 1.26.06 (neuromanifold)', {'M2JK_CONFIG': '/k/m2jk.ini'})
    """
    return {
        "argv": [python, "-m", "m2_kernel", "-f", "{connection_file}"],
        "display_name": f"Macaulay2 {m2_version} (neuromanifold)",
        "language": "Macaulay2",
        "env": {"M2JK_CONFIG": str(config_file)},
    }


def _kernel_package() -> Path:
    spec = importlib.util.find_spec("m2_kernel")
    if spec is None or spec.origin is None:
        raise BackendError(
            "the Python package m2_kernel is not installed; run 'make install' "
            "(pyproject.toml pins macaulay2-jupyter-kernel)"
        )
    return Path(spec.origin).parent


def _writable_directory(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NeuromanifoldError(f"cannot create the kernel directory {path} ({exc}); choose another --prefix") from exc
    return path


def install_kernel(prefix=None) -> Path:
    """Install the kernelspec ``KERNEL_NAME`` under ``prefix`` (default ``sys.prefix``); return its directory.

    Replaces an earlier installation of the same name. Raises :class:`BackendError`
    when ``M2`` or ``m2_kernel`` is missing, :class:`NeuromanifoldError` when
    ``prefix`` cannot hold the kernel directory.
    """
    m2 = Path(os.path.abspath(m2_binary()))  # absolute, symlinks kept: the kernel runs elsewhere
    config_text = m2jk_config(m2)
    package = _kernel_package()
    directory = _writable_directory(kernel_directory(sys.prefix if prefix is None else prefix))
    config_file = directory.resolve() / CONFIG_NAME
    config_file.write_text(config_text)
    spec = kernel_spec(sys.executable, config_file, m2_version())
    (directory / "kernel.json").write_text(json.dumps(spec, indent=1) + "\n")
    for logo in sorted((package / "images").glob("logo-*.png")):
        shutil.copyfile(logo, directory / logo.name)
    return directory
