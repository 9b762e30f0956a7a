from django.urls import path

from accountable.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account_list, name="list"),
    path("new/", views.account_create_view, name="create"),
    path("lookup/", views.account_lookup, name="lookup"),
    path("<int:pk>/", views.account_detail, name="detail"),
    path("<int:pk>/team/", views.account_team, name="team"),
    path("<int:pk>/history/", views.account_history, name="history"),
    path("<int:pk>/edit/", views.account_edit, name="edit"),
    path("<int:pk>/status/", views.account_status, name="status"),
    path("<int:pk>/owner/", views.account_owner, name="owner"),
    path("<int:pk>/team/add/", views.team_add, name="team_add"),
    path("<int:pk>/team/<int:member_pk>/edit/", views.team_edit, name="team_edit"),
    path("<int:pk>/team/<int:member_pk>/raci/", views.team_raci, name="team_raci"),
    path("<int:pk>/team/<int:member_pk>/remove/", views.team_remove, name="team_remove"),
    path("<int:pk>/external-ids/add/", views.external_id_add_view, name="external_id_add"),
    path(
        "<int:pk>/external-ids/<int:external_id_pk>/remove/",
        views.external_id_remove_view,
        name="external_id_remove",
    ),
]
