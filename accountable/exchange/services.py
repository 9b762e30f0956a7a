"""Every write of the exchange app: starting an import run and carrying it out."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accountable.core.errors import ValidationFailed
from accountable.exchange.engine import (
    DryRunRollback,
    ImportContext,
    Progress,
    Reject,
    rejects_save,
    sales_line_history_record,
)
from accountable.exchange.models import ImportMapping, ImportRun, ImportStatus, MappingTarget
from accountable.exchange.presets import preset_for, preset_names
from accountable.exchange.readers import SourceFile, UnreadableFile
from accountable.history.models import Source
from accountable.history.services import audit_context
from accountable.revenue.services import rollup_refresh

UPLOAD_SUFFIXES = (".csv", ".gz", ".xlsx")


def upload_dir() -> Path:
    return Path(settings.VAR_DIR) / "imports"


def _expand(paths: list[Path]) -> list[Path]:
    """Files as given; a directory stands for the CSV/XLSX files in it."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in UPLOAD_SUFFIXES))
        else:
            files.append(path)
    return files


@transaction.atomic
def import_run_create(
    *,
    preset: str,
    paths: list[Path],
    actor: Any,
    dry_run: bool = False,
    names: list[str] | None = None,
) -> ImportRun:
    """Record an import about to run (its files must exist and the preset be known)."""
    if preset_for(preset) is None:
        raise ValidationFailed(
            f"Unknown preset {preset!r}; use one of: {', '.join(preset_names())}.",
            field="preset",
        )
    files = _expand(paths)
    if not files:
        raise ValidationFailed("Give at least one file to import.", field="uploads")
    for file in files:
        if not file.is_file():
            raise ValidationFailed(f"{file} is not a file.", field="uploads")
    user = actor if getattr(actor, "is_authenticated", False) else None
    return ImportRun.objects.create(
        preset=preset,
        files=names or [f.name for f in files],
        paths=[str(f.resolve()) for f in files],
        dry_run=dry_run,
        created_by=user,
        created_by_name=str(user.get_username()) if user else "system (shell)",
        bytes_total=sum(f.stat().st_size for f in files),
    )


def upload_store(*, name: str, chunks: Any) -> Path:
    """Keep an uploaded file under var/imports for the job that imports it."""
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise ValidationFailed(f"{name}: upload a CSV, gzipped CSV or XLSX file.", field="uploads")
    folder = upload_dir() / timezone.now().strftime("%Y%m%d-%H%M%S-%f")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / Path(name).name
    with target.open("wb") as out:
        for chunk in chunks:
            out.write(chunk)
    return target


def import_execute(
    *, run: ImportRun, actor: Any = None, progress: Progress | None = None
) -> ImportRun:
    """Carry out an import run (see accountable.exchange.engine for the steps)."""
    found = preset_for(run.preset)
    if found is None:
        raise ValidationFailed(f"The preset or mapping {run.preset!r} no longer exists.")
    preset = found
    run.status = ImportStatus.RUNNING
    run.save(update_fields=["status"])
    ctx = ImportContext(run=run, actor=actor or run.created_by, progress=progress)
    ctx.bytes_total = run.bytes_total
    files = [SourceFile(Path(p), name) for p, name in zip(run.paths, run.files, strict=True)]
    try:
        classified = []
        for file in files:
            header = file.header()
            kind = preset.classify(header)
            if kind is None:
                why = preset.ignored_reason(header)
                if why is None:
                    raise UnreadableFile(
                        f"{file.name}: not a file the {preset.name} preset knows "
                        f"(columns: {', '.join(header[:8])}…)."
                    )
                ctx.notes.append(f"{file.name} left out: {why}.")
                ctx.bytes_done += file.size
                continue
            classified.append((preset.kinds.index(kind), file, kind))
        classified.sort(key=lambda item: item[0])
        reason = f"Import #{run.pk} ({preset.name}: {', '.join(run.files)})"
        try:
            with (
                transaction.atomic(),
                audit_context(actor=ctx.actor, source=Source.IMPORT, reason=reason),
            ):
                state: dict[str, Any] = {}
                for _, file, kind in classified:
                    kind.handler(ctx, state, file)
                    ctx.bytes_done += file.size
                refreshed = rollup_refresh(account_ids=ctx.touched_accounts)
                ctx.count("monthly rollups", "rebuilt", refreshed)
                sales_line_history_record(ctx)
                if run.dry_run:
                    raise DryRunRollback
        except DryRunRollback:
            pass
    except UnreadableFile as exc:
        ctx.rejects.append(Reject(file="", row=0, column="", reason=str(exc)))
        run.status = ImportStatus.FAILED
        run.message = str(exc)
        ctx.counts.clear()
    except Exception as exc:
        # A bug or the database going away: everything was rolled back; say so and re-raise.
        run.status = ImportStatus.FAILED
        run.message = f"The import stopped and nothing was saved: {exc}"[:2000]
        run.finished_at = timezone.now()
        run.save()
        raise
    else:
        run.status = ImportStatus.DONE
        run.message = " ".join(ctx.notes)
    run.finished_at = timezone.now()
    run.rows_read = ctx.rows_read
    run.bytes_read = run.bytes_total
    run.counts = {kind: dict(c) for kind, c in ctx.counts.items()}
    run.rejected = len(ctx.rejects)
    run.skipped = ctx.skipped
    with transaction.atomic():
        run.save()
        rejects_save(run, ctx.rejects)
    if progress is not None:
        progress(run.bytes_total, run.bytes_total, ctx.rows_read)
    return run


def import_changed_anything(run: ImportRun) -> bool:
    return any(c.get("created") or c.get("updated") for c in run.counts.values())


def imported_nothing(run: ImportRun) -> bool:
    """Nothing could be imported: the run failed, or every row was rejected."""
    if run.status == ImportStatus.FAILED:
        return True
    written = sum(
        n
        for c in run.counts.values()
        for what, n in c.items()
        if what in ("created", "updated", "unchanged")
    )
    return written == 0 and run.rejected > 0


def upload_remove(run: ImportRun) -> None:
    """Drop the uploaded copies of a finished run's files (under var/imports only)."""
    base = upload_dir().resolve()
    for path in run.paths:
        folder = Path(path).resolve().parent
        if base in folder.parents:
            shutil.rmtree(folder, ignore_errors=True)


@transaction.atomic
def import_mapping_create(
    *,
    name: str,
    target: str,
    source: str,
    columns: dict[str, str],
    header: list[str],
    actor: Any,
    currency: str = "EUR",
) -> ImportMapping:
    """Save a column mapping (file column per field) to import files like the sample's."""
    from django.utils.text import slugify

    from accountable.exchange.presets import PRESETS
    from accountable.exchange.presets.mapping import FIELDS, required_fields

    name = slugify(name or "")
    if not name:
        raise ValidationFailed("Give the mapping a name.", field="name")
    if name in PRESETS or ImportMapping.objects.filter(name=name).exists():
        raise ValidationFailed(f"There is already a preset or mapping {name!r}.", field="name")
    if target not in FIELDS:
        raise ValidationFailed(f"Unknown target {target!r}.", field="target")
    known = {f for f, _, _ in FIELDS[target]}
    columns = {f: c for f, c in columns.items() if c}
    for field, column in columns.items():
        if field not in known:
            raise ValidationFailed(f"Unknown field {field!r}.", field=field)
        if column not in header:
            raise ValidationFailed(f"The file has no column {column!r}.", field=field)
    missing = [f for f in required_fields(target) if f not in columns]
    if missing:
        raise ValidationFailed(f"Choose the column for: {', '.join(missing)}.", field=missing[0])
    if (
        target == MappingTarget.SALES_LINES
        and "amount" not in columns
        and not ("quantity" in columns and "unit_price" in columns)
    ):
        raise ValidationFailed(
            "Choose the amount column, or both quantity and unit price.", field="amount"
        )
    with audit_context(actor=actor):
        return ImportMapping.objects.create(
            name=name,
            target=target,
            source=slugify(source or "") or name,
            columns=columns,
            currency=(currency or "EUR").upper()[:3],
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
