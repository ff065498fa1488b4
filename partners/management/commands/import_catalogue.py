"""`python manage.py import_catalogue PATH [--dry-run]`: create or update organisations and offers from
an Open Referral HSDS 3 file, matched by id. All or nothing: any error writes nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partners.hsds import ImportRefused, import_json


class Command(BaseCommand):
    help = "Import an Open Referral HSDS 3 catalogue (a list or page of services)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="the HSDS JSON file")
        parser.add_argument("--dry-run", action="store_true", help="check and count, but save nothing")

    def handle(self, *args, path: str, dry_run: bool = False, **options) -> None:
        try:
            text = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        try:
            summary = import_json(text, dry_run=dry_run)
        except ImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(error)
            raise CommandError(f"Nothing was imported: {len(refused.errors)} error(s).") from None
        self.stdout.write(self.style.SUCCESS(str(summary)))
