"""Provider calls that move money run on the task queue, after the change that caused them committed."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def send_payment_to_provider(payment_id: int) -> None:
    services.payment_send_to_provider(payment_id=payment_id)


@task()
def send_unsent_payments() -> int:
    """To schedule every few minutes: retries refunds and transfers the provider did not take yet."""
    return services.payments_send_unsent()
