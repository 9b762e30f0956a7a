import datetime as dt

from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from accountable.relationships import services
from accountable.relationships.models import RelationshipStrength
from accountable.relationships.services.strength import strength_recompute_account
from accountable.relationships.strength import Contact, Weights, decay, strength_of

TODAY = dt.date(2026, 6, 1)
W = Weights()


def score(contacts, their=3, ours=3, weights=W):
    return strength_of(
        contacts, today=TODAY, their_seniority=their, our_seniority=ours, weights=weights
    )


def ago(days, kind="meeting", theirs=False):
    return Contact(on=TODAY - dt.timedelta(days=days), kind=kind, theirs=theirs)


def test_no_interactions_score_zero():
    assert score([]).score == 0


def test_an_interaction_one_half_life_ago_counts_half():
    assert decay(90, 90) == 0.5
    assert score([ago(90)]).recency == 0.5


def test_a_meeting_is_deeper_than_a_call_deeper_than_an_email():
    meeting, call, email = (score([ago(3, k)]).score for k in ("meeting", "call", "email"))
    assert meeting > call > email


def test_contact_they_start_too_is_stronger_than_contact_we_always_chase():
    ours_only = [ago(d) for d in (5, 20, 40)]
    both = [ago(5), ago(20, theirs=True), ago(40)]
    assert score(both).score > score(ours_only).score


def test_meeting_at_their_level_is_stronger():
    contacts = [ago(5)]
    assert score(contacts, their=5, ours=5).score > score(contacts, their=5, ours=2).score


def test_exact_figure_of_the_documented_formula():
    # one meeting today, we initiated, same seniority:
    # recency 1, frequency 1/6, two-way 0, depth 0.9, seniority 1
    # (30*1 + 25/6 + 15*0 + 20*0.9 + 10*1) / 100 = 0.6217 -> 62
    assert score([ago(0)]).score == 62


@given(
    st.lists(
        st.tuples(
            st.integers(0, 2000),
            st.sampled_from(["meeting", "call", "email", "visit", "business_review"]),
            st.booleans(),
        ),
        max_size=30,
    ),
    st.integers(1, 5),
    st.integers(1, 5),
)
def test_strength_is_always_between_0_and_100(rows, their, ours):
    result = score([ago(d, k, t) for d, k, t in rows], their=their, ours=ours)
    assert 0 <= result.score <= 100


@given(st.integers(0, 1000), st.integers(1, 1000))
def test_strength_decays_as_time_passes_without_contact(days, later):
    contacts = [ago(days)]
    sooner = score(contacts).score
    after = strength_of(
        contacts,
        today=TODAY + dt.timedelta(days=later),
        their_seniority=3,
        our_seniority=3,
        weights=W,
    ).score
    assert after <= sooner


def _log(programme, org, days_ago, who, kind="meeting"):
    return services.interaction_log(
        account=programme.account,
        actor=programme.kam,
        kind=kind,
        summary="Talked",
        participants=who,
        stakeholders=[org.cfo],
        occurred_on=dt.date.today() - dt.timedelta(days=days_ago),
    )


def test_recomputing_scores_each_pair_and_is_idempotent(programme, org):
    # given
    _log(programme, org, 3, [programme.kam, programme.member])
    _log(programme, org, 200, [programme.member], kind="email")

    # when
    first = strength_recompute_account(account_id=programme.account.pk)
    rows1 = sorted(RelationshipStrength.objects.values_list("user_id", "score", "interactions"))
    second = strength_recompute_account(account_id=programme.account.pk)
    rows2 = sorted(RelationshipStrength.objects.values_list("user_id", "score", "interactions"))

    # then
    assert first == second == 2
    assert rows1 == rows2
    by_user = {u: (s, n) for u, s, n in rows1}
    assert by_user[programme.member.pk][1] == 2
    assert by_user[programme.kam.pk][1] == 1


def test_logging_an_interaction_recomputes_on_commit(
    programme, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _log(programme, org, 1, [programme.kam])
    assert RelationshipStrength.objects.filter(stakeholder=org.cfo, user=programme.kam).exists()


def test_the_strength_command_reports_progress(programme, org, capsys):
    _log(programme, org, 1, [programme.kam])
    call_command("strength")
    out = capsys.readouterr().out
    assert "Relationship strength" in out
    assert "Scored 1 relationships" in out
