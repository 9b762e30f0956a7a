from django.urls import path

from accountable.selection import views

app_name = "selection"
urlpatterns = [
    path("assignment/", views.assignment_list, name="assignment_list"),
    path("assignment/<int:id>/", views.assignment_detail, name="assignment_detail"),
    path("assignment/<int:id>/apply/", views.assignment_apply, name="assignment_apply"),
    path("assignment/<int:id>/discard/", views.assignment_discard, name="assignment_discard"),
    path("portfolio/", views.portfolio_view, name="portfolio"),
    path("portfolio/compute/", views.portfolio_compute, name="portfolio_compute"),
    path("backtest/", views.backtest_view, name="backtest"),
    path("accounts/<int:pk>/", views.account_selection, name="account"),
    path("accounts/<int:pk>/assess/", views.account_assess, name="account_assess"),
    path("accounts/<int:pk>/decide/", views.account_decide, name="account_decide"),
]
