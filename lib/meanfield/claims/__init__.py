"""The code behind the page *Checking the text*: one function per claim of the source.

Each row of the page (``book/claims/<part>.md``, ID ``Cxx``) states what the
source says, what the book computes and a verdict. The computation behind a
row is a function of this package named after what it checks (never after
the source's exercise numbers), whose docstring starts with the row's ID
(``"C07: ..."``) and which returns a small frozen result dataclass; the test
``tests/test_claims_<part>.py::test_Cxx_...`` checks that the numbers quoted
in the row are the function's. So claim row -> function -> test is one hop
each way: search this package for ``"Cxx:"``.

The topic modules (:mod:`meanfield.kinetic`, :mod:`meanfield.vlasov`,
:mod:`meanfield.mfg`, ...) keep only general tools; what exists only to check
a statement of the source lives here.

Modules (one per part of the page; import the one you need, e.g.
``from meanfield.claims import kinetic``)
----------------------------------------------------------------------------
kinetic
    Kinetic theory: C01-C08, C24, C31-C34.
transport
    Optimal transport and the JKO scheme: C11-C20, C25, C35-C37.
limits
    Mean-field limits and gradient flows: C09, C10, C26, C27, C38-C41.
games
    Mean-field games: C21-C23, C42-C47.
noise
    Common noise and the talk's second half: C28-C30, C48-C52.

The submodules are not imported here: ``import meanfield.claims`` costs
nothing and each part can be loaded on its own.
"""
