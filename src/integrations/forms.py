"""The webhook form of the Webhooks page (the rules themselves live in the services)."""

from __future__ import annotations

from django import forms

from .models import EVENTS


class WebhookForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="For you: which system this is.")
    url = forms.CharField(
        label="Address (URL)",
        max_length=500,
        help_text="https:// address of the receiving system; private networks are refused.",
        widget=forms.URLInput,
    )
    events = forms.MultipleChoiceField(
        choices=list(EVENTS.items()),
        # One choice a line, each label a 44 px touch target (app.css .choice-list).
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-list"}),
        help_text="What the system is told about.",
    )
    active = forms.BooleanField(required=False, initial=True, label="Active")
