"""The case after filing: the filing record and receipt, the case log, requests for evidence and their response
packets, amendments, the decision and its conditions, reports, deadlines (iCal feed, reminders), counsel's caseload,
re-parole and the closing report.

``summary`` loads a case in a few queries and ``deadlines`` computes every date from it (and the filing facts);
views and panels read those two, never the models one by one.
"""
