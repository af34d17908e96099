from collections.abc import Iterator

import pytest

from tests.papers.factories import PaperFactory
from tests.papers.fake_apis import FakeApis


@pytest.fixture
def fake_apis(settings) -> Iterator[FakeApis]:
    """The recorded arXiv/Crossref answers on a local server, wired in through settings."""
    apis = FakeApis().start()
    settings.PAPERS_ARXIV_API = apis.arxiv_api
    settings.PAPERS_CROSSREF_API = apis.crossref_api
    settings.PAPERS_LOOKUP_TIMEOUT = 0.5
    yield apis
    apis.stop()


@pytest.fixture
def paper(user):
    return PaperFactory(owner=user, title="Attention Is All You Need", arxiv_id="1706.03762")


@pytest.fixture
def others_paper(other_user):
    return PaperFactory(owner=other_user, title="Mallory's secret paper")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Users are created in most tests here; the production hasher costs ~0.3 s each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
