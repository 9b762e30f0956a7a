import datetime as dt
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountable.relationships import services
from accountable.relationships.services.strength import strength_recompute_account


def test_the_map_page_gives_the_org_chart_grid_and_gaps(programme, org, login):
    # given
    services.influence_add(source=org.engineer, target=org.cfo, actor=programme.kam)
    services.relationship_owner_set(
        stakeholder=org.cfo, user=programme.kam, actor=programme.kam, is_primary=True
    )
    services.interaction_log(
        account=programme.account,
        actor=programme.member,
        kind="meeting",
        summary="Review",
        participants=[programme.member],
        stakeholders=[org.ceo],
        occurred_on=dt.date.today(),
    )
    strength_recompute_account(account_id=programme.account.pk)

    # when
    response = login(programme.member).get(f"/accounts/{programme.account.pk}/relationship-map/")

    # then
    html = response.content.decode()
    start = html.index(">", html.index('id="org-chart-data"')) + 1
    data = json.loads(html[start : html.index("</script>", start)])
    parents = {n["name"]: n["parent"] for n in data["nodes"]}
    assert parents == {
        "Clara Chief": None,
        "Frank Finance": org.ceo.pk,
        "Pia Purchaser": org.cfo.pk,
        "Ed Engineer": org.ceo.pk,
    }
    assert data["influences"] == [[org.engineer.pk, org.cfo.pk]]
    cfo = next(n for n in data["nodes"] if n["name"] == "Frank Finance")
    assert cfo["owner"] == "Kim Owner" and cfo["buying_role"] == "Economic buyer"
    gaps = response.context["map"].gaps
    assert {g.kind for g in gaps} >= {"no_coach", "key_weak", "senior_by_junior", "cold"}
    assert 'data-testid="coverage-grid"' in html
    assert "relationships/map.js" in html and "<script>" not in html


def test_the_map_costs_the_same_queries_for_more_people(programme, org, login):
    client = login(programme.kam)
    url = f"/accounts/{programme.account.pk}/relationship-map/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(30):
        s = services.stakeholder_create(
            account=programme.account, actor=programme.kam, name=f"P{i}", reports_to=org.cfo
        )
        services.relationship_owner_set(stakeholder=s, user=programme.member, actor=programme.kam)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
