"""The history feed's change list: readable labels, cut long values, escaped text."""

from types import SimpleNamespace

from accountable.core.forms import FastSelect
from accountable.core.templatetags.ui import event_changes


def _event(changes: dict, object_type: str = "accounts.account") -> SimpleNamespace:
    return SimpleNamespace(object_type=object_type, changes=changes)


def test_an_update_shows_the_field_label_before_and_after():
    html = event_changes(_event({"programme_status": ["candidate", "pilot"]}))
    assert (
        '<li><span class="fw-semibold">Programme status</span>: '
        '<span class="change-before">candidate</span> → '
        '<span class="change-after">pilot</span></li>'
    ) in html


def test_an_emptied_field_says_so_and_a_new_value_has_no_arrow():
    html = event_changes(
        _event({"website": ["https://a.example", None], "industry": [None, "Oil"]})
    )
    assert (
        '<span class="change-before">https://a.example</span> → '
        '<span class="text-muted">(empty)</span>' in html
    )
    assert (
        '<span class="fw-semibold">Industry</span>: <span class="change-after">Oil</span>' in html
    )


def test_long_values_are_cut_at_80_characters():
    html = event_changes(_event({"history": [None, "x" * 200]}))
    assert "x" * 79 + "…" in html
    assert "x" * 80 not in html


def test_stored_markup_is_escaped():
    html = event_changes(_event({"name": ["<script>alert(1)</script>", "A & B"]}))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "A &amp; B" in html


def test_a_field_that_no_longer_exists_shows_its_raw_name():
    html = event_changes(_event({"old_field": [1, 2]}))
    assert '<span class="fw-semibold">Old field</span>' in html


def test_fast_select_renders_like_a_select_and_escapes_labels():
    widget = FastSelect(
        attrs={"class": "form-select"}, choices=[("", "—"), (1, "Ann <b>"), (2, "Bo")]
    )
    html = widget.render("user", 2, attrs={"id": "id_user"})
    assert html.startswith('<select class="form-select" id="id_user" name="user">')
    assert '<option value="1">Ann &lt;b&gt;</option>' in html
    assert '<option value="2" selected>Bo</option>' in html
