from __future__ import annotations

from django import forms


class SignInForm(forms.Form):
    username = forms.CharField(label="Username", max_length=150,
                               error_messages={"required": "Enter your username",
                                               "max_length": "Enter your username; it is 150 characters or fewer"})
    password = forms.CharField(label="Password", strip=False, error_messages={"required": "Enter your password"})


class CodeForm(forms.Form):
    otp_token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app",
        max_length=20,
        error_messages={"required": "Enter the 6-digit security code from your authenticator app"},
    )

    def clean_otp_token(self) -> str:
        # Apps show the code in two groups ("123 456"); both forms are fine.
        token = self.cleaned_data["otp_token"].replace(" ", "").replace("-", "")
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError("Enter the 6-digit security code, using numbers only")
        return token
