"""Figures from the ledger: SIE 4, CSV and XLSX exports read into each unit's budget and utfall.

Reading and checking a file is pure (bytes in, figures or a located refusal out); storing an
import and prefilling a form live in `service.py` and `prefill.py`.
"""
