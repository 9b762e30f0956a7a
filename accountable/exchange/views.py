"""Import pages: the list of runs, the upload form, a run's status and its rejected rows."""

from __future__ import annotations

import csv
import shutil
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse

from accountable.core.errors import DomainError
from accountable.core.forms import form_add_domain_error
from accountable.core.spreadsheets import safe_row
from accountable.core.views import redirect_after_post
from accountable.exchange.forms import ImportUploadForm, MappingColumnsForm, MappingStartForm
from accountable.exchange.readers import UnreadableFile
from accountable.exchange.selectors import (
    import_run_get_for_user,
    import_run_list_for_user,
    rejects_rows,
)
from accountable.exchange.services import (
    import_mapping_create,
    import_run_create,
    upload_store,
)
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
    form = ImportUploadForm(
        request.POST or None,
        request.FILES or None,
        initial={"preset": request.GET.get("preset", "")},
    )
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
        (writer.writerow(safe_row(row)) for row in rejects_rows(run=run)),
        content_type="text/csv",
    )
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-rejected.csv"'
    return response


# --- Column mappings -----------------------------------------------------------------------------

PREVIEW_ROWS = 5


def _sample_of(upload: Any) -> tuple[list[str], list[list[str]]]:
    """The header and the first rows of an uploaded sample (kept only while it is read)."""
    from pathlib import Path

    from accountable.exchange.readers import SourceFile

    path = upload_store(name=upload.name, chunks=upload.chunks())
    try:
        file = SourceFile(path, upload.name)
        header = file.header()
        rows = []
        for _, row, _ in file.rows():
            rows.append([row.get(c, "") for c in header])
            if len(rows) >= PREVIEW_ROWS:
                break
        return header, rows
    finally:
        shutil.rmtree(Path(path).parent, ignore_errors=True)


@login_required
def mapping_new(request: HttpRequest) -> HttpResponseBase:
    """Step 1: name, target and a sample file; step 2: a column for each field, with a preview."""
    if not request.user.is_director:  # type: ignore[union-attr]
        raise PermissionDenied("Only a programme director can make column mappings.")
    context: dict[str, Any] = {"app": "exchange", "action": reverse("exchange:mapping_new")}
    if request.method == "POST" and "payload" in request.POST:
        try:
            saved = signing.loads(request.POST["payload"], salt="import-mapping", max_age=3600)
        except signing.BadSignature:
            return HttpResponseBadRequest("The mapping form expired; start again.")
        form = MappingColumnsForm(request.POST, target=saved["target"], header=saved["header"])
        if form.is_valid():
            columns = {k.removeprefix("col_"): v for k, v in form.cleaned_data.items()}
            try:
                mapping = import_mapping_create(
                    name=saved["name"],
                    target=saved["target"],
                    source=saved["source"],
                    currency=saved["currency"],
                    columns=columns,
                    header=saved["header"],
                    actor=request.user,
                )
            except DomainError as exc:
                exc.field = f"col_{exc.field}" if exc.field and exc.field != "name" else None
                form_add_domain_error(form, exc)
            else:
                return redirect_after_post(
                    request, reverse("exchange:new") + f"?preset={mapping.name}"
                )
        context.update(
            form=form, payload=request.POST["payload"], header=saved["header"],
            preview=saved["preview"], saved=saved,
        )  # fmt: skip
        return render(request, "exchange/mapping_columns.html", context)
    start = MappingStartForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and start.is_valid():
        try:
            header, preview = _sample_of(start.cleaned_data["sample"])
        except (DomainError, UnreadableFile) as exc:
            start.add_error("sample", str(getattr(exc, "message", exc)))
        else:
            saved = {k: start.cleaned_data[k] for k in ("name", "target", "source", "currency")} | {
                "header": header,
                "preview": preview,
            }
            context.update(
                form=MappingColumnsForm(target=saved["target"], header=header),
                payload=signing.dumps(saved, salt="import-mapping"),
                header=header,
                preview=preview,
                saved=saved,
            )
            return render(request, "exchange/mapping_columns.html", context)
    context["form"] = start
    return render(request, "exchange/mapping_new.html", context)
