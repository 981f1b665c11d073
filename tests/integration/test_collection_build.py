"""`ansible-galaxy collection build` produces a tarball that installs and documents itself."""
import os
import subprocess
import sys
import tarfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)


def test_built_collection_installs_and_ships_no_development_files(tmp_path):
    out = tmp_path / "dist"
    subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path", str(out), REPO],
                   check=True, capture_output=True, text=True)
    tarballs = list(out.glob("genesys-cloud-*.tar.gz"))
    assert len(tarballs) == 1
    with tarfile.open(tarballs[0]) as archive:
        names = archive.getnames()
    assert "plugins/module_utils/client.py" in names and "meta/runtime.yml" in names
    assert not [n for n in names if n.startswith(("emulator", "tests/integration", ".venv", "build/", "tests/output"))]

    install_root = tmp_path / "collections"
    subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "-p", str(install_root),
                    str(tarballs[0])], check=True, capture_output=True, text=True, env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(install_root)))
    installed = install_root / "ansible_collections" / "genesys" / "cloud"
    assert (installed / "plugins" / "doc_fragments" / "auth.py").exists()
    listing = subprocess.run([os.path.join(BIN, "ansible-doc"), "-l", "genesys.cloud"], capture_output=True, text=True,
                             env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(install_root)))
    assert listing.returncode == 0, listing.stderr
    module_names = sorted(n[:-3] for n in os.listdir(os.path.join(REPO, "plugins", "modules")) if n.endswith(".py"))
    for name in module_names:
        assert "genesys.cloud.%s" % name in listing.stdout
