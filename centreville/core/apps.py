from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "centreville.core"
    label = "core"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deployment checks)
        from .audit import register_audited_models

        register_audited_models()
