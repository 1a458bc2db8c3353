"""The e-mail to a buyer of the town's vouchers: the link of each voucher once paid, or why it was refunded.

The vouchers app says a sale is settled through its signal, once committed; the receiver here only queues
a task, and the worker renders the message (in the buyer's language, every link absolute) and records it
through `notifications_queue`, whose key makes a second run add nothing. Connected when this module is
imported (the notifications app imports it when ready).
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from centreville.core.channels import Channel
from centreville.core.links import absolute_url
from centreville.vouchers.codes import code_display
from centreville.vouchers.ledger import euros
from centreville.vouchers.models import Sale, SaleStatus
from centreville.vouchers.signals import voucher_sale_settled

from .messages import Message
from .models import Audience
from .services import _enqueue, notifications_queue

TIMEZONE = "Europe/Paris"


@receiver(voucher_sale_settled, dispatch_uid="notifications.voucher_sale_settled")
def voucher_sale_step(sender: Any, *, sale_id: int, **kwargs: Any) -> None:
    _enqueue(announce_voucher_sale, sale_id)


@task()
def announce_voucher_sale(sale_id: int) -> int:
    return notifications_queue(messages=voucher_sale_messages(sale_id=sale_id))


def voucher_wallet_url(town_slug: str, code: str) -> str:
    """A voucher's page in the buyer's phone: its QR code and balance."""
    return absolute_url(reverse("vouchers_public:wallet", args=[town_slug, code]))


def voucher_sale_messages(*, sale_id: int) -> list[Message]:
    """The buyer's e-mail for a settled sale (none while it is pending, or if it is gone)."""
    sale = Sale.objects.select_related("programme", "town").filter(pk=sale_id).first()
    if sale is None or sale.status not in (SaleStatus.PAID, SaleStatus.REFUNDED):
        return []
    town_slug = sale.town.slug
    context = {
        "sale": sale,
        "programme": sale.programme,
        "paid": sale.status == SaleStatus.PAID,
        "amount": euros(sale.amount_cents),
        "face_value": euros(sale.face_value_cents),
        "vouchers": [
            {"code": code_display(voucher.code), "url": voucher_wallet_url(town_slug, voucher.code)}
            for voucher in sale.vouchers
        ],
        "sale_url": absolute_url(reverse("vouchers_purchase:sale", args=[town_slug, sale.token])),
        "invoice_url": absolute_url(reverse("vouchers_purchase:invoice", args=[town_slug, sale.token]))
        if sale.invoice_number
        else "",
        "platform": settings.PLATFORM_NAME,
    }
    language = sale.language if sale.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language), timezone.override(TIMEZONE):
        subject = " ".join(render_to_string("notifications/vouchers/sale_subject.txt", context).split())
        body = render_to_string("notifications/vouchers/sale_email.txt", context).strip()
    return [
        Message(
            key=f"voucher-sale:{sale.pk}:{sale.status}:buyer",
            kind=f"voucher_sale_{sale.status}"[:30],
            audience=Audience.CUSTOMER,
            channel=Channel.EMAIL,
            recipient=sale.email,
            subject=subject[:250],
            body=re.sub(r"\n{3,}", "\n\n", body) + "\n",
            order_id=None,  # a sale of vouchers is named in the key
        )
    ]
