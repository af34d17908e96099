from __future__ import annotations

from typing import Any

from django import forms

from tracker.archive.importer import ArchiveError, limits, read_archive
from tracker.forms import Form


class ArchiveUploadForm(Form):
    archive = forms.FileField(
        label="Archive (.zip)", help_text="A Paperstreak archive, up to 20 MB."
    )

    def clean_archive(self) -> dict[str, Any]:
        upload = self.cleaned_data["archive"]
        if upload.size > limits().upload_bytes:
            raise forms.ValidationError(
                f"The file is {upload.size / 1048576:.1f} MB; archives up to "
                f"{limits().upload_bytes / 1048576:g} MB are accepted."
            )
        try:
            return read_archive(upload.read())
        except ArchiveError as exc:
            raise forms.ValidationError(str(exc)) from exc
