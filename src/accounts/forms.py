"""Forms of the People and Profile pages and of accepting an invitation.

They check the shape of what was typed; the decisions (who may invite whom with which role)
are made again by `accounts.services` through `common.permissions`, so a hand-made request
meets the same rules as the page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordMixin, UsernameField

from common import permissions

from .models import Organization, User
from .timezones import zone_choices


class InviteForm(forms.Form):
    email = forms.EmailField(label="E-mail address", max_length=254)
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    role = forms.ChoiceField(label="Role")
    organization = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organization.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "You cannot invite people into that organisation."},
    )

    def __init__(self, *args: Any, actor: User, organization: Organization | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, r) for r in permissions.grantable_roles(actor)]
        self.fields["role"].initial = "Staff"
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        orgs = permissions.people_organizations(actor)
        self.fields["organization"].queryset = orgs
        self.fields["organization"].initial = organization
        if orgs.count() <= 1:
            # A manager invites into their own organisation only: nothing to choose.
            self.fields["organization"].widget = forms.HiddenInput()


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role")

    def __init__(self, *args: Any, actor: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, r) for r in permissions.grantable_roles(actor)]


class AcceptInvitationForm(SetPasswordMixin, forms.Form):
    """The invitee's name, user name and password (validated like any password change)."""

    username = UsernameField(
        label="User name",
        max_length=150,
        help_text="You sign in with it. Letters, digits and @ . + - _ only.",
    )
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1="Password", label2="The same password again"
    )

    def __init__(self, *args: Any, email: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["username"].validators.append(User.username_validator)
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["password1"].help_text = (
            "At least 8 characters; not a common password, not only digits and not like your "
            "name or e-mail address."
        )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("This user name is taken; choose another.")
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.validate_passwords()
        probe = User(
            username=cleaned.get("username") or "",
            email=self.email,
            first_name=cleaned.get("first_name") or "",
            last_name=cleaned.get("last_name") or "",
        )
        self.validate_password_for_user(probe)
        return cleaned


class ProfileForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    time_zone = forms.ChoiceField(
        label="Time zone",
        required=False,
        help_text="Times on pages (history, notifications) are shown in this zone.",
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = zone_choices()


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What uses it, e.g. “Weekly report script”.",
    )
