"""Issue 11.4: the raw INSERT/COPY import writes every column of Paper, and knows each one."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from tracker.papers import bibtex, imports, services
from tracker.papers.models import Paper

ENTRY = b"""@article{k, title = {Raw and ORM}, author = {Ada Lovelace and Alan Turing},
  year = 1950, journal = {Mind}, doi = {10.1093/mind/lix.236.433},
  abstract = {Can machines think?}, url = {https://example.org/turing}}"""


def test_the_import_knows_every_concrete_field_of_paper():
    """Fails when a field is added to Paper: add it to IMPORT_WRITES and give it a value."""
    assert {f.name for f in Paper._meta.concrete_fields} == imports.IMPORT_HANDLED


def test_the_column_list_is_the_model_fields_minus_the_pk():
    fields = [f.name for f in Paper._meta.concrete_fields if not f.primary_key]
    assert list(imports.import_columns()) == fields


def test_a_field_the_import_does_not_know_stops_the_import(monkeypatch):
    monkeypatch.setattr(imports, "IMPORT_HANDLED", imports.IMPORT_HANDLED - {"notes"})
    with pytest.raises(ImproperlyConfigured, match="notes"):
        imports.import_columns()


def test_an_imported_row_holds_what_the_orm_would_store(user):
    [entry] = bibtex.parse_bibtex(ENTRY)
    imports.apply_import(user, imports.plan_import(user, [entry]))
    raw = Paper.objects.get()
    assert entry.paper is not None
    orm = services.add_paper(user, {**entry.paper, "doi": "other"})
    skip = {"id", "doi", "queue_position", "created_at", "updated_at"}
    columns = [c for c in imports.import_columns() if c not in skip]
    assert [getattr(raw, c) for c in columns] == [getattr(orm, c) for c in columns]
    assert raw.created_at == raw.updated_at
    assert raw.queue_position < orm.queue_position
