import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from reunify.people import rules


@given(born=st.dates(), today=st.dates())
def test_birth_date_in_future_is_a_problem(born, today):
    problem = rules.birth_date_problem(born=born, today=today)
    assert (problem == rules.BIRTH_IN_FUTURE) == (born > today)


def test_unknown_birth_date_is_allowed():
    assert rules.birth_date_problem(born=None, today=dt.date(2026, 1, 1)) is None
