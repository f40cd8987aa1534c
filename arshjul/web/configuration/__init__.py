"""The ekonomichef's settings: the årshjul configuration's versions, edited in the browser.

Every edit (meetings, a unit's chef, the YAML itself, a restored version) becomes a proposal that
goes through one flow (`flow.py`): checked as `calendar check` checks, compared field by field,
previewed against the running year, and saved and applied only when the ekonomichef confirms.
"""
