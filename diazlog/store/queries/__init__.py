"""The diary's rows: one module per thing recorded (days, medicines, taper plans, questions,
appointments, drafts) and the reads the screens, reports and flags need.

Queries take an open sqlite_utils Database from `diazlog.store.file` and return domain
dataclasses; they may import `diazlog.store.file` and `diazlog.domain`, never Textual, a screen,
a command or the report.
"""
