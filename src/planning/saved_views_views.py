"""Saved view pages: the list, save (new), edit/share, delete, pin, default, open by URL."""

from __future__ import annotations

from urllib.parse import parse_qsl

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common import permissions

from . import saved_views
from .models import SavedView


class SavedViewForm(forms.ModelForm):
    query = forms.CharField(
        required=False,
        widget=forms.HiddenInput,
        max_length=8000,
        help_text="The page's filters, columns, sort and grouping as a query string.",
    )

    class Meta:
        model = SavedView
        fields = ["name", "view_type", "visibility", "team"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        teams = permissions.visible_teams(user).filter(organization_id=user.organization_id)
        if not permissions.manages(user, user.organization_id or 0):
            teams = teams.filter(memberships__user=user)
        self.fields["team"].queryset = teams.order_by("name")
        self.fields["team"].required = False
        self.fields["team"].help_text = "Only for “My teams”."

    def clean_query(self) -> dict[str, list[str]]:
        raw = self.cleaned_data.get("query") or ""
        data = QueryDict(mutable=True)
        for key, value in parse_qsl(raw.lstrip("?"), keep_blank_values=False):
            data.appendlist(key, value)
        return saved_views.clean_params(data)


def _visible(request: HttpRequest, pk: int) -> SavedView:
    return get_object_or_404(saved_views.visible_views(request.user), pk=pk)


def _form_errors(form: forms.Form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


@login_required
@require_GET
def view_list(request: HttpRequest) -> HttpResponse:
    views = list(saved_views.views_with_defaults(request.user))
    for view in views:
        view.url = saved_views.target_url(view)
        view.can_change = saved_views.can_change(request.user, view)
        view.can_pin = saved_views.can_pin(request.user, view)
    return render(request, "planning/views_list.html", {"nav": "views", "views": views})


@login_required
@require_http_methods(["GET", "POST"])
def view_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SavedViewForm(request.POST, user=request.user)
    else:
        view_type = request.GET.get("type", "board")
        query = request.GET.copy()
        query.pop("type", None)
        form = SavedViewForm(
            initial={
                "view_type": view_type if view_type in SavedView.ViewType.values else "board",
                "query": query.urlencode(),
            },
            user=request.user,
        )
    return _save(request, form, SavedView(), status_on_get=200)


@login_required
@require_http_methods(["GET", "POST"])
def view_edit(request: HttpRequest, pk: int) -> HttpResponse:
    view = _visible(request, pk)
    if not saved_views.can_change(request.user, view):
        raise PermissionDenied("Only the person who saved this view (or a manager) may change it.")
    if request.method == "POST":
        form = SavedViewForm(request.POST, instance=view, user=request.user)
    else:
        form = SavedViewForm(
            instance=view, initial={"query": saved_views.query_string(view)}, user=request.user
        )
    return _save(request, form, view, status_on_get=200)


def _save(request: HttpRequest, form: SavedViewForm, view: SavedView, status_on_get: int):
    if request.method == "POST" and form.is_valid():
        view = form.save(commit=False)
        view.params = form.cleaned_data["query"]
        try:
            saved_views.save_view(request.user, view)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"Saved the view “{view.name}”.")
            return redirect(saved_views.target_url(view))
    status = 400 if request.method == "POST" else status_on_get
    return render(
        request,
        "planning/view_form.html",
        {"nav": "views", "form": form, "view": view if view.pk else None},
        status=status,
    )


@login_required
@require_GET
def view_open(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect(saved_views.target_url(_visible(request, pk)))


@login_required
@require_POST
def view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    view = _visible(request, pk)
    saved_views.delete_view(request.user, view)
    messages.success(request, f"Deleted the view “{view.name}”.")
    return redirect("planning:views")


@login_required
@require_POST
def view_pin(request: HttpRequest, pk: int) -> HttpResponse:
    view = _visible(request, pk)
    pinned = request.POST.get("pinned") == "1"
    saved_views.set_pinned(request.user, view, pinned)
    messages.success(
        request, f"“{view.name}” is {'pinned for everyone' if pinned else 'no longer pinned'}."
    )
    return redirect("planning:views")


@login_required
@require_POST
def view_default(request: HttpRequest, pk: int) -> HttpResponse:
    view = _visible(request, pk)
    on = request.POST.get("default") == "1"
    saved_views.set_default(request.user, view, on)
    label = view.get_view_type_display()
    messages.success(
        request,
        f"“{view.name}” opens when you go to {label} without filters."
        if on
        else f"{label} opens without a default view.",
    )
    return redirect("planning:views")
