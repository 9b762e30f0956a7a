from django.urls import path

from accountable.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list_view, name="list"),
    path("lookup/", views.person_lookup_view, name="lookup"),
    path("<int:pk>/", views.person_detail, name="detail"),
]
