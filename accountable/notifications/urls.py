from django.urls import path

from accountable.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/add-to-team/", views.add_to_team, name="add_to_team"),
    path("<int:pk>/dismiss/", views.dismiss, name="dismiss"),
]
