from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.papers.factories import PaperFactory
from tracker.papers.models import Paper

BIB = Path(__file__).parent / "bib"


def run(*args):
    out = StringIO()
    call_command("import_bibtex", *args, stdout=out)
    return out.getvalue()


def test_imports_and_prints_counts(user):
    PaperFactory(owner=user, arxiv_id="1706.03762")
    out = run(str(BIB / "zotero_bbt.bib"), "--user", "ADA@example.com")
    assert "created 1, duplicate 1, rejected 1" in out
    assert "notitle2020" in out
    assert Paper.objects.filter(owner=user).count() == 2


def test_dry_run_changes_nothing(user):
    out = run(str(BIB / "mendeley.bib"), "--user", user.email, "--dry-run")
    assert "Dry run" in out
    assert "created 2, duplicate 0, rejected 0" in out
    assert not Paper.objects.exists()


def test_unknown_user_and_missing_file_are_errors(user, tmp_path):
    with pytest.raises(CommandError, match="No user"):
        run(str(BIB / "mendeley.bib"), "--user", "nobody@example.com")
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "missing.bib"), "--user", user.email)


def test_oversized_file_is_refused(user, tmp_path):
    big = tmp_path / "big.bib"
    big.write_bytes(b"%" * (5 * 1024 * 1024 + 1))
    with pytest.raises(CommandError, match="5 MB"):
        run(str(big), "--user", user.email)


@pytest.mark.django_db(transaction=True)
def test_import_invalidates_per_user_caches(user):
    from accounts.activity import data_version

    before = data_version(user.pk)
    run(str(BIB / "mendeley.bib"), "--user", user.email)
    assert data_version(user.pk) != before
