"""Logging in by email address, whatever its case, on the site's login page and the admin's.

Representatives' usernames are their email addresses in lower case; a phone keyboard types
"Lea@Vroom.example". ``user_for_login`` finds the one account an identifier names (its
username, then its email address, case ignored), ``EmailBackend`` authenticates with it,
and ``axes_username`` gives django-axes the same account's name, so that "Lea@…" and
"lea@…" count as one towards the lock-out.
"""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


def normalise_identifier(identifier) -> str:
    """Return a login identifier as it is compared: stripped, in lower case."""
    return str(identifier or "").strip().lower()


def user_for_login(identifier):
    """Return the one account this username or email address names (case ignored), or None.

    A username written exactly wins; then a username or an address, case ignored, when only
    one account has it. Two accounts sharing an address log in by username only.
    """
    identifier = str(identifier or "").strip()
    if not identifier or "\x00" in identifier:
        return None
    users = get_user_model()._default_manager
    exact = users.filter(username=identifier).first()
    if exact is not None:
        return exact
    for lookup in ("username__iexact", "email__iexact"):
        found = list(users.filter(**{lookup: identifier})[:2])
        if len(found) == 1:
            return found[0]
        if found:
            return None
    return None


class EmailBackend(ModelBackend):
    """Django's backend, finding the account by ``user_for_login``."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = user_for_login(username)
        if user is None:
            # Run the hasher anyway, so that timing does not tell which accounts exist.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_username(request, credentials=None) -> str:
    """Return the name django-axes counts failures under (AXES_USERNAME_CALLABLE): the
    account's username when the identifier names one, else the identifier, normalised."""
    if credentials:
        identifier = credentials.get("username")
    else:
        identifier = getattr(request, "POST", {}).get("username")
    user = user_for_login(identifier)
    return normalise_identifier(user.get_username() if user else identifier)


class _EmailLoginMixin:
    """The identifier field of both login forms: "E-mail", for an email keyboard that
    neither capitalises nor corrects."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        field.label = _("Email")
        field.widget = forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
                "inputmode": "email",
                "maxlength": field.max_length,
            }
        )


class LoginForm(_EmailLoginMixin, AuthenticationForm):
    """The site's login form (/accounts/login/)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Enter a correct email address and password."),
    }


class AdminLoginForm(_EmailLoginMixin, AdminAuthenticationForm):
    """The admin's login form."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": _("Enter a correct email address and password for a staff account."),
    }
