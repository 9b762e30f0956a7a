from django.urls import path

from accountable.revenue import views

app_name = "revenue"
urlpatterns = [
    path("accounts/<int:pk>/", views.account_revenue, name="account"),
    path("accounts/<int:pk>/whitespace/", views.account_whitespace, name="whitespace"),
    path("pricing-check/", views.pricing_check_view, name="pricing"),
]
