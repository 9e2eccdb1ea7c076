

def test_see_ya_is_a_goodbye_not_a_yes() -> None:
    from resvoice.language.affirm import is_yes

    assert not is_yes("See ya!") and is_yes("ya, go ahead")
