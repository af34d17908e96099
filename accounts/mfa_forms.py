"""allauth MFA forms with the project's fixes (settings.MFA_FORMS)."""

from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm
from allauth.mfa.totp.internal.auth import TOTP

from tracker.forms import InputGuards


class ActivateTOTPForm(InputGuards, AllauthActivateTOTPForm):
    """Activation also spends its code (A9).

    allauth checks the activation code against the new secret but does not mark it used,
    so the very code typed to turn TOTP on would log in again within the same 30-second
    step. Marking it through allauth's own TOTP helper uses the same cache key login
    checks, so the login form refuses it like any replayed code.
    """

    def clean_code(self) -> Any:
        code = super().clean_code()
        unsaved = Authenticator(user=self.user, type=Authenticator.Type.TOTP)
        TOTP(unsaved)._mark_code_used(code)
        return code
