"""`reunify tracing match --children C.csv --requests R.csv --out pairs.csv [--threshold P]
[--model model.json] [--train]`: batch matching of tracing requests against registered children
(issue 9), writing `request_id,child_id,score` for every pair at or above the threshold (one row
per request and child, the best score over the request's sought children), sorted by
request_id then score, highest first.

`reunify tracing train --children C.csv --requests R.csv --out model.json`: train the matching
model on an agency's records (Splink: u by random sampling, m by EM) and save it.

`match` uses the model shipped with Reunify unless given --model (an agency's trained model) or
--train (train on the input files first, when they are large enough). Malformed rows are reported on stderr as
`file:line: field: message` and skipped. Exit status 2 for bad arguments or unreadable files.
See docs/tracing-matching.md.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from reunify.tracing.matching import MatchModel, splink_engine
from reunify.tracing.matching.csv_input import CsvFileError, CsvResult, read_children, read_requests

DEFAULT_THRESHOLD = 0.5
MAX_ERRORS_SHOWN = 50
# Below these sizes EM has too few pairs to learn from; the shipped model is used instead.
MIN_CHILDREN_TO_TRAIN = 300
MIN_REQUESTS_TO_TRAIN = 150


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(text) from None
    if not 0.0 <= value <= 1.0:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = "Family tracing: batch matching of tracing requests against registered children."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{match,train}")
        match = actions.add_parser("match", help="write the likely (request, child) pairs")
        train = actions.add_parser("train", help="train a matching model")
        for sub in (match, train):
            sub.add_argument("--children", type=Path, required=True, help="children.csv")
            sub.add_argument("--requests", type=Path, required=True, help="requests.csv")
        match.add_argument("--out", type=Path, required=True, help="pairs.csv to write")
        match.add_argument(
            "--threshold",
            default=str(DEFAULT_THRESHOLD),
            help=f"lowest match probability written (default {DEFAULT_THRESHOLD})",
        )
        match.add_argument(
            "--model",
            help="a model.json from `reunify tracing train` (default: the shipped model)",
        )
        match.add_argument(
            "--train",
            action="store_true",
            help="train the model on the input files first (Splink EM; slower)",
        )
        train.add_argument("--out", type=Path, required=True, help="model.json to write")

    def _fail(self, message: str) -> NoReturn:
        raise CommandError(message, returncode=2)

    def handle(self, *args: Any, **options: Any) -> None:
        for option in ("children", "requests"):
            if not options[option].is_file():
                self._fail(
                    _("Bad argument: --%(option)s %(path)s is not a file.")
                    % {"option": option, "path": options[option]}
                )
        children, requests = self._read(options["children"], options["requests"])
        if options["action"] == "train":
            self._train(children, requests, options["out"])
        else:
            self._match(children, requests, options)

    def _read(self, children_path: Path, requests_path: Path) -> tuple[CsvResult, CsvResult]:
        try:
            children = read_children(children_path)
            requests = read_requests(requests_path)
        except CsvFileError as error:
            self._fail(str(error))
        errors = children.errors + requests.errors
        for line in errors[:MAX_ERRORS_SHOWN]:
            self.stderr.write(line)
        if len(errors) > MAX_ERRORS_SHOWN:
            self.stderr.write(
                _("... and %(count)d more malformed rows.")
                % {"count": len(errors) - MAX_ERRORS_SHOWN}
            )
        if errors:
            self.stderr.write(
                _(
                    "%(count)d malformed rows skipped (%(children)d in children, %(requests)d in requests)."
                )
                % {
                    "count": len(errors),
                    "children": len(children.errors),
                    "requests": len(requests.errors),
                }
            )
        return children, requests

    def _model(
        self, options: dict[str, Any], children: CsvResult, requests: CsvResult
    ) -> MatchModel | None:
        """The model to match with; None means: train on the input (--train)."""
        option = options["model"]
        if option and option != "default":
            try:
                return MatchModel.from_json(Path(option).read_text(encoding="utf-8"))
            except (OSError, ValueError, KeyError, TypeError) as error:
                self._fail(
                    _("Cannot read the model %(path)s: %(error)s")
                    % {"path": option, "error": error}
                )
        if not options["train"] or option == "default":
            return MatchModel.default()
        if (
            len(children.records) < MIN_CHILDREN_TO_TRAIN
            or len(requests.records) < MIN_REQUESTS_TO_TRAIN
        ):
            self.stderr.write(_("Too few records to train on; using the shipped model."))
            return MatchModel.default()
        return None

    def _match(self, children: CsvResult, requests: CsvResult, options: dict[str, Any]) -> None:
        try:
            threshold = _threshold(options["threshold"])
        except ValueError:
            self._fail(
                _("Bad argument: --threshold %(value)s is not a probability from 0 to 1.")
                % {"value": options["threshold"]}
            )
        model = self._model(options, children, requests)
        best: dict[tuple[str, str], float] = {}
        if children.records and requests.records:
            if model is None:
                _model, pairs = splink_engine.train_and_predict(
                    children.records, requests.records, min_probability=threshold
                )
            else:
                pairs = splink_engine.predict(
                    children.records, requests.records, model, min_probability=threshold
                )
            for pair in pairs:
                key = (requests.request_of[pair.request_record_id], pair.child_id)
                if pair.probability > best.get(key, -1.0):
                    best[key] = pair.probability
        rows = sorted(
            (
                (request_id, child_id, score)
                for (request_id, child_id), score in best.items()
                if score >= threshold
            ),
            key=lambda row: (row[0], -row[2], row[1]),
        )
        try:
            with options["out"].open("w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(["request_id", "child_id", "score"])
                for request_id, child_id, score in rows:
                    writer.writerow([request_id, child_id, f"{score:.6f}"])
        except OSError as error:
            self._fail(
                _("Cannot write %(path)s: %(error)s") % {"path": options["out"], "error": error}
            )
        self.stdout.write(
            _(
                "%(pairs)d pairs at or above %(threshold)s written to %(out)s (%(children)d children, %(sought)d sought children)."
            )
            % {
                "pairs": len(rows),
                "threshold": threshold,
                "out": options["out"],
                "children": len(children.records),
                "sought": len(requests.records),
            }
        )

    def _train(self, children: CsvResult, requests: CsvResult, out: Path) -> None:
        if (
            len(children.records) < MIN_CHILDREN_TO_TRAIN
            or len(requests.records) < MIN_REQUESTS_TO_TRAIN
        ):
            self._fail(
                _(
                    "Too few records to train on: need at least %(children)d children and %(requests)d sought children."
                )
                % {"children": MIN_CHILDREN_TO_TRAIN, "requests": MIN_REQUESTS_TO_TRAIN}
            )
        model = splink_engine.train(children.records, requests.records)
        try:
            out.write_text(model.to_json() + "\n", encoding="utf-8")
        except OSError as error:
            self._fail(_("Cannot write %(path)s: %(error)s") % {"path": out, "error": error})
        self.stdout.write(
            _(
                "Model trained on %(children)d children and %(sought)d sought children written to %(out)s."
            )
            % {"children": len(children.records), "sought": len(requests.records), "out": out}
        )
