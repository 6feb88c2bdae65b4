"""Writing for marketers: outreach drafts, campaign briefs and answers, grounded in data.

- :mod:`app.drafting.facts` gathers what a draft may state (fact sheets, with bases).
- :mod:`app.drafting.grounding` checks every model-written sentence against those facts.
- :mod:`app.drafting.outreach`, :mod:`app.drafting.briefs`, :mod:`app.drafting.answers` compose
  the texts; the model writes only the parts it can, and never the facts.
- :mod:`app.drafting.brandfile` reads a brand profile file.
"""
