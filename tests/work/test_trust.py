"""Evidence you can trust: frozen once approved, removals kept in the history with their bytes
until the purge, dates the documents bear, photos that cannot hurt, ticks kept on submit."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.conftest import require_service
from tests.lib.test_pdf import weasyprint_available
from work.evidence import evidence_add, evidence_purge, evidence_remove, link_add, link_remove
from work.models import Evidence, PublishedLink, Removal, State, Submission, Transition
from work.workflow import submission_move

from .conftest import make_file

pytestmark = pytest.mark.django_db


def o7(year) -> Submission:
    return Submission.objects.select_related("item", "unit_year__unit").get(
        unit_year=year, item__code="O7", key="2023-10"
    )


def bomb_png(width: int = 20000, height: int = 20000) -> io.BytesIO:
    """A few hundred bytes that claim 20000 × 20000 pixels (400 million) when decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 4096)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows)
    upload = io.BytesIO(data + chunk(b"IEND", b""))
    upload.name = "ภาพกิจกรรม.png"
    return upload


def prepared(submission, world) -> None:
    """Everything O7 needs to be submitted, by its preparer."""
    for name, kind in (("report.pdf", "pdf"), ("report.docx", "docx"), ("ภาพ.jpg", "jpg")):
        evidence_add(submission=submission, actor=world.officer, upload=make_file(name, kind))
    link_add(submission=submission, actor=world.officer, url="https://a.example.go.th/o7")
    from work.evidence import checks_save

    checks_save(
        submission=submission,
        actor=world.officer,
        done={c.pk for c in submission.item.components.all()},
        notes={},
        nil=False,
    )


def approve(submission, world) -> Submission:
    for actor, move in (
        (world.officer, "submit"),
        (world.controller, "check"),
        (world.chief, "approve"),
    ):
        submission = submission_move(
            submission=submission, actor=actor, move=move, expected_version=submission.version
        )
    return submission


def test_an_approved_submission_is_frozen_until_the_chief_reopens_it(world, year):
    submission = o7(year)
    prepared(submission, world)
    submission = approve(submission, world)
    approved_file = submission.evidence.first()
    approved_link = submission.links.first()
    before = (Evidence.objects.count(), PublishedLink.objects.count(), Removal.objects.count())
    # Nobody swaps what the chief approved: not the publisher, not the preparer.
    for actor in (world.secretary, world.officer):
        with pytest.raises(PermissionDenied):
            evidence_add(submission=submission, actor=actor, upload=make_file("new.pdf", "pdf"))
        with pytest.raises(PermissionDenied):
            evidence_remove(evidence=approved_file, actor=actor)
        with pytest.raises(PermissionDenied):
            link_remove(link=approved_link, actor=actor)
    assert (Evidence.objects.count(), PublishedLink.objects.count(), Removal.objects.count()) == (
        before
    )
    assert approved_file.file.storage.exists(approved_file.file.name)
    # The publisher records where it is published (adding only), then publishes.
    link_add(submission=submission, actor=world.secretary, url="https://a.example.go.th/o7-pub")
    submission = submission_move(
        submission=submission,
        actor=world.secretary,
        move="publish",
        expected_version=submission.version,
        published_on=dt.date(2024, 3, 18),
    )
    assert submission.state == State.PUBLISHED
    # Reopening needs the chief and a reason, and is a transition like any other.
    with pytest.raises(PermissionDenied):
        submission_move(
            submission=submission,
            actor=world.secretary,
            move="reopen",
            expected_version=submission.version,
            note="x",
        )
    with pytest.raises(ValidationError):
        submission_move(
            submission=submission,
            actor=world.chief,
            move="reopen",
            expected_version=submission.version,
        )
    submission = submission_move(
        submission=submission,
        actor=world.chief,
        move="reopen",
        expected_version=submission.version,
        note="ไฟล์รายงานผิดเดือน ขอเปลี่ยน",
    )
    assert submission.state == State.DRAFT and submission.published_on is None
    last = Transition.objects.filter(submission=submission).last()
    assert (last.from_state, last.to_state, last.actor, last.note) == (
        State.PUBLISHED,
        State.DRAFT,
        world.chief,
        "ไฟล์รายงานผิดเดือน ขอเปลี่ยน",
    )
    # Now the preparer may change the files again.
    evidence_remove(evidence=approved_file, actor=world.officer)
    assert not Evidence.objects.filter(pk=approved_file.pk).exists()


def test_a_removed_file_leaves_a_history_row_and_its_bytes_until_the_purge(world, year, client):
    submission = o7(year)
    evidence = evidence_add(
        submission=submission, actor=world.officer, upload=make_file("report.pdf", "pdf")
    )
    stored = Path(settings.MEDIA_ROOT) / evidence.file.name
    client.force_login(world.officer)
    url = reverse("work:evidence_delete", args=[evidence.pk])
    confirm = client.get(url)  # asks first, with the file's SHA-256
    assert confirm.status_code == 200 and evidence.sha256 in confirm.content.decode()
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert client.post(url).status_code == 302
    removal = Removal.objects.get()
    assert (removal.kind, removal.name, removal.sha256, removal.removed_by) == (
        "file",
        "report.pdf",
        evidence.sha256,
        world.officer,
    )
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert stored.exists()  # the bytes stay
    page = client.get(reverse("work:detail", args=[submission.pk])).content.decode()
    assert "report.pdf" in page and evidence.sha256[:17] in page
    # Within the retention nothing is purged; after it, the bytes go and the row says when.
    assert evidence_purge(now=timezone.now()) == 0 and stored.exists()
    later = timezone.now() + dt.timedelta(days=settings.EVIDENCE_KEEP_REMOVED_DAYS + 1)
    assert evidence_purge(now=later) == 1
    assert not stored.exists()
    removal.refresh_from_db()
    assert removal.purged_at == later


def test_the_purge_keeps_bytes_another_live_file_still_uses(world, year):
    submission = o7(year)
    first = evidence_add(
        submission=submission, actor=world.officer, upload=make_file("a.pdf", "pdf")
    )
    removal = evidence_remove(evidence=first, actor=world.officer)
    # A live row that stores its bytes under the very same name (as a restore would).
    twin = Evidence.objects.create(
        submission=submission,
        file=removal.stored_as,
        original_name="a.pdf",
        file_type="pdf",
        size=first.size,
        sha256=first.sha256,
        uploaded_by=world.officer,
    )
    later = timezone.now() + dt.timedelta(days=settings.EVIDENCE_KEEP_REMOVED_DAYS + 1)
    call_command("evidence_purge", stdout=io.StringIO())
    assert evidence_purge(now=later) == 0
    assert twin.file.storage.exists(twin.file.name)


def test_a_file_nothing_refers_to_is_purged_after_the_retention(world, year):
    """An upload whose transaction rolled back leaves bytes no row refers to."""
    storage = Evidence._meta.get_field("file").storage
    name = storage.save(f"evidence/{year.pk}/ab/abandoned", ContentFile(b"%PDF-1.4\n"))
    assert evidence_purge() == 0 and storage.exists(name)
    later = timezone.now() + dt.timedelta(days=settings.EVIDENCE_KEEP_REMOVED_DAYS + 1)
    assert evidence_purge(now=later) == 1 and not storage.exists(name)


def test_a_link_removed_is_in_the_history(world, year, client):
    submission = o7(year)
    link = link_add(submission=submission, actor=world.officer, url="https://a.example.go.th/x")
    client.force_login(world.officer)
    url = reverse("work:link_delete", args=[link.pk])
    assert link.url in client.get(url).content.decode()
    client.post(url)
    assert not PublishedLink.objects.exists()
    assert Removal.objects.get().name == "https://a.example.go.th/x"


def test_outsiders_cannot_reach_the_removal_pages(world, year, client):
    submission = o7(year)
    evidence = evidence_add(
        submission=submission, actor=world.officer, upload=make_file("r.pdf", "pdf")
    )
    for persona in ("other_officer", "overseer", "controller"):
        client.force_login(getattr(world, persona))
        url = reverse("work:evidence_delete", args=[evidence.pk])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert Evidence.objects.filter(pk=evidence.pk).exists() and not Removal.objects.exists()


def test_files_and_links_carry_the_date_they_bear(world, year, client, english):
    submission = o7(year)
    client.force_login(world.officer)
    client.post(
        reverse("work:evidence_upload", args=[submission.pk]),
        {"files": make_file("report.pdf", "pdf"), "effective_on": "15 ก.พ. 2567"},
    )
    client.post(
        reverse("work:link_add", args=[submission.pk]),
        {"url": "https://a.example.go.th/o7", "effective_on": "16/2/2567"},
    )
    assert Evidence.objects.get().effective_on == dt.date(2024, 2, 15)
    assert PublishedLink.objects.get().effective_on == dt.date(2024, 2, 16)
    response = client.post(
        reverse("work:evidence_upload", args=[submission.pk]),
        {"files": make_file("other.pdf", "pdf"), "effective_on": "15 February 2024"},
        follow=True,
    )
    assert Evidence.objects.count() == 1  # a CE date is refused, with a message, not guessed
    assert [str(m) for m in response.context["messages"]]


def test_a_decompression_bomb_is_refused_at_upload(world, year):
    submission = o7(year)
    with pytest.raises(ValidationError, match=r"ภาพกิจกรรม\.png"):
        evidence_add(submission=submission, actor=world.officer, upload=bomb_png())
    assert not Evidence.objects.exists()


def test_a_pack_with_an_unreadable_image_still_builds(world, year, english):
    """A photo stored before the check (or damaged since) is named, not drawn."""
    require_service(weasyprint_available(), "WeasyPrint's Pango library")
    from packs import kinds
    from packs.data import year_pack
    from packs.kinds.pack_pdf import pack_html

    submission = o7(year)
    kept = Evidence(
        submission=submission,
        kind=Evidence.Kind.PHOTO,
        original_name="ภาพกิจกรรม.png",
        file_type="png",
        size=300,
        sha256="0" * 64,
        uploaded_by=world.officer,
    )
    kept.file.save("bomb", ContentFile(bomb_png().getvalue()), save=False)
    kept.save()
    html = pack_html(year_pack(year))
    assert "photo not shown" in html
    out = io.BytesIO()
    kinds.write("pack-pdf", out, unit=year.unit, fiscal_year=year.fiscal_year)
    assert out.getvalue().startswith(b"%PDF-")


def test_submit_keeps_what_was_ticked(world, year, client):
    """One form: ticking and pressing submit saves the ticks, whether or not it submits."""
    submission = o7(year)
    components = [c.pk for c in submission.item.components.all()]
    client.force_login(world.officer)
    client.post(
        reverse("work:checks", args=[submission.pk]),
        {"done": [str(components[0])], "then": "submit", "version": submission.version},
    )
    submission.refresh_from_db()
    assert submission.state == State.DRAFT  # refused: no evidence yet ...
    assert [c.component_id for c in submission.checks.filter(done=True)] == [components[0]]  # kept
    prepared(submission, world)
    client.post(
        reverse("work:checks", args=[submission.pk]),
        {"done": [str(pk) for pk in components], "then": "submit", "version": submission.version},
    )
    submission.refresh_from_db()
    assert submission.state == State.SUBMITTED
    assert submission.checks.filter(done=True).count() == len(components)
    assert Transition.objects.filter(submission=submission, to_state=State.SUBMITTED).count() == 1


def test_the_admin_cannot_delete_a_year_or_a_submission_and_their_history_is_protected(
    client, proven, world
):
    from django.db.models import ProtectedError

    client.force_login(world.admin)
    submission = Submission.objects.filter(unit_year=proven, transitions__isnull=False).first()
    for name, pk in (("work_submission", submission.pk), ("work_unityear", proven.pk)):
        assert client.get(reverse(f"admin:{name}_delete", args=(pk,))).status_code == 403
        page = client.get(reverse(f"admin:{name}_changelist"))
        assert b'value="delete_selected"' not in page.content
    with pytest.raises(ProtectedError):
        submission.delete()
    with pytest.raises(ProtectedError):
        proven.delete()
    assert Transition.objects.filter(submission=submission).exists()
