"""The framework content: three languages, own wording, sources attributed on the page."""

import pytest
from django.urls import reverse
from django.utils import translation

from reflection.models import Framework, Item, Prompt

from .factories import ensure_frameworks

pytestmark = pytest.mark.django_db

LANGUAGES = ("nl", "fr", "en")


def _texts(obj, field):
    return [getattr(obj, f"{field}_{language}").strip() for language in LANGUAGES]


def test_frameworks_have_the_expected_shape():
    ensure_frameworks()
    counts = {f.code: f.items.count() for f in Framework.objects.all()}
    assert counts == {"vrac": 9, "wraparound": 10, "homework_support": 5}
    for item in Item.objects.filter(framework__code="vrac"):
        assert 2 <= item.prompts.count() <= 4, item.code
    for item in Item.objects.exclude(framework__code="vrac"):
        assert item.prompts.count() >= 1, item.code


def test_every_text_exists_in_three_languages_that_differ():
    ensure_frameworks()
    for framework in Framework.objects.all():
        names = _texts(framework, "name")
        assert all(names) and len(set(names)) == 3, framework.code
        assert framework.source.strip()
    for item in Item.objects.all():
        for field in ("name", "definition"):
            texts = _texts(item, field)
            assert all(texts), (item.code, field)
            assert len(set(texts)) == 3, (item.code, field, texts)
    assert Prompt.objects.count() > 0
    for prompt in Prompt.objects.all():
        texts = _texts(prompt, "text")
        assert all(texts) and len(set(texts)) == 3, texts


def test_labels_follow_the_active_language():
    ensure_frameworks()
    item = Item.objects.get(framework__code="vrac", code="a1")
    with translation.override("fr"):
        assert item.label == item.name_fr
        assert item.definition == item.definition_fr
    with translation.override("en"):
        assert item.label == item.name_en


@pytest.mark.parametrize(
    ("code", "attribution"),
    [
        ("vrac", ["It takes a village to raise a child", "KdG", "2022", "Interreg 2 Seas"]),
        ("wraparound", ["ten principles of wraparound care", "VRAC", "National Wraparound Initiative"]),
        ("homework_support", ["EXPOO", "HOGENT", "2020-2021"]),
    ],
)
def test_framework_page_attributes_its_source(client, world, code, attribution):
    ensure_frameworks()
    client.force_login(world.partner)
    response = client.get(reverse("reflection:framework_detail", args=[code]))
    assert response.status_code == 200
    page = response.content.decode()
    for text in attribution:
        assert text in page
    framework = Framework.objects.get(code=code)
    first = framework.items.first()
    assert first.definition_nl in page  # default language nl
