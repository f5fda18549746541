"""Network files: a YAML list of layers, for architectures no family slug covers.

Format (validated by :func:`network_schema`, built from the registered layer kinds' own schemas)::

    input: 3          # width of the input
    tokens: 1         # columns of the input (attention); default 1
    layers:
      - dense: 2                         # or {width: 2, bias: true}
      - activation: [0, 0, 1]            # c0, c1, ..., cr of sigma
      - dense: 1
      # also: conv: {filter: 3, stride: 1}, gconv: {}, attention: {dim: 1, keys: 2, heads: 2},
      #       residual: {hidden: 2, activation: [0, 0, 1]}

A file names its architecture by a stable slug: its family's when the layer list is a family's
shorthand (``mlp_w3-2-1_r2``), else the ``net_`` slug that spells the layer list out. Records
and tables use that slug; the file is read once, when the command or the sweep starts.

EXAMPLES::

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "net.yaml"
    >>> _ = path.write_text("input: 3\\nlayers:\\n  - dense: 2\\n  - activation: [0, 1, 1]\\n  - dense: 1\\n")
    >>> slug_of_file(path)
    'mlp_w3-2-1_p0-1-1'
    >>> _ = path.write_text("input: 3\\nlayers:\\n  - dense: 0\\n")
    >>> slug_of_file(path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pipeline.errors.NetworkFileError: network file .../net.yaml: layers[1].dense: 0 is less than the minimum of 1; ...
"""

from __future__ import annotations

from pathlib import Path

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from pipeline.architectures import canonical_architecture
from pipeline.errors import NetworkFileError, SlugError
from pipeline.layers import LAYER_KINDS, layer_from_yaml
from pipeline.spec import Network, check_architecture


def network_schema() -> dict:
    """The JSON schema of a network file, from the layer kinds registered now (``LAYER_KINDS``)."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["input", "layers"],
        "properties": {
            "input": {"type": "integer", "minimum": 1, "description": "width of the input"},
            "tokens": {"type": "integer", "minimum": 1, "description": "columns of the input (attention); default 1"},
            "description": {"type": "string"},
            "layers": {
                "type": "array", "minItems": 1,
                "items": {"type": "object", "minProperties": 1, "maxProperties": 1,
                          "propertyNames": {"enum": list(LAYER_KINDS)},
                          "properties": {key: kind.json_schema for key, kind in LAYER_KINDS.items()}},
            },
        },
    }


#: Suffixes that mark a command-line or configuration entry as a network file.
SUFFIXES = (".yaml", ".yml")


def is_network_file(text: str) -> bool:
    return str(text).lower().endswith(SUFFIXES)


def _where(error) -> str:
    where = ""
    for part in error.absolute_path:
        where += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if where else part)
    return where or "the file"


def read_network(path) -> Network:
    """The layer list of a network file; raise :class:`NetworkFileError` with one line saying what to fix."""
    path = Path(path)
    name = f"network file {path}"
    try:
        text = path.read_text()
    except OSError as exc:
        raise NetworkFileError(f"{name}: cannot read it ({exc.strerror}); give the path of a YAML network file") from None
    try:
        data = yaml.safe_load(text)  # safe: no YAML tag constructs an object or runs code
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        tag = (exc.problem or "").removeprefix("could not determine a constructor for the tag ")
        tag = tag.replace("tag:yaml.org,2002:", "!!")
        raise NetworkFileError(f"{name}: the YAML tag {tag} at line {mark.line + 1} is not allowed (network files "
                               "are plain YAML: numbers, lists, mappings; no tag constructs objects); remove it, "
                               "the format is in docs/networks.md") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark else ""
        raise NetworkFileError(f"{name}: not valid YAML{line}; the format is in docs/networks.md") from None
    error = best_match(Draft202012Validator(network_schema()).iter_errors(data))
    if error is not None:
        raise NetworkFileError(f"{name}: {_where(error)}: {error.message}; the format is in docs/networks.md")
    try:
        layers = tuple(layer_from_yaml(entry, f"layer {k}") for k, entry in enumerate(data["layers"], start=1))
        net = Network(data["input"], layers, data.get("tokens", 1))
        check_architecture(net, name)
    except SlugError as exc:
        message = str(exc).removeprefix(f"slug {name!r}: ")
        raise NetworkFileError(f"{name}: {message}") from None
    return net


def slug_of_file(path) -> str:
    """The stable slug that names the architecture of a network file (module docstring)."""
    return canonical_architecture(read_network(path)).slug
