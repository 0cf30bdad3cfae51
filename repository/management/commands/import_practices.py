import sys

from django.core.management.base import BaseCommand, CommandError

from repository.transfer import import_records

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import practices from export_practices' JSON Lines. Every record is validated first; "
        "errors are reported with line numbers and nothing is imported unless all are valid "
        "(or --skip-invalid). Idempotent: records are matched by their id. Submitters and "
        "moderators are matched to existing accounts by username; a record naming a missing "
        "account is invalid unless --create-missing-users."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="File to read; - for stdin.")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid records and report the invalid ones.",
        )
        parser.add_argument(
            "--create-missing-users",
            action="store_true",
            help="Create the accounts the records name that do not exist, inactive and without "
            "a usable password (moderators in the moderators group).",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show the progress bar."
        )

    def handle(
        self,
        *args,
        path,
        skip_invalid=False,
        create_missing_users=False,
        no_progress=False,
        **options,
    ):
        try:
            handle = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        with handle:
            progress = None if no_progress else self.progress
            result = import_records(
                handle,
                skip_invalid=skip_invalid,
                create_missing_users=create_missing_users,
                progress=progress,
            )
        for error in result.errors:
            self.stderr.write(self.style.ERROR(error))
        if result.errors and not skip_invalid:
            raise CommandError(
                f"{len(result.errors)} invalid record(s); nothing was imported. "
                "Fix them, or use --skip-invalid to import the rest."
            )
        if result.created_users:
            self.stdout.write(
                self.style.WARNING(
                    f"Created {len(result.created_users)} inactive user account(s), without "
                    f"a usable password: {', '.join(result.created_users)}. Activate them and "
                    "set their passwords in the admin before they can log in."
                )
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
