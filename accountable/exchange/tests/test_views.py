"""The upload page runs an import in the background and shows its progress and rejected rows."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accountable.exchange.models import ImportRun, ImportStatus
from accountable.exchange.tasks import import_run_task
from accountable.exchange.tests.conftest import DATA
from accountable.revenue.models import ProductLine


def test_an_upload_is_imported_in_the_background_and_its_status_shown(
    client, director, django_capture_on_commit_callbacks
):
    # given
    client.force_login(director)
    data = (DATA / "northwind/categories.csv").read_bytes()
    upload = SimpleUploadedFile("categories.csv", data, "text/csv")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exchange:new"), {"preset": "northwind", "uploads": upload})

    # then
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("exchange:detail", args=[run.pk])
    assert run.status == ImportStatus.DONE
    assert run.created_by == director
    assert ProductLine.objects.count() == 8
    page = client.get(response.url)
    assert b"8 created" in page.content
    assert b"Done" in page.content


def test_a_file_of_the_wrong_type_is_refused_on_the_form(client, director):
    # given
    client.force_login(director)
    upload = SimpleUploadedFile("notes.txt", b"hello", "text/plain")

    # when
    response = client.post(reverse("exchange:new"), {"preset": "northwind", "uploads": upload})

    # then
    assert response.status_code == 200
    assert b"upload a CSV, gzipped CSV or XLSX file" in response.content
    assert not ImportRun.objects.exists()


def test_rejected_rows_download_as_csv(client, director, tmp_path):
    # given
    path = tmp_path / "customers.csv"
    path.write_text("CustomerID,CompanyName,Country\nALFKI,,Germany\n", encoding="utf-8")
    from accountable.exchange.services import import_execute, import_run_create

    run = import_execute(run=import_run_create(preset="northwind", paths=[path], actor=director))
    client.force_login(director)

    # when
    response = client.get(reverse("exchange:rejects", args=[run.pk]))

    # then
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines() == [
        "file,row,column,reason",
        "customers.csv,2,CompanyName,CompanyName is empty",
    ]


def test_the_job_leaves_a_run_that_already_ran_alone(director, tmp_path):
    # given
    run = ImportRun.objects.create(
        preset="northwind", status=ImportStatus.DONE, created_by_name="d"
    )

    # when
    result = import_run_task.call(run.pk)

    # then
    assert result == 0
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE
