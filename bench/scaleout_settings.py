"""The production profile as the scale-out rehearsal runs it (`python -m bench.scaleout`): e-mails written as
files in BENCH_MAIL_DIR by a backend as slow as a mail server, lost messages sent again within seconds."""

from config.settings.production import *  # noqa: F403  (the rehearsal changes only what follows)
from config.settings.production import env

EMAIL_BACKEND = "bench.scaleout_mail.SlowFileBackend"
EMAIL_FILE_PATH = env.str("BENCH_MAIL_DIR")
NOTIFICATIONS_LOST_AFTER_SECONDS = env.int("NOTIFICATIONS_LOST_AFTER_SECONDS", default=20)
