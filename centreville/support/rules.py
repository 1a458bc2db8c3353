"""Who does what in merchants' digital support; the target is a Town unless said otherwise.

- A merchant of the town takes the self-diagnostic for the shops they run, registers for training sessions and
  follows their coaching action.
- The town's digital advisers and its manager (and the platform's administrators) follow every merchant up.
"""

import rules

from centreville.accounts.predicates import is_platform_admin
from centreville.shops.predicates import is_merchant_in_town, runs_shop
from centreville.towns.predicates import is_coaching_expert, is_digital_adviser, is_town_manager

advisers = is_digital_adviser | is_town_manager | is_platform_admin

rules.add_perm("support.take_part", is_merchant_in_town | advisers)
rules.add_perm("support.follow_up", advisers)

# The self-diagnostic: a shop's merchant, or an adviser with (or for) them, takes it; the town team edits the
# town's questionnaire and sheets (the platform's administrators edit the platform's too).
# Targets: a Shop, a Town.
rules.add_perm("support.take_diagnostic", runs_shop | advisers)
rules.add_perm("support.edit_diagnostic", advisers)

# Coaching: the experts of the town (who see only their own pairings, `support.coaching`) and those who
# follow merchants up.
rules.add_perm("support.coach", is_coaching_expert | advisers)
