"""Sign-in, sign-out, and the administrator's pages for units and staff accounts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reunify.accounts import permissions, services
from reunify.accounts.forms import SignInForm, StaffCreateForm, StaffForm, UnitForm
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
