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
    preset = forms.ChoiceField()
    uploads = MultipleFileField(
        label="Files", help_text="CSV, gzipped CSV or XLSX; several files at once."
    )
    dry_run = forms.BooleanField(
        required=False, label="Dry run: count what would change, save nothing"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from accountable.exchange.models import ImportMapping

        choices = [(p.name, p.label) for p in PRESETS.values()]
        choices += [(m.name, f"{m.name} (saved mapping)") for m in ImportMapping.objects.all()]
        self.fields["preset"].choices = choices  # type: ignore[attr-defined]


class MappingStartForm(forms.Form):
    name = forms.SlugField(
        max_length=60, help_text="Letters, digits and hyphens, e.g. sap-invoices"
    )
    target = forms.ChoiceField(choices=[("sales-lines", "Sales lines"), ("accounts", "Accounts")])
    source = forms.SlugField(max_length=40, help_text="The system the ids come from, e.g. erp")
    currency = forms.CharField(max_length=3, initial="EUR", help_text="When the file has none")
    sample = forms.FileField(help_text="A CSV or XLSX file like the ones you will import.")


class MappingColumnsForm(forms.Form):
    """One select per field of the target: which column of the file holds it."""

    def __init__(self, *args: Any, target: str, header: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from accountable.exchange.presets.mapping import FIELDS

        choices = [("", "—"), *[(c, c) for c in header]]
        lowered = {c.lower().replace(" ", "").replace("_", ""): c for c in header}
        for name, label, needed in FIELDS[target]:
            guess = lowered.get(name.replace("_", ""), "")
            self.fields[f"col_{name}"] = forms.ChoiceField(
                label=f"{label}{' *' if needed else ''}",
                choices=choices,
                required=False,
                initial=guess,
            )
