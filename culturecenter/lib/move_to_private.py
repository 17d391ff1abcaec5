"""Used by the migrations that made uploads private: move files already stored in the
public media folder to private storage under unguessable names."""

from django.core.files.storage import default_storage


def move_files(model, field_name: str, folder: str) -> None:
    from culturecenter.lib.private_files import UnguessableName, private_storage

    storage, name_for = private_storage(), UnguessableName(folder)
    for row in model.objects.exclude(**{field_name: ""}).iterator():
        old = getattr(row, field_name).name
        if not default_storage.exists(old):
            continue
        with default_storage.open(old, "rb") as source:
            new = storage.save(name_for(row, old), source)
        model.objects.filter(pk=row.pk).update(**{field_name: new})
        default_storage.delete(old)
