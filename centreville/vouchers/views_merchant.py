"""The vouchers' pages for the merchant."""
