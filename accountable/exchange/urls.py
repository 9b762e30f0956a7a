from django.urls import path

from accountable.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.import_list, name="list"),
    path("new/", views.import_new, name="new"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/rejected.csv", views.import_rejects_csv, name="rejects"),
    path("mappings/new/", views.mapping_new, name="mapping_new"),
]
