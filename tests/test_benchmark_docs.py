"""docs/benchmarks.md and the README's benchmark headlines are generated from the committed benchmark
reports, never typed: regenerating them from benchmarks/reports/*.json gives the committed text."""

import doctest
import importlib.util

from conftest import REPO


def load_benchmark_module(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_render():
    return load_benchmark_module("render")


def test_the_benchmark_page_is_the_rendering_of_the_reports():
    render = load_render()
    assert (REPO / "docs" / "benchmarks.md").read_text() == render.render(REPO / "benchmarks" / "reports"), (
        "docs/benchmarks.md is out of date: run .venv/bin/python benchmarks/render.py")


def test_the_readme_headlines_are_the_rendering_of_the_reports():
    render = load_render()
    readme = (REPO / "README.md").read_text()
    assert readme == render.readme_with_headlines(readme, REPO / "benchmarks" / "reports"), (
        "the benchmark headlines of README.md are out of date: run .venv/bin/python benchmarks/render.py")


def test_the_renderer_examples():
    failures, tried = doctest.testmod(load_render())
    assert tried > 0 and failures == 0


def test_the_benchmark_helpers_examples():
    """The ratios and the README headline that the degree, ED degree and singular benchmarks write."""
    failures, tried = doctest.testmod(load_benchmark_module("bench_common"))
    assert tried > 0 and failures == 0
