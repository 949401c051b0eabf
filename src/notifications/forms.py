"""The notification settings form (shown on the profile page, `accounts.views.profile`)."""

from __future__ import annotations

from django import forms

from .models import Preference


class PreferenceForm(forms.ModelForm):
    reminder_days = forms.CharField(
        label="Remind me this many days before a due date",
        help_text="Comma-separated, e.g. 1, 3 (empty: no reminders before due dates).",
        required=False,
    )

    class Meta:
        model = Preference
        fields = ["email_enabled", "reminder_days", "daily_digest", "weekly_status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["reminder_days"] = ", ".join(str(d) for d in self.instance.reminder_days)

    def clean_reminder_days(self) -> list[int]:
        raw = self.cleaned_data.get("reminder_days") or ""
        days = set()
        for part in raw.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not (part.isascii() and part.isdigit()) or not 1 <= int(part) <= 60:
                raise forms.ValidationError(f"“{part}” is not a number of days from 1 to 60.")
            days.add(int(part))
        return sorted(days)
