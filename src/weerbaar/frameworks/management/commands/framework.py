"""``weerbaar framework validate|load|list|export``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from weerbaar.frameworks.export import framework_as_dict, get_framework
from weerbaar.frameworks.library import LibraryError, load_library, validate_files
from weerbaar.frameworks.models import Framework


class Command(BaseCommand):
    help = "Validate, load, list and export the framework library."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        validate = sub.add_parser("validate", help="Check files (default: the shipped library).")
        validate.add_argument("files", nargs="*", type=Path)
        load = sub.add_parser("load", help="Load files (default: the shipped library).")
        load.add_argument("files", nargs="*", type=Path)
        sub.add_parser("list", help="List the loaded frameworks.")
        export = sub.add_parser("export", help="Print a loaded framework.")
        export.add_argument("id")
        export.add_argument("--version", dest="framework_version", default=None)
        export.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbosity = options["verbosity"]
        action = options["action"]
        if action == "validate":
            self._validate(options["files"])
        elif action == "load":
            self._load(options["files"])
        elif action == "list":
            self._list()
        else:
            self._export(options["id"], options["framework_version"])

    def _validate(self, files: list[Path]) -> None:
        missing = [str(f) for f in files if not f.is_file()]
        if missing:
            raise CommandError(f"file not found: {', '.join(missing)}")
        checked, issues = validate_files(files or None)
        for issue in issues:
            self.stderr.write(str(issue))
        if issues:
            raise CommandError(f"{len(issues)} error(s) in {len(checked)} file(s)")
        for lib in checked:
            items = sum(len(s.get("items", [])) for s in lib.data["sections"])
            self.stdout.write(
                f"ok {lib.path.name}: {lib.data['id']} {lib.data['version']}, "
                f"{len(lib.data['sections'])} sections, {items} items"
            )

    def _load(self, files: list[Path]) -> None:
        try:
            results = load_library(files or None)
        except LibraryError as exc:
            for issue in exc.errors:
                self.stderr.write(str(issue))
            raise CommandError("nothing was loaded") from exc
        for result in results:
            if self.verbosity == 0:
                break
            state = "loaded" if result.created else "unchanged"
            fw = result.framework
            self.stdout.write(f"{state}: {fw.slug} {fw.version} ({fw.title})")

    def _list(self) -> None:
        for fw in Framework.objects.order_by("slug", "version"):
            items = sum(section.items.count() for section in fw.sections.all())
            self.stdout.write(
                f"{fw.slug}\t{fw.version}\t{fw.kind}\t{fw.sections.count()} sections\t"
                f"{items} items\t{fw.title}"
            )

    def _export(self, slug: str, version: str | None) -> None:
        try:
            framework = get_framework(slug, version)
        except Http404 as exc:
            name = f"{slug} {version}" if version else slug
            raise CommandError(f"framework {name} is not loaded") from exc
        self.stdout.write(json.dumps(framework_as_dict(framework), ensure_ascii=False, indent=2))
