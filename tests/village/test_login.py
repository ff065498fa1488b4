"""E-mail login through allauth, with a second factor when one is set up."""

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def test_login_with_email_and_password_reaches_home(client, world):
    response = client.post(reverse("account_login"), {"login": "bridge@world.test", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_wrong_password_is_refused_with_a_dutch_message(client, world):
    response = client.post(
        reverse("account_login"), {"login": "bridge@world.test", "password": "wrong-one-123"}
    )
    assert response.status_code == 200
    assert client.get(reverse("home")).status_code == 302
    assert 'role="alert"' in response.content.decode()


def test_with_totp_the_password_alone_does_not_log_in(client, world):
    secret = generate_totp_secret()
    TOTP.activate(world.bridge, secret)
    response = client.post(reverse("account_login"), {"login": "bridge@world.test", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("home")).status_code == 302

    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
