"""Money by side: campaign filings counted once (issue 21, ``../shared/domain/campaign-finance.md``).

Pure, no I/O: the adapters in ``racedesk.sources`` (``netfile``, ``netfile_api``,
``calaccess``, ``sf_ethics``) turn filings into the records of :mod:`.filings`; :mod:`.versions`
keeps each filing's newest version and drops statements whose period another covers;
:mod:`.counted` applies the rules against counting a dollar twice; :mod:`.committees` totals a
committee from its statements; :mod:`.sides` adds committees and independent expenditures up by
side; :mod:`.links` ties committees to contests; :mod:`.reported` keeps figures from the news
apart from filed ones.
"""
