from django.urls import path

from accountable.relationships import views

app_name = "relationships"
urlpatterns = [
    path("accounts/<int:pk>/stakeholders/", views.stakeholder_list, name="stakeholders"),
    path(
        "accounts/<int:pk>/stakeholders/new/",
        views.stakeholder_create_view,
        name="stakeholder_create",
    ),
    path("accounts/<int:pk>/relationship-map/", views.relationship_map, name="map"),
    path("accounts/<int:pk>/activity/", views.activity, name="activity"),
    path(
        "accounts/<int:pk>/interactions/new/",
        views.interaction_create,
        name="interaction_create",
    ),
    path("stakeholders/<int:pk>/", views.stakeholder_detail, name="stakeholder"),
    path("stakeholders/<int:pk>/edit/", views.stakeholder_edit, name="stakeholder_edit"),
    path("stakeholders/<int:pk>/owners/", views.owner_set, name="owner_set"),
    path("relationships/settings/", views.settings_edit, name="settings"),
]
