"""Organisation boundaries for every model admin: rows, pickers, prefills and filters.

Django's admin draws from several querysets besides `get_queryset`: the choices of foreign-key
and many-to-many fields (also what an add form pre-selects from `?field=<id>`), the label a
raw-id widget prints for a value, and the choices of related-field list filters. Each of them
reads the related model's default manager, which knows nothing about organisations. This mixin
routes every one of them through `common.permissions.visible_rows`, so an administrator page can
show only what the person may see elsewhere in the product. Autocomplete needs no code here: it
asks the related model's admin for its `get_queryset`, which this mixin scopes.

`check_admin_scoping` (a system check) refuses a model admin or inline that does not use the
mixin, so a new admin cannot forget the boundary.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from common import permissions


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id input that names the chosen object only when the person may see it."""

    def __init__(self, rel, admin_site, queryset: QuerySet, attrs=None, using=None) -> None:
        super().__init__(rel, admin_site, attrs, using)
        self.queryset = queryset

    def label_and_url_for_value(self, value: Any) -> tuple[str, str]:
        key = self.rel.get_related_field().name
        try:
            self.queryset.get(**{key: value})
        except (ValueError, TypeError, ObjectDoesNotExist, ValidationError):
            return "", ""
        return super().label_and_url_for_value(value)


class ScopedAdminMixin:
    """Use first in the bases of any `ModelAdmin` or inline (`class X(ScopedAdminMixin, ...)`)."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return permissions.visible_rows(super().get_queryset(request), request.user)

    def _choices(self, db_field, request: HttpRequest, using: str | None = None) -> QuerySet:
        related = db_field.remote_field.model
        ordered = self.get_field_queryset(using, db_field, request)
        return permissions.visible_rows(
            ordered if ordered is not None else related._default_manager.all(), request.user
        )

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs: Any):
        kwargs.setdefault("queryset", self._choices(db_field, request, kwargs.get("using")))
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and type(formfield.widget) is ForeignKeyRawIdWidget:
            formfield.widget = ScopedRawIdWidget(
                db_field.remote_field,
                self.admin_site,
                kwargs["queryset"],
                using=kwargs.get("using"),
            )
        return formfield

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs: Any):
        kwargs.setdefault("queryset", self._choices(db_field, request, kwargs.get("using")))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_list_filter(self, request: HttpRequest):
        """Related-field filters list only values found among the rows the person sees."""
        scoped = []
        for entry in super().get_list_filter(request):
            if isinstance(entry, str) and _is_relation(self.model, entry):
                entry = (entry, admin.RelatedOnlyFieldListFilter)
            scoped.append(entry)
        return scoped


def _is_relation(model, path: str) -> bool:
    try:
        return bool(get_fields_from_path(model, path)[-1].is_relation)
    except (FieldDoesNotExist, admin.utils.NotRelationField):
        return False


def check_admin_scoping(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every registered model admin and each of its inlines must scope by organisation."""
    errors = []
    for model, model_admin in admin.site._registry.items():
        for candidate in [type(model_admin), *getattr(model_admin, "inlines", [])]:
            if not issubclass(candidate, ScopedAdminMixin):
                errors.append(
                    checks.Error(
                        f"{candidate.__module__}.{candidate.__qualname__} (admin of "
                        f"{model._meta.label}) does not limit rows and choices to what the "
                        "person may see.",
                        hint="Put accounts.admin_scope.ScopedAdminMixin first in its bases.",
                        obj=candidate,
                        id="accounts.E001",
                    )
                )
    return errors
