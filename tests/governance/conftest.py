from __future__ import annotations

import pytest

from tests.governance.factories import PublishedCharterFactory


@pytest.fixture
def charter(db):
    return PublishedCharterFactory()
