"""Voucher permissions; the target is a Town."""

import rules

from centreville.accounts.predicates import is_platform_admin
from centreville.towns.predicates import is_elected_official, is_town_manager

# Programmes, their vouchers, the merchants' statements and their payment are the town team's.
rules.add_perm("vouchers.manage_programmes", is_town_manager | is_platform_admin)
# The accounts and the monthly figures are also the council's.
rules.add_perm("vouchers.view_accounts", is_town_manager | is_elected_official | is_platform_admin)
