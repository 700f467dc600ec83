"""Suite-wide test setup: German and English both exercised; no network."""

import pytest


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """Tests run in English unless they switch; pages pick the language from the request."""
    settings.LANGUAGE_CODE = "en"
