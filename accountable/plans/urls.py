"""Plan pages, under an account's address (`/accounts/<pk>/plan/…`): a plan is one per account."""

from django.urls import path

from accountable.plans import views

app_name = "plans"
urlpatterns = [
    path("plans/", views.plan_list, name="list"),
    path("plans/template/", views.plan_template, name="template"),
    path("<int:pk>/plan/", views.plan_detail, name="detail"),
    path("<int:pk>/plan/start/", views.plan_start, name="start"),
    path("<int:pk>/plan/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/plan/objectives/add/", views.objective_add, name="objective_add"),
    path(
        "<int:pk>/plan/objectives/<int:objective_pk>/edit/",
        views.objective_edit,
        name="objective_edit",
    ),
    path(
        "<int:pk>/plan/objectives/<int:objective_pk>/initiatives/add/",
        views.initiative_add,
        name="initiative_add",
    ),
    path(
        "<int:pk>/plan/initiatives/<int:initiative_pk>/actions/add/",
        views.action_add,
        name="action_add",
    ),
    path(
        "<int:pk>/plan/actions/<int:action_pk>/status/",
        views.action_status,
        name="action_status",
    ),
    path("<int:pk>/plan/milestones/add/", views.milestone_add, name="milestone_add"),
    path(
        "<int:pk>/plan/milestones/<int:milestone_pk>/reach/",
        views.milestone_reach,
        name="milestone_reach",
    ),
    path("<int:pk>/plan/risks/add/", views.risk_add, name="risk_add"),
    path("<int:pk>/plan/reviews/add/", views.review_add, name="review_add"),
    path("<int:pk>/plan/submit/", views.plan_submit, name="submit"),
    path("<int:pk>/plan/approve/", views.plan_approve, name="approve"),
    path("<int:pk>/plan/return/", views.plan_return, name="return"),
    path("<int:pk>/plan/versions/", views.plan_versions, name="versions"),
    path("<int:pk>/plan/export.pdf", views.plan_export_pdf, name="export_pdf"),
    path("<int:pk>/plan/export.xlsx", views.plan_export_xlsx, name="export_xlsx"),
]
