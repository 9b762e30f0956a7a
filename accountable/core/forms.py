"""What every page form shares: Bootstrap classes, and a service's refusal shown as form errors."""

from typing import Any

from django import forms
from django.db import models
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accountable.core.errors import DomainError, ValidationFailed


class FastSelect(forms.Select):
    """A single select rendered in Python rather than one template per option.

    Django renders every <option> through its own template: ~0.2 ms each, so a choice among
    a company's 500 people costs ~100 ms. The markup is the same as Django's.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        selected = {str(v) for v in self.format_value(value)}
        parts = [f"<select{flatatt(final)}>"]
        for option_value, label in self.choices:
            key = "" if option_value is None else str(option_value)
            mark = " selected" if key in selected else ""
            parts.append(f'<option value="{escape(key)}"{mark}>{escape(label)}</option>')
        parts.append("</select>")
        return mark_safe("".join(parts))  # every value above is escaped


class LookupInput(forms.NumberInput):
    """A choice among many rows (100,000 accounts, a company's people): the row's number, with
    a search-as-you-type box beside it whose results fill the number in on a click. Without
    JavaScript the number can still be typed. `lookup_url_name` names a view that takes `q`
    and `for` (the field's id) and answers with `core/partials/lookup_results.html`."""

    template_name = "core/widgets/lookup.html"

    def __init__(
        self,
        *,
        lookup_url_name: str,
        model: type[models.Model],
        placeholder: str = "Search by name…",
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.lookup_url_name = lookup_url_name
        self.model = model
        self.placeholder = placeholder

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["lookup_url"] = reverse(self.lookup_url_name)
        context["placeholder"] = self.placeholder
        chosen = None
        if value not in (None, "") and str(value).isdigit():
            chosen = self.model._default_manager.filter(pk=int(value)).first()
        context["chosen_name"] = str(chosen) if chosen is not None else None
        return context


class StyledForm(forms.Form):
    """A form whose widgets carry Bootstrap's classes, so templates render fields uniformly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
            if isinstance(widget, forms.Textarea) and str(widget.attrs.get("rows")) == "10":
                widget.attrs["rows"] = 3  # Django's default of 10 rows swamps a dense page

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            _mark_invalid(self, name)


def _mark_invalid(form: forms.Form, name: str | None) -> None:
    if name is None or name not in form.fields:
        return
    widget = form.fields[name].widget
    css = widget.attrs.get("class", "")
    if "is-invalid" not in css.split():
        widget.attrs["class"] = (css + " is-invalid").strip()


def form_add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the form, next to the field it names when the form has it.

    The form stays bound, so the user's input is shown again untouched.
    """
    per_field = error.errors if isinstance(error, ValidationFailed) and error.errors else {}
    placed = False
    for name, messages in per_field.items():
        if name in form.fields:
            for message in messages:
                form.add_error(name, message)
            _mark_invalid(form, name)
            placed = True
    if placed:
        return
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
    _mark_invalid(form, field)
