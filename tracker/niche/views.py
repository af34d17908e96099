from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthedRequest
from tracker.niche.forms import ContactForm, InteractionForm
from tracker.niche.models import QUESTION_TEMPLATES, Contact, Interaction
from tracker.niche.services import follow_ups, mark_replied
from tracker.weeks import week_of


@login_required
@require_http_methods(["GET", "POST"])
def contact_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = ContactForm(request.POST or None, owner=user)
    if request.method == "POST" and form.is_valid():
        contact = form.save()
        return redirect(contact)
    contacts = (
        Contact.objects.owned_by(user)
        .select_related("topic")
        .annotate(
            asked=Count("interactions"),
            answered=Count("interactions", filter=Q(interactions__replied=True)),
            last_touch=Max(Coalesce("interactions__replied_on", "interactions__date")),
        )
    )
    today = user.local_today()
    week = week_of(today, user.week_start)
    context = {
        "contacts": contacts,
        "form": form,
        "due": follow_ups(user, week.end),
        "templates": QUESTION_TEMPLATES,
    }
    return render(request, "niche/contact_list.html", context, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def contact_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact, pk=pk, owner=request.user)
    user = request.user
    if request.method == "POST" and "name" in request.POST:
        edit = ContactForm(request.POST, instance=contact, owner=user)
        form = InteractionForm(owner=user, contact=contact)
        if edit.is_valid():
            edit.save()
            return redirect(contact)
    else:
        edit = ContactForm(instance=contact, owner=user)
        form = InteractionForm(request.POST or None, owner=user, contact=contact)
        if request.method == "POST" and form.is_valid():
            interaction = form.save()
            if interaction.replied:
                Contact.objects.filter(pk=contact.pk).update(follow_up_on=None)
            return redirect(contact)
    interactions = contact.interactions.select_related("paper", "replication__paper", "project")
    context = {
        "contact": contact,
        "interactions": interactions,
        "form": form,
        "edit": edit,
        "templates": QUESTION_TEMPLATES,
    }
    status = 422 if (form.errors or edit.errors) else 200
    return render(request, "niche/contact_detail.html", context, status=status)


@login_required
@require_POST
def interaction_replied(request: AuthedRequest, pk: int) -> HttpResponse:
    interaction = get_object_or_404(Interaction.objects.owned_by(request.user), pk=pk)
    mark_replied(interaction, request.user.local_today())
    return redirect(interaction.contact)
