from django.core.management.base import BaseCommand, CommandError

from repository.content import ContentError, load_content


class Command(BaseCommand):
    help = (
        "Load the MICIC content from fixtures/ (phases, principles, guidelines, taxonomies, "
        "regions and curated practices). Safe to run again: existing rows are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="Overwrite existing rows with the fixture values (curators' edits are lost).",
        )

    def handle(self, *args, refresh=False, **options):
        try:
            report = load_content(refresh=refresh)
        except ContentError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"MICIC content: {report}."))
