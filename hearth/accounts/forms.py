from __future__ import annotations

from django import forms


class SignInForm(forms.Form):
    username = forms.CharField(label="Username", max_length=150)
    password = forms.CharField(label="Password", strip=False)


class CodeForm(forms.Form):
    otp_token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app",
        max_length=6,
        min_length=6,
    )

    def clean_otp_token(self) -> str:
        token = self.cleaned_data["otp_token"].strip().replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError("Enter the 6-digit code, using numbers only")
        return token
