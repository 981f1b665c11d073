# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How an export changes its folder: only its own regular files, never through a link.

A kind folder that is a link is refused before anything is read; every change goes through a handle
of the folder opened without following links (``O_NOFOLLOW``, ``dir_fd``), so a folder swapped for a
link midway is not written through either. A temporary file is created exclusively (``O_CREAT |
O_EXCL | O_NOFOLLOW``) under a fresh random name, so a link planted under a temporary file's name
leads nowhere. Only regular files a manifest names, directly in a kind folder and still defining the
object the manifest says, are ever removed (a manifest is a file of the folder, as untrusted as any).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import os
import secrets
import stat

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.registry import BY_NAME
from ansible_collections.genesys.cloud.plugins.plugin_utils.org_export_files import (
    KIND_FOLDERS, MANIFEST, ExportError, own_file_path, safe_yaml)

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
AS_FOLDER = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
TEMPORARY_TRIES = 16


def folder_problems(directory):
    """Why the export may not write in ``directory`` (every reason, before anything is read or written)."""
    if os.path.lexists(directory) and not os.path.isdir(directory):
        return ["dest %s is not a folder" % directory]
    problems = []
    for kind in KIND_FOLDERS:
        path = os.path.join(directory, kind)
        if os.path.islink(path):
            problems.append("%s is a symbolic link: an export writes and removes files only inside dest, never "
                            "through a link. Replace the link with a folder" % path)
        elif os.path.lexists(path) and not os.path.isdir(path):
            problems.append("%s is not a folder: an export keeps its %s there. Move the file away" % (path, kind))
    return problems


def _open_folder(directory, folder, create):
    """A descriptor of ``directory/folder`` (``folder``: "" or one kind folder) opened without following a link."""
    if create and not os.path.isdir(directory):
        os.makedirs(directory, 0o755)
    root = os.open(directory, AS_FOLDER)  # dest itself is the user's choice, a link to it included
    if not folder:
        return root
    try:
        try:
            return os.open(folder, AS_FOLDER | NOFOLLOW, dir_fd=root)
        except FileNotFoundError:
            if not create:
                raise
            os.mkdir(folder, 0o755, dir_fd=root)
            return os.open(folder, AS_FOLDER | NOFOLLOW, dir_fd=root)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):  # the folder became a link (or a file) since it was checked
            raise ExportError("%s/%s is not a folder the export may write in (a symbolic link or a file); nothing "
                              "is written through it" % (directory, folder))
        raise
    finally:
        os.close(root)


def _entry(folder_fd, name):
    """``os.lstat`` of ``name`` in the folder, or None when there is nothing."""
    try:
        return os.stat(name, dir_fd=folder_fd, follow_symlinks=False)
    except FileNotFoundError:
        return None


def write_file(directory, relative, text, mode):
    """Replace ``relative`` (a regular file or nothing; never a link) by ``text``, atomically.

    The temporary file is created exclusively (``O_EXCL | O_NOFOLLOW``) under a fresh random name beside
    it, so nothing planted in the folder (a link named like a temporary file) is written through.
    """
    folder, _sep, name = relative.rpartition("/")
    folder_fd = _open_folder(directory, folder, create=True)
    try:
        found = _entry(folder_fd, name)
        if found is not None and not stat.S_ISREG(found.st_mode):
            what = "a symbolic link" if stat.S_ISLNK(found.st_mode) else "not a regular file"
            raise ExportError("%s is %s, not a file the export wrote: it is never replaced or followed. Remove it, "
                              "or export to another folder" % (os.path.join(directory, relative), what))
        for _attempt in range(TEMPORARY_TRIES):
            temporary = ".%s.%s.tmp" % (name[:80], secrets.token_hex(8))
            try:
                descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, 0o600,
                                     dir_fd=folder_fd)
                break
            except FileExistsError:
                continue
        else:
            raise ExportError("%s: no temporary file could be created beside it" % os.path.join(directory, relative))
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(text.encode("utf-8"))
                os.fchmod(handle.fileno(), mode)
            os.replace(temporary, name, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
        except BaseException:
            try:
                os.unlink(temporary, dir_fd=folder_fd)
            except OSError:
                pass
            raise
    finally:
        os.close(folder_fd)


def set_mode(directory, relative, mode):
    """Change the mode of the regular file ``relative`` (a link is left alone)."""
    folder, _sep, name = relative.rpartition("/")
    folder_fd = _open_folder(directory, folder, create=False)
    try:
        descriptor = os.open(name, os.O_RDONLY | NOFOLLOW | getattr(os, "O_NONBLOCK", 0), dir_fd=folder_fd)
    except OSError:
        os.close(folder_fd)
        return
    try:
        if stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.fchmod(descriptor, mode)
    finally:
        os.close(descriptor)
        os.close(folder_fd)


def is_own_file(directory, relative):
    """Whether ``relative`` (``org.yml``, the manifest, or ``kind/name``) is a regular file the export may
    replace: no link, and a kind file directly in its kind folder, which is no link either (``dest``
    itself is the user's choice, a link to a folder included)."""
    if not own_file_path(relative) and relative not in (MANIFEST, "org.yml"):
        return False
    path = os.path.join(directory, relative)
    if "/" in relative:
        folder = os.path.dirname(path)
        if os.path.islink(folder) or not os.path.isdir(folder):
            return False
    return not os.path.islink(path) and os.path.isfile(path)


def remove_file(directory, relative):
    """Remove the regular file ``relative`` (a manifest's ``kind/name``); anything else is left alone.

    Returns whether a file was removed.
    """
    if not own_file_path(relative):
        return False
    folder, _sep, name = relative.rpartition("/")
    try:
        folder_fd = _open_folder(directory, folder, create=False)
    except (OSError, ExportError):
        return False
    try:
        found = _entry(folder_fd, name)
        if found is None or not stat.S_ISREG(found.st_mode):
            return False
        os.unlink(name, dir_fd=folder_fd)
        return True
    finally:
        os.close(folder_fd)


def still_defines(relative, owner, text):
    """Whether the text of the manifest's file ``relative`` still defines ``owner`` (``kind/name``): a
    manifest is a file in the folder like any other, so what it lists is checked before it is removed."""
    kind, _sep, name = owner.partition("/")
    if relative.split("/")[0] != kind or text is None:
        return False
    stem = os.path.splitext(relative.split("/")[1])[0]
    if BY_NAME[kind].named_by_stem:
        return stem == name
    data = safe_yaml(text)
    return isinstance(data, dict) and str(data.get("name", stem)).lower() == name.lower()


class PartialExport(ExportError):
    """Writing stopped after some files were changed: ``done`` lists them."""

    def __init__(self, done, cause):
        self.done = done
        super(PartialExport, self).__init__(
            "writing stopped at %s after %d change(s) (%s): %s" % (
                cause[0], len(done), ", ".join("%s %s" % step for step in done[:20]) +
                (", ..." if len(done) > 20 else ""), cause[1]))


def carry_out(directory, steps):
    """Do ``steps`` (``(write | mode | remove, relative, text, mode)``); a failure after a change raises
    :class:`PartialExport` naming what was done."""
    done = []
    for what, relative, text, mode in steps:
        try:
            if what == "write":
                write_file(directory, relative, text, mode)
            elif what == "mode":
                set_mode(directory, relative, mode)
            elif not remove_file(directory, relative):
                continue
        except (IOError, OSError, ExportError) as exc:
            if not done:
                raise
            raise PartialExport(done, (relative, exc))
        done.append(("wrote" if what == "write" else "changed the mode of" if what == "mode" else "removed",
                     relative))
