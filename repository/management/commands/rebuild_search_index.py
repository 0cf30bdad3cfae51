from django.core.management.base import BaseCommand

from repository.search import reindex


class Command(BaseCommand):
    help = "Rebuild the full-text index and search vocabulary of every practice."

    def handle(self, *args, **options):
        count = reindex()
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} practices."))
