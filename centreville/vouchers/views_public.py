"""The vouchers' pages for the public."""
