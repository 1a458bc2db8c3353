"""What the vouchers tell the apps above them (the notifications send the buyer's e-mail)."""

from django.dispatch import Signal

# A sale of vouchers is settled, once its transaction committed: paid and its vouchers issued, or paid and
# given back because the programme's rules refused them meanwhile. Argument: `sale_id`.
voucher_sale_settled = Signal()
