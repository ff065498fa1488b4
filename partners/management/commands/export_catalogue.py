"""`python manage.py export_catalogue [--output PATH]`: the active catalogue as Open Referral HSDS 3
JSON (stdout by default). Every service is checked against the schema first: an invalid export is
refused rather than handed to another system."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partners.hsds import export_offers, schema_errors, to_json


class Command(BaseCommand):
    help = "Export the active catalogue of offers as Open Referral HSDS 3 JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", "-o", help="write to this file instead of standard output")

    def handle(self, *args, output: str | None = None, **options) -> None:
        document = export_offers()
        errors = schema_errors(document["contents"])
        if errors:
            for error in errors:
                self.stderr.write(error)
            raise CommandError(f"The export does not validate against HSDS 3: {len(errors)} error(s).")
        text = to_json(document)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(f"Catalogue written to {output}.")
        else:
            self.stdout.write(text)
