from django.urls import path

from accountable.programme import views

app_name = "programme"
urlpatterns = [
    path("settings/", views.settings_view, name="settings"),
    path("settings/positions/add/", views.position_add, name="position_add"),
    path("settings/business-units/add/", views.business_unit_add, name="business_unit_add"),
]
