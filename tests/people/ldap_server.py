"""A real OpenLDAP server (Debian's slapd) for the tests: a throw-away configuration and
database in a temporary folder, a free port on 127.0.0.1, the people below loaded before it
starts. .ci/run installs slapd: if it is missing, the tests fail rather than skip."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

SUFFIX = "dc=ruche,dc=test"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "admin-secret"
PEOPLE_BASE = f"ou=People,{SUFFIX}"
PASSWORD = "directory-pass"  # every person's

# (uid, given name, surname, title, department OU, department attribute, manager uid, extra)
PEOPLE = [
    ("cmartin", "Claire", "Martin", "Directrice générale", "Direction", "Direction", None, ""),
    ("lbernard", "Louis", "Bernard", "Head of Sales", "Sales", "Ventes", "cmartin", ""),
    ("edubois", "Emma", "Dubois", "Account manager", "Sales", "Ventes", "lbernard", ""),
    ("hpetit", "Hugo", "Petit", "Developer", "Engineering", "Ingénierie", "cmartin", ""),
    ("gone", "Gaston", "Parti", "Former", "Engineering", "Ingénierie", None, "disabled"),
]

CONFIG = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {folder}/slapd.pid
database mdb
maxsize 10485760
suffix "{suffix}"
rootdn "{admin}"
rootpw {password}
directory {folder}/data
TLSCertificateFile {folder}/cert.pem
TLSCertificateKeyFile {folder}/key.pem
access to attrs=userPassword by self write by anonymous auth by * none
access to * by * read
"""


def person_dn(uid: str, ou: str) -> str:
    return f"uid={uid},ou={ou},{PEOPLE_BASE}"


def ldif() -> str:
    ous = sorted({p[4] for p in PEOPLE})
    blocks = [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Ruche\ndc: ruche",
        f"dn: {PEOPLE_BASE}\nobjectClass: organizationalUnit\nou: People",
        *(f"dn: ou={ou},{PEOPLE_BASE}\nobjectClass: organizationalUnit\nou: {ou}" for ou in ous),
    ]
    where = {p[0]: p[4] for p in PEOPLE}
    for uid, first, last, title, ou, department, manager, kind in PEOPLE:
        lines = [
            f"dn: {person_dn(uid, ou)}",
            "objectClass: inetOrgPerson",
            f"uid: {uid}",
            f"cn: {first} {last}",
            f"givenName: {first}",
            f"sn: {last}",
            f"mail: {uid}@ruche.test",
            f"title: {title}",
            f"departmentNumber: {department}",
            f"userPassword: {PASSWORD}",
        ]
        if manager:
            lines.append(f"manager: {person_dn(manager, where[manager])}")
        if kind:
            lines.append(f"employeeType: {kind}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Slapd:
    url: str
    process: subprocess.Popen[bytes]
    certificate: Path  # the server's self-signed certificate, for StartTLS

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def start(folder: Path) -> Slapd:
    slapd = shutil.which("slapd") or "/usr/sbin/slapd"
    if not Path(slapd).exists():
        raise RuntimeError("slapd is not installed (apt-get install slapd): .ci/run installs it")
    (folder / "data").mkdir()
    # A self-signed certificate for 127.0.0.1, so StartTLS and its certificate check are real.
    openssl = shutil.which("openssl") or "/usr/bin/openssl"
    subprocess.run(
        [
            openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem"),
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    conf = folder / "slapd.conf"
    conf.write_text(
        CONFIG.format(folder=folder, suffix=SUFFIX, admin=ADMIN_DN, password=ADMIN_PASSWORD)
    )
    data = folder / "people.ldif"
    data.write_text(ldif(), encoding="utf-8")
    slapadd = str(Path(slapd).with_name("slapadd"))
    subprocess.run([slapadd, "-f", str(conf), "-l", str(data)], check=True, capture_output=True)
    port = free_port()
    url = f"ldap://127.0.0.1:{port}"
    process = subprocess.Popen(
        [slapd, "-f", str(conf), "-h", f"{url}/", "-d", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stderr.read().decode() if process.stderr else ""
            raise RuntimeError(f"slapd stopped: {output}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return Slapd(url=url, process=process, certificate=folder / "cert.pem")
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("slapd did not start within 15 seconds")
