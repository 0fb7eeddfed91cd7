"""Every dialog (a `ModalScreen`) of the app, on one `Dialog` base that carries the frame.

base.py: the frame, escape to cancel, the title; form.py: a dialog of labelled fields;
confirm.py: the one yes / no question; the rest by the screen that opens them (day: Today,
doctor: Doctor, medicine: Medicines, symptom and conflict: Today). Dialogs import from
domain/, store/ and widgets/, never from screens/.
"""
