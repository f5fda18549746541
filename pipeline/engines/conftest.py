"""The doctests of :mod:`pipeline.engines.phc` that run ``phc``, which is optional, are skipped when it is missing."""

import pytest

#: The doctests that run PHCpack's ``phc``.
NEED_PHC = {"pipeline.engines.phc", "pipeline.engines.phc.phc_binary", "pipeline.engines.phc.phc_version",
            "pipeline.engines.phc.track_parameter_homotopy"}


@pytest.fixture(autouse=True)
def _skip_phc_doctests_without_phc(request):
    if request.node.name in NEED_PHC:
        from pipeline.engines.phc import phc_binary
        from pipeline.errors import BackendError

        try:
            phc_binary()
        except BackendError as exc:
            pytest.skip(str(exc))
