from families.models import Family


def test_world_family_visible_only_with_register_consent(world):
    assert list(Family.objects.visible_to(world.bridge)) == []
    world.give("register")
    assert list(Family.objects.visible_to(world.bridge)) == [world.family]
    assert list(Family.objects.visible_to(world.other_bridge)) == []
