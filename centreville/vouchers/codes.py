"""Voucher codes: fifteen random symbols (75 bits: no one guesses one) and a check symbol (ISO 7064 MOD 33,32)
that catches a mistyped symbol or two swapped ones before any query. Crockford's alphabet leaves out I, L, O
and U; what a person types is read leniently (lower case, spaces, dashes, O for 0, I and L for 1)."""

from __future__ import annotations

import secrets

from stdnum.iso7064 import mod_37_36

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_SYMBOLS = 15
LENGTH = RANDOM_SYMBOLS + 1
_LENIENT = str.maketrans({"O": "0", "I": "1", "L": "1"})


def code_new() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
    return body + mod_37_36.calc_check_digit(body, alphabet=ALPHABET)


def code_read(typed: str) -> str | None:
    """The code a person typed or a QR code held, normalised; None when it cannot be a voucher's code."""
    code = "".join(typed.split()).replace("-", "").upper().translate(_LENIENT)
    if len(code) != LENGTH or any(symbol not in ALPHABET for symbol in code):
        return None
    return code if mod_37_36.is_valid(code, alphabet=ALPHABET) else None


def code_display(code: str) -> str:
    """Four groups of four, as printed and shown: « 7K3M-QX2P-9VTA-H4RC »."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
