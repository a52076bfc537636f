from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ita_portal.lib.forms import ThaiDateField
from oit_items.models import Item, Rhythm, Scheme
from units.models import Officer, Unit
from units.policy import Action, can, visible_units

from .models import AssignmentRole, UnitYear
from .workflow import MOVES


class MoveForm(forms.Form):
    move = forms.ChoiceField(choices=[(name, name) for name in MOVES])
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    published_on = ThaiDateField(label=_("Published on"), required=False)


class OpenYearForm(forms.Form):
    scheme = forms.ModelChoiceField(label=_("Checklist"), queryset=Scheme.objects.published())
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    under = forms.CharField(
        label=_("Or every unit under (code)"),
        required=False,
        help_text=_("Administrators: opens every unit of the checklist's types below this unit."),
    )

    copy_assignments = forms.BooleanField(
        label=_("Copy who does what from the unit's latest earlier year"),
        required=False,
        initial=True,
    )

    CHOOSER_LIMIT = 50  # more units than this: the unit is typed (name or code), not listed

    def __init__(self, *args, user, unit: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if can(user, Action.OPEN_MANY):  # administrators: every unit, not read one by one
            editable = Unit.objects.all()
        else:
            editable = Unit.objects.filter(
                pk__in=[u.pk for u in visible_units(user) if can(user, Action.EDIT, u)]
            )
        self.editable = editable.exclude(unit_type__code="command")
        if unit is None and self.editable.count() > self.CHOOSER_LIMIT:
            self.fields["unit"] = forms.CharField(
                label=_("Unit (name or code)"),
                required=False,
                help_text=_(
                    "Type the unit's name or code: the country's units are too many to list."
                ),
            )
        else:
            self.fields["unit"].queryset = self.editable
        schemes = Scheme.objects.published().order_by("-fiscal_year", "code")
        if unit is not None:  # opened from the unit's page: its checklists only
            self.fields["unit"].initial = unit.pk
            schemes = schemes.filter(unit_types=unit.unit_type_id)
        self.fields["scheme"].queryset = schemes
        if not can(user, Action.OPEN_MANY):
            del self.fields["under"]

    def clean_unit(self):
        value = self.cleaned_data.get("unit")
        if not isinstance(value, str) or not value.strip():
            return value or None
        text = value.strip()
        found = self.editable.filter(code=text).first()
        if found is not None:
            return found
        matches = list(self.editable.search(text).order_by("path")[:11])
        exact = [m for m in matches if text in (m.name_th, m.short_name, m.name_en)]
        if len(exact) == 1 or len(matches) == 1:
            return (exact or matches)[0]
        if not matches:
            raise forms.ValidationError(_("No unit you may open has that name or code."))
        raise forms.ValidationError(
            _("Several units fit: %(units)s. Type the code.")
            % {"units": ", ".join(f"{m.display_name} ({m.code})" for m in matches[:10])}
        )

    def clean(self):
        data = super().clean()
        if not data.get("unit") and not data.get("under") and "unit" not in self.errors:
            raise forms.ValidationError(_("Choose a unit."))
        if data.get("under") and not Unit.objects.filter(code=data["under"]).exists():
            self.add_error("under", _("Unknown unit code."))
        return data

    def units(self) -> list[Unit]:
        if self.cleaned_data.get("unit"):
            return [self.cleaned_data["unit"]]
        scheme = self.cleaned_data["scheme"]
        top = Unit.objects.get(code=self.cleaned_data["under"])
        return list(Unit.objects.under(top).active().filter(unit_type__in=scheme.unit_types.all()))


class AssignmentGridForm(forms.Form):
    """Items by roles: one select per cell, so the grid is worked with Tab and the keyboard."""

    def __init__(self, *args, year: UnitYear, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.items = list(year.scheme.items.order_by("order"))
        officers = Officer.objects.filter(unit=year.unit).current().for_profile()
        current = {}
        for assignment in year.assignments.active():
            current.setdefault((assignment.item_id, assignment.role), assignment.officer_id)
        for item in self.items:
            for role in AssignmentRole.values:
                self.fields[f"a-{item.pk}-{role}"] = forms.ModelChoiceField(
                    queryset=officers,
                    required=False,
                    label=f"{item.code_as_written} {role}",
                    initial=current.get((item.pk, role)),
                )

    def rows(self):
        return [
            (item, [self[f"a-{item.pk}-{role}"] for role in AssignmentRole.values])
            for item in self.items
        ]

    def grid(self) -> dict[tuple[int, str], Officer | None]:
        return {
            (item.pk, role): self.cleaned_data.get(f"a-{item.pk}-{role}")
            for item in self.items
            for role in AssignmentRole.values
        }


class EventForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Item"), queryset=Item.objects.none())
    title = forms.CharField(label=_("What happened"), max_length=200)
    happened_on = ThaiDateField(label=_("Date"))
    due_on = ThaiDateField(label=_("Due"), required=False)

    def __init__(self, *args, year: UnitYear, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = year.scheme.items.filter(rhythm=Rhythm.PER_EVENT)


class DatedForm(forms.Form):
    """The date a file or a published page bears, typed in BE; optional."""

    effective_on = ThaiDateField(label=_("Dated"), required=False)


class DueDateForm(forms.Form):
    due_on = ThaiDateField(label=_("Due"), required=False)
