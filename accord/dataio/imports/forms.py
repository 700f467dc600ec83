"""Forms of the import pages: they validate input; `services` does the work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import DuplicateMode, FuzzyDefault, ImportKind
from .columns import IGNORE, fields_for
from .models import ImportRun, SavedMapping


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (UTF-8 or Windows-1252, separated by commas or semicolons) or XLSX. The first "
            "row names the columns."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx,.xlsm"}),
    )
    kind = forms.ChoiceField(
        label=_("The file holds"), choices=ImportKind.choices, widget=forms.RadioSelect
    )
    saved_mapping = forms.ModelChoiceField(
        label=_("Saved mapping"),
        queryset=SavedMapping.objects.none(),
        required=False,
        empty_label=_("— guess the columns from their names —"),
    )
    on_duplicate = forms.ChoiceField(
        label=_("Rows that match a record you can see"),
        choices=DuplicateMode.choices,
        initial=DuplicateMode.UPDATE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["saved_mapping"].queryset = SavedMapping.objects.filter(owner=user)  # type: ignore[attr-defined]


def column_field(index: int) -> str:
    return f"column_{index}"


class ImportMappingForm(forms.Form):
    """One choice per column of the file: the field it goes into, or nothing."""

    on_duplicate = forms.ChoiceField(
        label=_("Rows that match a record you can see (same external id, email, VAT id, domain)"),
        choices=DuplicateMode.choices,
        widget=forms.RadioSelect,
    )
    fuzzy_default = forms.ChoiceField(
        label=_("Rows whose name only resembles a record you can see"),
        choices=FuzzyDefault.choices,
        widget=forms.RadioSelect,
        help_text=_("The dry run lists them; you can decide row by row before the import."),
    )
    save_as = forms.CharField(
        label=_("Save this mapping as"),
        required=False,
        max_length=100,
        help_text=_("Optional: a name to reuse the mapping for the next file."),
    )

    def __init__(self, *args: Any, run: ImportRun, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "on_duplicate": run.on_duplicate,
                "fuzzy_default": run.fuzzy_default,
                **{column_field(int(i)): key for i, key in run.mapping.items()},
            },
        )
        super().__init__(*args, **kwargs)
        self.run = run
        choices = [(IGNORE, _("— do not import —"))] + [
            (f.key, f"{f.label} *" if f.required else str(f.label)) for f in fields_for(run.kind)
        ]
        samples = run.sample or []
        self.columns = []
        for index, header in enumerate(run.headers):
            name = column_field(index)
            self.fields[name] = forms.ChoiceField(label=header, choices=choices, required=False)
            values = [row[index] for row in samples if index < len(row) and row[index]]
            self.columns.append({"field": name, "header": header, "samples": values[:3]})

    def column_rows(self) -> list[dict[str, Any]]:
        return [{**c, "bound": self[c["field"]]} for c in self.columns]

    def mapping(self) -> dict[str, str]:
        return {
            str(index): self.cleaned_data.get(column_field(index)) or ""
            for index in range(len(self.run.headers))
        }


class SimilarDecisionsForm(forms.Form):
    """ "Same record" or "new record" for each row the dry run found a similar name for."""

    def __init__(self, *args: Any, run: ImportRun, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries = list(run.report.get("similar", []))
        for entry in self.entries:
            self.fields[f"row_{entry['row']}"] = forms.ChoiceField(
                label=_("Row %(row)s") % {"row": entry["row"]},
                choices=[("same", _("Same record")), ("new", _("New record"))],
                initial=entry.get("decision") or "new",
                widget=forms.RadioSelect,
            )

    def rows(self) -> list[dict[str, Any]]:
        return [{**e, "bound": self[f"row_{e['row']}"]} for e in self.entries]

    def decisions(self) -> dict[str, str]:
        return {
            name.removeprefix("row_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("row_") and value
        }


class ImportFilterForm(forms.Form):
    q = forms.CharField(label=_("File name"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("What"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .choices import ImportStatus

        self.fields["status"].choices = [("", _("All"))] + list(ImportStatus.choices)  # type: ignore[attr-defined]
        self.fields["kind"].choices = [("", _("All"))] + list(ImportKind.choices)  # type: ignore[attr-defined]
