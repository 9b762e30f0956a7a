"""Import pages: the list of runs, the upload form, a run's status and its rejected rows."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse

from accountable.core.errors import DomainError
from accountable.core.forms import form_add_domain_error
from accountable.core.views import redirect_after_post
from accountable.exchange.forms import ImportUploadForm
from accountable.exchange.selectors import (
    import_run_get_for_user,
    import_run_list_for_user,
    rejects_rows,
)
from accountable.exchange.services import import_run_create, upload_store
from accountable.exchange.tasks import import_run_task, progress_read


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    runs = import_run_list_for_user(user=request.user)
    page_obj = Paginator(runs, 50).get_page(request.GET.get("page"))
    return render(request, "exchange/list.html", {"page_obj": page_obj, "app": "exchange"})


@login_required
def import_new(request: HttpRequest) -> HttpResponseBase:
    if not request.user.is_director:  # type: ignore[union-attr]
        raise PermissionDenied("Only a programme director can import data.")
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            uploads = form.cleaned_data["uploads"]
            paths = [upload_store(name=f.name, chunks=f.chunks()) for f in uploads]
            run = import_run_create(
                preset=form.cleaned_data["preset"],
                paths=paths,
                names=[f.name for f in uploads],
                actor=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            transaction.on_commit(lambda: import_run_task.enqueue(run.pk))
            return redirect_after_post(request, reverse("exchange:detail", args=[run.pk]))
    return render(
        request,
        "exchange/new.html",
        {"form": form, "action": reverse("exchange:new"), "app": "exchange"},
    )


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = import_run_get_for_user(user=request.user, id=pk)
    progress: dict[str, Any] = progress_read(run.pk)
    share = 0
    if progress.get("total"):
        share = min(99, int(100 * progress["done"] / progress["total"]))
    context = {
        "run": run,
        "rows": progress.get("rows", run.rows_read),
        "share": 100 if run.finished_at else share,
        "rejects": run.rejects.all()[:100],
        "app": "exchange",
    }
    template = (
        "exchange/partials/status.html"
        if request.headers.get("HX-Request")
        else "exchange/detail.html"
    )
    return render(request, template, context)


@login_required
def import_rejects_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    run = import_run_get_for_user(user=request.user, id=pk)
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rejects_rows(run=run)), content_type="text/csv"
    )
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-rejected.csv"'
    return response
