"""Home: my work — overdue, due this week, in progress — with real counts."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from common.queries.my_work import load_my_work


@login_required
def home(request):
    return render(request, "common/home.html", {"nav": "home", "work": load_my_work(request.user)})
