"""Organisations, users, teams and personal API tokens.

Every user belongs to one organisation (the office itself or a partner agency); what a user may
see and do is decided by `common.permissions` from that organisation and the user's role.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class Organization(models.Model):
    """The office or a partner agency. Work items belong to exactly one organisation."""

    class Kind(models.TextChoices):
        OFFICE = "office", "Office"
        PARTNER = "partner", "Partner agency"

    name = models.CharField(max_length=200, unique=True)
    acronym = models.CharField(max_length=30, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OFFICE)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    work_changed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When something the organisation's work items show but do not store last "
        "changed: a deleted item, a person's or team's name, a team membership. Part of the "
        "calendar feeds' validators, since no item row's change time moves with these.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.acronym or self.name


class User(AbstractUser):
    """A person who signs in. The role is the Django group (see `accounts.roles`)."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text="The organisation whose work items this person sees.",
    )
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        help_text="Times on pages are shown in this zone; empty: the office's (TIME_ZONE).",
    )

    class Meta:
        ordering = ["username"]
        permissions = [
            # Granted by the Manager role: invite people into an organisation one may see,
            # change their roles and switch their accounts off and on (`common.permissions`).
            ("manage_people", "Can invite people and change their roles and access"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def _cached_session_hashes(self) -> tuple[str, tuple[str, ...]] | None:
        """The session hashes a person read from the shared cache came with, if still valid.

        Such a person has no password hash in memory (`accounts.permission_cache`). Once the
        password is loaded or set on this instance, the hashes follow the password again.
        """
        if "password" in self.__dict__:
            return None
        return self.__dict__.get("_session_auth_hashes")

    def get_session_auth_hash(self) -> str:
        known = self._cached_session_hashes()
        return known[0] if known else super().get_session_auth_hash()

    def get_session_auth_fallback_hash(self):
        known = self._cached_session_hashes()
        if known:
            yield from known[1]
        else:
            yield from super().get_session_auth_fallback_hash()

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role(self) -> str | None:
        """The name of the user's role group, or None when the user has no role."""
        from .roles import role_of

        return role_of(self)


class Team(models.Model):
    """A group of people inside one organisation that work items can be assigned to."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="TeamMembership", related_name="teams", blank=True
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="team_name_unique_in_org")
        ]

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    is_lead = models.BooleanField(default=False)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="team_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"


def hash_token(raw: str) -> str:
    """Tokens are stored only as SHA-256 digests; the raw value is shown once at creation."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A personal token for scripts, calendar feeds and the API (`Authorization: Token …`)."""

    PREFIX = "obw_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, default="default")
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12, help_text="The first characters, to tell tokens apart.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…) of {self.user}"

    @classmethod
    def issue(cls, user: User, name: str = "default") -> tuple[ApiToken, str]:
        """Create a token and return it with its raw value, which is never stored."""
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=hash_token(raw), hint=raw[:10])
        return token, raw

    @classmethod
    def authenticate(cls, raw: str) -> User | None:
        """The active user a raw token belongs to, or None (revoked, unknown, inactive user)."""
        if not raw or not raw.startswith(cls.PREFIX):
            return None
        token = cls.objects.active().select_related("user").filter(key_hash=hash_token(raw)).first()
        if token is None:
            return None
        now = timezone.now()
        # Touch at most once a minute so a busy calendar client does not write on every poll.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user


class Invitation(models.Model):
    """An e-mailed offer to join an organisation with a role; accepting it creates the account.

    The link carries a signed, time-stamped token naming the row and its current `nonce`
    (`accounts.invitations`): sending again rotates the nonce, so only the newest link works, and
    accepting sets `accepted_at`, so it works once.
    """

    email = models.EmailField()
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(max_length=50)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    nonce = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["email"], name="invitation_email")]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.organization} as {self.role}"

    @property
    def expires_at(self):
        from .invitations import max_age

        return self.sent_at + max_age()

    @property
    def is_pending(self) -> bool:
        """Neither accepted nor revoked nor past its expiry."""
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class SignInLockout(models.Model):
    """Sign-in refused for a while after too many wrong passwords (see `accounts.throttle`).

    Failure counts live in the shared cache; a lockout is a row, so every web process honours it
    at once and administrators can see it and lift it in the admin.
    """

    class Kind(models.TextChoices):
        ACCOUNT = "account", "Account"
        ADDRESS = "address", "Client address"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(
        max_length=150, help_text="The user name as typed (lower-cased) or the client address."
    )
    failures = models.PositiveIntegerField(help_text="Wrong passwords that led to the lockout.")
    locked_at = models.DateTimeField(default=timezone.now)
    locked_until = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.CharField(
        max_length=150, blank=True, help_text="Who lifted it early (user name)."
    )

    class Meta:
        ordering = ["-locked_at"]
        indexes = [models.Index(fields=["key", "locked_until"], name="lockout_key_until")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key} until {self.locked_until:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None and self.locked_until > timezone.now()
