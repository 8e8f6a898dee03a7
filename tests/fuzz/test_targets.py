"""The fuzz targets of fuzz/targets.py, driven by hypothesis (no atheris needed).

The same targets run coverage-guided under atheris: tests/fuzz/test_atheris_brief.py
briefly, ``python fuzz/run.py --seconds N`` at length.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz.targets import TARGETS
from tests.fuzz._driver import EXAMPLES


@pytest.mark.timeout(max(120, EXAMPLES))
@pytest.mark.parametrize("name", sorted(TARGETS))
def test_target(name: str) -> None:
    target = TARGETS[name]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.binary(max_size=600))
    def run(data: bytes) -> None:
        target(data)

    run()
