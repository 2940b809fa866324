"""Sign-in, sign-out, and the administrator's pages for units and staff accounts."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reunify.accounts import permissions, second_factor, services
from reunify.accounts.forms import (
    SecondFactorForm,
    SecondFactorSetupForm,
    SignInForm,
    StaffCreateForm,
    StaffForm,
    UnitForm,
)
from reunify.core.concurrency import StaleEditError
from reunify.core.forms_errors import apply_errors
from reunify.core.views import authorize


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        services.sign_in_recorded(user=form.get_user())
        return response

    def form_invalid(self, form):
        services.sign_in_failed(username=self.request.POST.get("username", ""))
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post"]


def _next(request: HttpRequest) -> str:
    """Where to go after the second factor: a path on this site only."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan, then confirm with a code; recovery codes shown once."""
    if request.user.is_verified():
        return redirect(_next(request))
    device = second_factor.pending_totp(request.user)
    form = SecondFactorSetupForm(request.POST or None)
    codes: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            codes = second_factor.confirm_setup(
                request=request, user=request.user, token=form.cleaned_data["token"]
            )
        except ValidationError as error:
            apply_errors(error, form)
    context = {
        "form": form,
        "codes": codes,
        "next": _next(request),
        "qr_svg": second_factor.setup_qr_svg(device),
        "secret": second_factor.secret_for_typing(device),
    }
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "accounts/second_factor_setup.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_check(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():
        return redirect(_next(request))
    if second_factor.confirmed_totp(request.user) is None:
        return redirect(f"{resolve_url('accounts:second-factor-setup')}?next={_next(request)}")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            second_factor.verify(request=request, user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            apply_errors(error, form)
        else:
            return redirect(_next(request))
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request,
        "accounts/second_factor.html",
        {"form": form, "next": _next(request)},
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def staff_list(request: HttpRequest) -> HttpResponse:
    authorize(request, permissions.can_manage_staff(request.user), action="staff.list")
    staff = (
        permissions.staff_visible_to(request.user)
        .select_related("unit")
        .order_by("last_name", "first_name")
    )
    units = permissions.units_visible_to(request.user).order_by("name")
    return render(request, "accounts/staff_list.html", {"staff": staff, "units": units})


@login_required
@require_http_methods(["GET", "POST"])
def staff_create(request: HttpRequest) -> HttpResponse:
    authorize(request, permissions.can_manage_staff(request.user), action="staff.create")
    units = permissions.units_visible_to(request.user)
    form = StaffCreateForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.staff_create(
                actor=request.user,
                agency=request.user.agency,
                username=data["username"],
                password=data["password"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=data["role"],
                unit=data["unit"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Account created."))
            return redirect("accounts:staff-list")
    return render(
        request,
        "accounts/staff_form.html",
        {"form": form, "creating": True},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    authorize(request, permissions.can_manage_staff(request.user), action="staff.edit")
    staff = get_object_or_404(permissions.staff_visible_to(request.user), pk=pk)
    units = permissions.units_visible_to(request.user)
    initial = {f: getattr(staff, f) for f in services.STAFF_FIELDS} | {"version": staff.version}
    form = StaffForm(request.POST or None, initial=initial, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.staff_update(
                actor=request.user,
                staff=staff,
                expected_version=data["version"],
                **{f: data[f] for f in services.STAFF_FIELDS},
            )
        except (ValidationError, StaleEditError) as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Account updated."))
            return redirect("accounts:staff-list")
    context = {"form": form, "staff_member": staff, "creating": False}
    return render(
        request,
        "accounts/staff_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    authorize(request, permissions.can_manage_staff(request.user), action="unit.create")
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_create(
                actor=request.user, agency=request.user.agency, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Unit created."))
            return redirect("accounts:staff-list")
    return render(
        request,
        "accounts/unit_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    authorize(request, permissions.can_manage_staff(request.user), action="unit.edit")
    unit = get_object_or_404(permissions.units_visible_to(request.user), pk=pk)
    form = UnitForm(request.POST or None, initial={"name": unit.name, "version": unit.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_rename(
                actor=request.user,
                unit=unit,
                expected_version=form.cleaned_data["version"] or 0,
                name=form.cleaned_data["name"],
            )
        except (ValidationError, StaleEditError) as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Unit renamed."))
            return redirect("accounts:staff-list")
    return render(
        request,
        "accounts/unit_form.html",
        {"form": form, "unit": unit},
        status=400 if request.method == "POST" else 200,
    )
