from django.urls import path

from accountable.revenue import views

app_name = "revenue"
urlpatterns = [
    path("accounts/<int:pk>/", views.account_revenue, name="account"),
]
