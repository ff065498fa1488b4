"""Frameworks are data a coordinator may extend. Rounds, answers, action points and signals are the
network's own conversation and are deliberately not in the admin."""

from django.contrib import admin

from .models import Framework, Item, Prompt


class ItemInline(admin.StackedInline):
    model = Item
    extra = 0


class PromptInline(admin.TabularInline):
    model = Prompt
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["code", "name_nl", "name_fr", "name_en", "order"]
    inlines = [ItemInline]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["framework", "code", "name_nl", "order"]
    list_filter = ["framework"]
    inlines = [PromptInline]
