"""Synthetic claim files, made from the programs themselves, for the demo, bench/ and tests.

:func:`generate` makes one program's claims as the cell text officers type, under the
template's headers (the officer's Chinese ones, or the template's column ids). Every
threshold, amount, place and list a claim is made to meet or to miss is read from the
program: its template (columns, choices) and its parameters in force (``goji_broker.yaml``'s
destination places, least and most months, working age …), so a changed parameter file
changes the claims made, and each row still gets the outcome it was made for. A
:class:`Mix` says what a batch is made of (the default is what an officer meets):

- eligible rows, the rest;
- ineligible rows (12%), each for one named condition of the rule, every condition in
  turn (goji: 户籍 outside the home province, not 农牧民, a destination outside the
  prefecture, one day short of the least months, exactly the most months, under age);
- invalid rows (5%), each of a named kind (:mod:`~subsidies.demo.synthetic.mix`: a wrong
  身份证号 check character, a 身份证号 Excel turned into 6.30102E+17, a 统一社会信用代码
  with an O for a 0, 2024-02-30, a blank required cell, an end date before the start, a
  申请编号 entered twice, and a program's own);
- duplicates (5%): a later row with the one-time key of an earlier eligible row;
- with ``earlier`` (a frame this function returned before for the same program), rows
  repeating a one-time key of one of its eligible rows (5%), so cross-batch screening has
  something to find; programs without keys resubmit an earlier claim under its 申请编号.

The same arguments give the same frame (seeded). Each row's intended outcome is kept in
``frame.attrs["intent"]``; :func:`cases` lists a program's named kinds. :func:`write_sheet`
writes a frame as officers keep the file. The layout mirrors ``calculators/programs``: a
program's generator is ``programs/<jurisdiction>/<rule>.py``.
"""

from subsidies.demo.synthetic.generate import BANK_ACCOUNT, SERIAL, Rows, cases, generate, keyed
from subsidies.demo.synthetic.mix import ALL_ELIGIBLE, USUAL, Mix
from subsidies.demo.synthetic.programs import PROGRAMS
from subsidies.demo.synthetic.sheet import write_sheet

__all__ = [
    "ALL_ELIGIBLE",
    "BANK_ACCOUNT",
    "PROGRAMS",
    "SERIAL",
    "USUAL",
    "Mix",
    "Rows",
    "cases",
    "generate",
    "keyed",
    "write_sheet",
]
