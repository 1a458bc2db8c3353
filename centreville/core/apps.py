from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "centreville.core"
    label = "core"

    def ready(self) -> None:
        # Registers the deployment checks; connects to the task queue's signals (request id, slow queries).
        from . import checks, receivers  # noqa: F401  (imported for what importing them registers)
        from .audit import register_audited_models

        register_audited_models()
