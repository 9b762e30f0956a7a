from django.urls import path

from accountable.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list_view, name="list"),
    path("lookup/", views.person_lookup_view, name="lookup"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/tokens/", views.person_tokens, name="tokens"),
    path("<int:pk>/tokens/<int:token_pk>/revoke/", views.token_revoke, name="token_revoke"),
]
