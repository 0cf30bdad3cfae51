import sys

from django.core.management.base import BaseCommand, CommandError

from repository.transfer import import_records

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import practices from export_practices' JSON Lines. Every record is validated first; "
        "errors are reported with line numbers and nothing is imported unless all are valid "
        "(or --skip-invalid). Idempotent: records are matched by their id."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="File to read; - for stdin.")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid records and report the invalid ones.",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show the progress bar."
        )

    def handle(self, *args, path, skip_invalid=False, no_progress=False, **options):
        try:
            handle = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        with handle:
            progress = None if no_progress else self.progress
            result = import_records(handle, skip_invalid=skip_invalid, progress=progress)
        for error in result.errors:
            self.stderr.write(self.style.ERROR(error))
        if result.errors and not skip_invalid:
            raise CommandError(
                f"{len(result.errors)} invalid record(s); nothing was imported. "
                "Fix them, or use --skip-invalid to import the rest."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Imported: {result.created} created, {result.updated} updated.")
        )

    def progress(self, done: int, total: int):
        if total < 100 or (done % 50 and done != total):
            return
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stderr.write(f"\r[{bar}] {done}/{total}", ending="" if done != total else "\n")
        self.stderr.flush()
