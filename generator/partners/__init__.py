"""Partner kits: reading one (kit.py: partner.yaml and its files, nothing rendered), checking it (checks.py:
files, templates, card layouts, colours, and the posts its templates render), and making a new one
(scaffold.py, `campaign-gen partner init`). Kits come from outside the organisation: all of it is
treated as untrusted input.
"""
