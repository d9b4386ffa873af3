from tests.factories import make_group, make_pupil, make_school
from tracker.auth import class_by_code


def test_class_code_lists_the_pupils(session):
    school = make_school(session)
    group = make_group(session, school)
    pupil = make_pupil(session, group, given_name="Sanne")
    view = class_by_code(session, group.class_code.lower())
    assert [p.id for p in view.pupils] == [pupil.id]
