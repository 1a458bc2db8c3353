"""The vouchers' pages for the manage."""
