"""The representatives' space: their companies, profiles, contacts, team and invitations."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import services
from ..forms import AcceptInvitationForm, ContactForm, InvitationForm, ProfileForm
from ..models import Company, ProfileRevision, Representative
from ..throttle import over_limit


def represented_company(request, slug, *, admin=False):
    """Return the company if this user may edit it (or administer it); 404 otherwise."""
    if admin:
        return get_object_or_404(Company.objects.administered_by(request.user), slug=slug)
    return get_object_or_404(Company.objects.editable_by(request.user), slug=slug)


def is_company_admin(company, user):
    return company.representatives.filter(user=user, role=Representative.Role.ADMIN).exists()


@login_required
def my_companies(request):
    representations = (
        Representative.objects.filter(user=request.user)
        .select_related("company")
        .order_by("company__trade_name")
    )
    return render(request, "members/my/companies.html", {"representations": representations})


@login_required
@require_http_methods(["GET", "POST"])
def my_profile(request, slug):
    company = represented_company(request, slug)
    pending = services.pending_values(company)
    form_instance = Company.objects.get(pk=company.pk)  # the form may change it; never saved
    form = ProfileForm(
        request.POST or None, request.FILES or None, instance=form_instance, pending=pending
    )
    if request.method == "POST" and form.is_valid():
        try:
            revision = services.profile_submit(
                company=company,
                user=request.user,
                data=form.cleaned_data,
                logo=form.cleaned_data["new_logo"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if revision:
                messages.success(
                    request, _("Thank you. Your change is pending review by the cluster's staff.")
                )
            elif form.has_changed() or form.cleaned_data["new_logo"]:
                messages.success(request, _("Your change is online."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("members:my-profile", slug=company.slug)
    latest = company.revisions.exclude(status=ProfileRevision.Status.SUPERSEDED).first()
    return render(
        request,
        "members/my/profile.html",
        {
            "company": company,
            "form": form,
            "latest_revision": latest,
            "pending_logo": pending.get("logo") if pending.get("logo") != company.logo.name else "",
            "moderated": settings.CITE_MODERATE_PROFILES,
            "is_admin": is_company_admin(company, request.user),
        },
    )


@login_required
def my_contacts(request, slug):
    company = represented_company(request, slug)
    return render(
        request,
        "members/my/contacts.html",
        {"company": company, "contacts": company.contacts.all()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_contact_edit(request, slug, pk=None):
    company = represented_company(request, slug)
    contact = get_object_or_404(company.contacts, pk=pk) if pk else None
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        contact = form.save(commit=False)
        contact.company = company
        contact.approved = not settings.CITE_MODERATE_PROFILES
        contact.save()
        if settings.CITE_MODERATE_PROFILES and contact.public_consent:
            messages.success(request, _("Contact saved. It will appear publicly once approved."))
        else:
            messages.success(request, _("Contact saved."))
        return redirect("members:my-contacts", slug=company.slug)
    return render(
        request,
        "members/my/contact_form.html",
        {"company": company, "form": form, "contact": contact},
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_contact_delete(request, slug, pk):
    company = represented_company(request, slug)
    contact = get_object_or_404(company.contacts, pk=pk)
    if request.method == "POST":
        contact.delete()
        messages.success(request, _("Contact %(name)s deleted.") % {"name": contact})
        return redirect("members:my-contacts", slug=company.slug)
    return render(
        request, "members/my/contact_delete.html", {"company": company, "contact": contact}
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_team(request, slug):
    company = represented_company(request, slug, admin=True)
    form = InvitationForm(request.POST or None, company=company)
    if (
        request.method == "POST"
        and form.is_valid()
        and over_limit(f"invitations:{company.pk}", limit=settings.CITE_INVITATIONS_PER_HOUR)
    ):
        form.add_error(
            None,
            _("This company sent %(count)d invitations in the last hour; try again later.")
            % {"count": settings.CITE_INVITATIONS_PER_HOUR},
        )
    if request.method == "POST" and form.is_valid():
        services.invitation_send(
            company=company,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            invited_by=request.user,
            site_url=request.build_absolute_uri("/"),
        )
        messages.success(
            request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
        )
        return redirect("members:my-team", slug=company.slug)
    return render(
        request,
        "members/my/team.html",
        {
            "company": company,
            "form": form,
            "representatives": company.representatives.select_related("user"),
            "invitations": company.invitations.filter(accepted_at__isnull=True),
        },
    )


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    try:
        invitation = services.invitation_from_token(token)
    except services.InvitationError as error:
        return render(request, "members/my/invitation_invalid.html", {"error": error}, status=400)
    existing = get_user_model().objects.filter(email__iexact=invitation.email).first()
    if existing and request.user != existing:
        # The address has an account already: the person proves it by logging in.
        login_url = reverse("login") + "?next=" + request.path
        return render(
            request,
            "members/my/invitation_login.html",
            {"invitation": invitation, "login_url": login_url},
        )
    form = None if existing else AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and (existing or form.is_valid()):
        try:
            user = services.invitation_accept(
                invitation=invitation,
                user=existing,
                first_name=form.cleaned_data["first_name"] if form else "",
                last_name=form.cleaned_data["last_name"] if form else "",
                password=form.cleaned_data["password1"] if form else None,
            )
        except services.InvitationError as error:
            return render(
                request, "members/my/invitation_invalid.html", {"error": error}, status=400
            )
        if not existing:
            login(request, user, backend="members.auth.EmailBackend")
        messages.success(
            request,
            _("Welcome. You now keep the profile of %(company)s.")
            % {"company": invitation.company},
        )
        return redirect("members:my-profile", slug=invitation.company.slug)
    return render(
        request, "members/my/invitation_accept.html", {"invitation": invitation, "form": form}
    )
