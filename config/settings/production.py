"""Profile for a real deployment: DEBUG off, secrets and hosts from the environment, HTTPS enforced."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Every absolute link (messages, QR codes, canonical URLs) is built on it: no default in production.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Never here, whatever the environment says: "paying" with the fake provider moves no money.
PAYMENT_FAKE_ALLOWED = False

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Served behind one reverse proxy (see the README) unless told otherwise: see TRUSTED_PROXY_COUNT in base.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# The web server refuses to start on an error of `manage.py check --deploy` (fake payments, an http://
# public address, e-mail that goes nowhere…): see centreville.core.startup.
CHECK_DEPLOYMENT_AT_STARTUP = True
