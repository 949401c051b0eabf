"""Object ids from user input, bounded so an absurd number is a clean 400/404, never a 500.

Database integer keys stop at 2**63 - 1 (PostgreSQL bigint; SQLite refuses larger values with an
OverflowError), so every id a person or a script can send passes through these.
"""

from __future__ import annotations

from django import forms

MAX_ID = 2**63 - 1
ID_PATTERN = "[0-9]{1,18}"  # up to 18 digits always fits; longer is refused by routing


class IdConverter:
    """Path converter `<id:pk>`: like `<int:…>` but never longer than a database key."""

    regex = ID_PATTERN

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


def is_id(value) -> bool:
    """A positive database id written with ASCII digits (`"²".isdigit()` is true, alas)."""
    text = str(value)
    return text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID


class ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """A choice list read by one ordinary query.

    Django reads a choice list with `QuerySet.iterator()`, which on PostgreSQL opens a
    server-side cursor: three round trips (declare, fetch, close) for the few dozen teams or
    organisations a select offers, on every page that draws one. The list is small and drawn
    whole, so reading it at once costs one.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class BoundedModelChoiceField(forms.ModelChoiceField):
    iterator = ListedChoiceIterator

    def to_python(self, value):
        if value not in self.empty_values and not is_id(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = ListedChoiceIterator

    def _check_values(self, value):
        for item in value:
            if not is_id(item):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super()._check_values(value)
