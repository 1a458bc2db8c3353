"""Reads of the vouchers for pages: plain data. One section per audience."""

from __future__ import annotations
