from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "centreville.core"
    label = "core"
