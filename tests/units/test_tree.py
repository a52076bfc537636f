from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from units.models import Unit, UnitType
from units.services import unit_save

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def command():
    return UnitType.objects.get(code="command")


def make(code, unit_type, parent=None):
    return unit_save(unit=Unit(code=code, name_th=code, unit_type=unit_type, parent=parent))


def build_region(command, provinces=6, districts=5, stations=10):
    """A region with provinces > districts > stations: 1 + 6 + 30 + 300 units, four levels."""
    region = make("R", command)
    expected = {region.pk}
    for p in range(provinces):
        province = make(f"R-P{p}", command, region)
        expected.add(province.pk)
        for d in range(districts):
            district = make(f"R-P{p}-D{d}", command, province)
            expected.add(district.pk)
            for s in range(stations):
                expected.add(make(f"R-P{p}-D{d}-S{s}", command, district).pk)
    return region, expected


def test_paths_and_depths(command):
    root = make("ROOT", command)
    child = make("CHILD", command, root)
    grandchild = make("GRAND", command, child)
    assert (root.path, root.depth) == (f"/{root.pk}/", 0)
    assert grandchild.path == f"/{root.pk}/{child.pk}/{grandchild.pk}/"
    assert grandchild.depth == 2
    assert grandchild.ancestor_ids() == [root.pk, child.pk]
    assert list(grandchild.ancestors()) == [root, child]
    assert grandchild.is_under(root) and not root.is_under(grandchild)


def test_everything_under_a_region_is_one_query_however_many_units(
    command, django_assert_num_queries
):
    region, expected = build_region(command)
    make("ELSEWHERE", command)  # a unit outside the region
    assert len(expected) == 337
    with django_assert_num_queries(1):
        found = {unit.pk for unit in Unit.objects.under(region)}
    assert found == expected
    with django_assert_num_queries(1):
        assert Unit.objects.under(region, include_self=False).count() == 336


def test_ids_that_are_prefixes_of_each_other_do_not_mix(command):
    # "/1/" must not match "/12/": the trailing slash keeps subtrees apart.
    units = [make(f"U{i}", command) for i in range(12)]
    child_of_last = make("CHILD", command, units[-1])
    assert set(Unit.objects.under(units[0])) == {units[0]}
    assert set(Unit.objects.under(units[-1])) == {units[-1], child_of_last}


def test_moving_a_unit_moves_its_subtree(command):
    a, b = make("A", command), make("B", command)
    child = make("A1", command, a)
    leaf = make("A1x", command, child)
    child.parent = b
    unit_save(unit=child)
    leaf.refresh_from_db()
    assert leaf.path == f"/{b.pk}/{child.pk}/{leaf.pk}/"
    assert leaf.depth == 2
    assert set(Unit.objects.under(a)) == {a}
    assert set(Unit.objects.under(b)) == {b, child, leaf}


def test_a_unit_cannot_move_under_its_own_subtree(command):
    a = make("A", command)
    child = make("A1", command, a)
    a.parent = child
    with pytest.raises(ValidationError, match="inside it"):
        unit_save(unit=a)
    a.refresh_from_db()
    assert a.parent is None and a.path == f"/{a.pk}/"
