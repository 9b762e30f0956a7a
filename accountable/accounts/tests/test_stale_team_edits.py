"""A team member's place and RACI saved from a form opened before someone else's change are
refused with a clear message, keep the user's input, and save when submitted again."""

from django.urls import reverse

from accountable.accounts import services
from accountable.accounts.models import TeamMember


def _member(programme) -> TeamMember:
    return TeamMember.objects.get(account=programme.account, user=programme.member)


def _edit_data(member: TeamMember, **changes) -> dict:
    data = {
        "position": member.position_id,
        "kind": member.kind,
        "allocation_pct": member.allocation_pct,
        "responsibilities": member.responsibilities,
        "base": services.team_member_edit_key(member),
    }
    data.update(changes)
    return data


def test_a_stale_team_edit_is_refused_naming_what_is_saved_and_keeps_the_input(
    login, programme, snapshot
):
    # given the KAM opened the form, then the director changed the allocation
    member = _member(programme)
    stale = _edit_data(member, responsibilities="Samples and quotes")
    services.team_member_update(member=member, actor=programme.director, allocation_pct=45)
    before = snapshot()
    url = reverse("accounts:team_edit", args=[programme.account.pk, member.pk])

    # when
    response = login(programme.kam).post(url, stale)

    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        "Mia Member&#x27;s place on the team was changed by someone else while you were editing "
        "(now: 45 %, direct account team, responsibilities: none)." in body
    )
    assert "Samples and quotes</textarea>" in body
    assert snapshot() == before


def test_a_refused_team_edit_saves_when_submitted_again(login, programme):
    # given
    member = _member(programme)
    stale = _edit_data(member, responsibilities="Samples")
    services.team_member_update(member=member, actor=programme.director, allocation_pct=45)
    url = reverse("accounts:team_edit", args=[programme.account.pk, member.pk])
    client = login(programme.kam)
    client.post(url, stale)

    # when: the form as shown again (its key moved to the current state)
    again = {**stale, "base": services.team_member_edit_key(_member(programme))}
    response = client.post(url, again)

    # then: a deliberate save of what the form holds
    assert response.status_code == 302
    saved = _member(programme)
    assert (saved.allocation_pct, saved.responsibilities) == (20, "Samples")


def test_a_stale_raci_save_is_refused(login, programme, snapshot):
    # given
    member = _member(programme)
    base = services.raci_edit_key(member)
    services.responsibilities_set(member=member, actor=programme.director, roles={"pricing": "C"})
    before = snapshot()
    url = reverse("accounts:team_raci", args=[programme.account.pk, member.pk])

    # when
    response = login(programme.kam).post(url, {"raci-strategy": "R", "raci-base": base})

    # then
    body = response.content.decode()
    assert "roles were changed by someone else while you were editing (now: Pricing C)." in body
    assert snapshot() == before


def test_a_form_without_a_key_still_saves_as_before(login, programme):
    # Old pages in open tabs after an upgrade post no key: saved, as before this change.
    member = _member(programme)
    data = _edit_data(member, allocation_pct=25)
    del data["base"]
    url = reverse("accounts:team_edit", args=[programme.account.pk, member.pk])

    response = login(programme.kam).post(url, data)

    assert response.status_code == 302
    assert _member(programme).allocation_pct == 25
