from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from work.evidence import component_tick, evidence_add, link_add, nil_statement_set
from work.models import Assignment, AssignmentRole, Evidence, State, Submission, Transition
from work.workflow import Conflict, allowed_moves, submission_move

from .conftest import make_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def submission(year, code, key=None):
    queryset = Submission.objects.filter(unit_year=year, item__code=code).select_related(
        "item", "unit_year__unit"
    )
    return queryset.get(key=key) if key else queryset.first()


def prepare(world, sub, files=(("r.pdf", "pdf"), ("r.docx", "docx"), ("p.jpg", "jpg"))):
    for name, kind in files:
        evidence_add(submission=sub, actor=world.officer, upload=make_file(name, kind))
    for component in sub.item.components.all():
        component_tick(submission=sub, actor=world.officer, component=component, done=True)


def move(world, sub, persona, name, **kwargs):
    sub.refresh_from_db()
    return submission_move(
        submission=sub,
        actor=getattr(world, persona),
        move=name,
        expected_version=sub.version,
        **kwargs,
    )


def test_the_whole_way_from_draft_to_published(world, year):
    sub = submission(year, "O7", "2023-10")
    prepare(world, sub)
    move(world, sub, "officer", "submit")
    move(world, sub, "controller", "check")
    move(world, sub, "chief", "approve")
    link_add(submission=sub, actor=world.secretary, url="https://a.example.go.th/news/1")
    done = move(world, sub, "secretary", "publish", published_on=dt.date(2023, 11, 3))
    assert (done.state, done.published_on, done.version) == (
        State.PUBLISHED,
        dt.date(2023, 11, 3),
        4,
    )
    steps = list(
        Transition.objects.filter(submission=sub).values_list(
            "from_state", "to_state", "actor__username"
        )
    )
    assert steps == [
        ("draft", "submitted", "officer"),
        ("submitted", "checked", "controller"),
        ("checked", "approved", "chief"),
        ("approved", "published", "secretary"),
    ]
    assert sub.links.get().on_main_site


MATRIX = {
    # state -> persona -> the moves they may make (officer prepares, controller controls,
    # chief checks and approves, secretary publishes; the others may do nothing). Once
    # approved the evidence is frozen: the publisher publishes but cannot send it back; only
    # the chief returns it, and once published reopens it.
    State.DRAFT: {"officer": ["submit"]},
    State.SUBMITTED: {"controller": ["check", "return"], "chief": ["return"]},
    State.CHECKED: {"chief": ["approve", "return"]},
    State.APPROVED: {"chief": ["return"], "secretary": ["publish"]},
    State.PUBLISHED: {"chief": ["reopen"]},
}


@pytest.mark.parametrize("state", list(MATRIX))
def test_only_the_right_role_may_move(world, year, state):
    sub = submission(year, "O7", "2023-10")
    Submission.objects.filter(pk=sub.pk).update(state=state)
    sub.refresh_from_db()
    for persona in (
        "secretary",
        "chief",
        "controller",
        "officer",
        "other_officer",
        "overseer",
        "admin",
    ):
        assert allowed_moves(getattr(world, persona), sub) == MATRIX[state].get(persona, []), (
            persona
        )
        for name in ("submit", "check", "approve", "publish", "return"):
            if name in MATRIX[state].get(persona, []):
                continue
            with pytest.raises(PermissionDenied):
                move(world, sub, persona, name, note="x", published_on=dt.date(2024, 1, 1))
    sub.refresh_from_db()
    assert sub.state == state and not Transition.objects.exists()


def test_without_a_controller_the_chief_approves_straight_from_submitted(world, year):
    sub = submission(year, "O18")
    Assignment.objects.filter(
        unit_year=year, item=sub.item, role=AssignmentRole.CONTROLLER
    ).delete()
    Submission.objects.filter(pk=sub.pk).update(state=State.SUBMITTED)
    sub.refresh_from_db()
    assert allowed_moves(world.chief, sub) == ["approve", "return"]
    assert move(world, sub, "chief", "approve").state == State.APPROVED


def test_return_needs_a_note_and_goes_back_to_draft(world, year):
    sub = submission(year, "O7", "2023-10")
    Submission.objects.filter(pk=sub.pk).update(state=State.CHECKED)
    with pytest.raises(ValidationError, match="the note is required"):
        move(world, sub, "chief", "return", note="  ")
    back = move(world, sub, "chief", "return", note="ขาดภาพกิจกรรม")
    assert back.state == State.DRAFT
    assert Transition.objects.get().note == "ขาดภาพกิจกรรม"


def test_the_rules_say_exactly_what_is_missing(world, year):
    sub = submission(year, "O7", "2023-10")
    evidence_add(submission=sub, actor=world.officer, upload=make_file("r.pdf", "pdf"))
    with pytest.raises(ValidationError) as error:
        move(world, sub, "officer", "submit")
    messages = error.value.messages
    assert "O7 needs files of these types: PDF + DOCX." in messages
    assert "O7 needs photos." in messages
    assert any(m.startswith("O7: tick the components done: 1, 2, 3, 4") for m in messages)
    sub.refresh_from_db()
    assert sub.state == State.DRAFT and not Transition.objects.exists()


def test_at_least_three_news_items(world, year):
    from oit_items.models import Item

    item = Item.objects.get(scheme=year.scheme, code="O19")
    sub = Submission.objects.create(
        unit_year=year, item=item, key="event-1", event_title="ข่าว", due_on=dt.date(2024, 3, 31)
    )
    prepare(world, sub, files=(("p.png", "png"),))
    link_add(submission=sub, actor=world.officer, url="https://a.example.go.th/n/1")
    with pytest.raises(ValidationError) as error:
        move(world, sub, "officer", "submit")
    assert error.value.messages == [
        "O19 needs at least 3 items of evidence (files or links); it has 2."
    ]
    link_add(submission=sub, actor=world.officer, url="https://facebook.com/a/posts/2")
    assert move(world, sub, "officer", "submit").state == State.SUBMITTED
    assert not sub.links.get(url__contains="facebook").on_main_site


def test_a_nil_statement_is_a_legal_submission_where_allowed(world, year):
    o15 = submission(year, "O15", "2023-10")
    nil_statement_set(submission=o15, actor=world.officer, nil=True)
    assert move(world, o15, "officer", "submit").state == State.SUBMITTED
    o7 = submission(year, "O7", "2023-10")
    with pytest.raises(ValidationError, match="does not allow a nil statement"):
        nil_statement_set(submission=o7, actor=world.officer, nil=True)


def test_a_stale_version_is_a_conflict(world, year):
    sub = submission(year, "O7", "2023-10")
    Submission.objects.filter(pk=sub.pk).update(state=State.CHECKED)
    sub.refresh_from_db()
    version = sub.version
    submission_move(submission=sub, actor=world.chief, move="approve", expected_version=version)
    with pytest.raises(Conflict, match="Someone else changed"):
        submission_move(
            submission=sub, actor=world.chief, move="return", expected_version=version, note="x"
        )
    assert Transition.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_approve_and_return_at_the_same_moment_one_wins(world, year):
    sub = submission(year, "O7", "2023-10")
    Submission.objects.filter(pk=sub.pk).update(state=State.CHECKED)
    sub.refresh_from_db()
    version, barrier, outcomes = sub.version, threading.Barrier(2), []

    def act(persona, name, note=""):
        try:
            barrier.wait()
            submission_move(
                submission=sub,
                actor=getattr(world, persona),
                move=name,
                expected_version=version,
                note=note,
            )
            outcomes.append((name, "ok"))
        except Conflict:
            outcomes.append((name, "conflict"))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=("chief", "approve")),
        threading.Thread(target=act, args=("chief", "return", "ไม่ครบ")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(result for _name, result in outcomes) == ["conflict", "ok"]
    winner = next(name for name, result in outcomes if result == "ok")
    sub.refresh_from_db()
    assert sub.state == (State.APPROVED if winner == "approve" else State.DRAFT)
    assert sub.version == version + 1
    assert Transition.objects.filter(submission=sub).count() == 1


class TestEvidence:
    def test_the_type_comes_from_the_content(self, world, year):
        sub = submission(year, "O7", "2023-10")
        kept = evidence_add(
            submission=sub, actor=world.officer, upload=make_file("report.docx", "docx")
        )
        assert (kept.file_type, kept.kind, kept.original_name) == ("docx", "file", "report.docx")
        assert len(kept.sha256) == 64 and kept.file.read().startswith(b"PK")
        photo = evidence_add(
            submission=sub, actor=world.officer, upload=make_file("ภาพ.JPG", "jpg"), caption="ป้าย"
        )
        assert photo.kind == Evidence.Kind.PHOTO

    @pytest.mark.parametrize(
        ("name", "kind", "reason"),
        [
            ("report.pdf", "docx", "is really a DOCX file"),
            ("sheet.xlsx", "pdf", "is really a PDF file"),
            ("photo.png", "jpg", "is really a JPG file"),
            ("notes.txt", "pdf", "is really a PDF file"),
        ],
    )
    def test_a_file_that_is_not_what_its_name_says_is_refused(
        self, world, year, name, kind, reason
    ):
        sub = submission(year, "O7", "2023-10")
        with pytest.raises(ValidationError, match=reason):
            evidence_add(submission=sub, actor=world.officer, upload=make_file(name, kind))
        assert not Evidence.objects.exists()

    def test_unknown_content_and_size_limit(self, world, year, settings):
        import io

        sub = submission(year, "O7", "2023-10")
        text = io.BytesIO(b"just text")
        text.name = "fake.pdf"
        with pytest.raises(ValidationError, match="is not a PDF, Word"):
            evidence_add(submission=sub, actor=world.officer, upload=text)
        settings.EVIDENCE_MAX_BYTES = 10
        with pytest.raises(ValidationError, match="larger than"):
            evidence_add(submission=sub, actor=world.officer, upload=make_file("r.docx", "docx"))
        assert not Evidence.objects.exists()

    @pytest.mark.parametrize(
        "persona", ["chief", "controller", "secretary", "other_officer", "overseer"]
    )
    def test_only_the_preparer_adds_evidence_to_a_draft(self, world, year, persona):
        sub = submission(year, "O7", "2023-10")
        with pytest.raises(PermissionDenied):
            evidence_add(
                submission=sub, actor=getattr(world, persona), upload=make_file("r.pdf", "pdf")
            )
        with pytest.raises(PermissionDenied):
            link_add(submission=sub, actor=getattr(world, persona), url="https://a.example.go.th/")
        assert not Evidence.objects.exists() and not sub.links.exists()

    def test_links_must_be_http(self, world, year):
        sub = submission(year, "O7", "2023-10")
        for bad in ("ftp://a.example.go.th/x", "javascript:alert(1)", "a.example.go.th"):
            with pytest.raises(ValidationError, match="is not an http or https address"):
                link_add(submission=sub, actor=world.officer, url=bad)
        assert not sub.links.exists()
