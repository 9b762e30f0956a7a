from __future__ import annotations

from typing import Any

from django import forms

from accountable.exchange.presets import PRESETS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class ImportUploadForm(forms.Form):
    preset = forms.ChoiceField(choices=[(p.name, p.label) for p in PRESETS.values()])
    uploads = MultipleFileField(
        label="Files", help_text="CSV, gzipped CSV or XLSX; several files at once."
    )
    dry_run = forms.BooleanField(
        required=False, label="Dry run: count what would change, save nothing"
    )
