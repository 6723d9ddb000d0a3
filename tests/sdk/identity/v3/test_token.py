"""Token validate, check and revoke, a user's password, access rules and domain
configuration through conn.identity, against the demo cloud over real HTTP."""

from __future__ import annotations

import uuid

import pytest
import requests

import osnb
from osnb.sdk import exceptions as exc
from osnb.sdk.identity.v3.access_rule import AccessRule
from osnb.sdk.identity.v3.domain_config import DomainConfig, DomainConfigLDAP
from osnb.sdk.identity.v3.token import Token


def test_declarations() -> None:
    assert (AccessRule.base_path, AccessRule.allow_create, AccessRule.allow_delete) == \
        ("/users/%(user_id)s/access_rules", False, True)
    assert (DomainConfig.base_path, DomainConfig.requires_id, DomainConfig.create_method) == \
        ("/domains/%(domain_id)s/config", False, "PUT")
    assert isinstance(DomainConfig({"ldap": {"url": "ldap://a"}}).ldap, DomainConfigLDAP)
    assert not any((Token.allow_list, Token.allow_create, Token.allow_retrieve))


def _login(cloud, name: str, password: str, project_id: str | None = None) -> str:
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": name, "password": password, "domain": {"id": "default"}}}}}}
    if project_id:
        body["auth"]["scope"] = {"project": {"id": project_id}}
    r = requests.post(cloud.auth_url + "/auth/tokens", json=body, timeout=10)
    assert r.status_code == 201, r.text
    return r.headers["X-Subject-Token"]


def test_validate_check_revoke(cloud, conn, unique) -> None:
    password = uuid.uuid4().hex
    user = conn.identity.create_user(name=unique, password=password, domain_id="default")
    try:
        token = _login(cloud, unique, password)
        got = conn.identity.validate_token(token)
        assert got.user["id"] == user.id and got.methods == ["password"]
        assert got.project is None and got.expires_at is not None
        assert conn.identity.check_token(token) is True
        conn.identity.revoke_token(token)
        assert conn.identity.check_token(token) is False
        with pytest.raises(exc.NotFound):
            conn.identity.validate_token(token)
    finally:
        conn.identity.delete_user(user)


def test_update_password_revokes_and_replaces(cloud, conn, unique) -> None:
    old, new = uuid.uuid4().hex, uuid.uuid4().hex
    user = conn.identity.create_user(name=unique, password=old, domain_id="default")
    try:
        token = _login(cloud, unique, old)
        with pytest.raises(exc.HttpException) as wrong:
            conn.identity.update_password(user, "not-it", new)
        assert wrong.value.status_code == 401
        conn.identity.update_password(user, old, new)
        assert conn.identity.check_token(token) is False
        _login(cloud, unique, new)
    finally:
        conn.identity.delete_user(user)


def test_access_rules_of_an_application_credential(cloud, conn, unique) -> None:
    password = uuid.uuid4().hex
    user = conn.identity.create_user(name=unique, password=password, domain_id="default")
    project = conn.identity.create_project(name=unique, domain_id="default")
    conn.identity.assign_project_role_to_user(project, user,
                                              conn.identity.find_role("member"))
    try:
        clouds = {"clouds": {"me": {**cloud.clouds["clouds"]["demo"], "auth": {
            "auth_url": cloud.auth_url, "username": unique, "password": password,
            "project_id": project.id, "user_domain_id": "default"}}}}
        me = osnb.connect("me", config=clouds)
        cred = me.identity.create_application_credential(
            user.id, "ro", access_rules=[{"service": "image", "path": "/v2/images",
                                          "method": "GET"}])
        rules = me.identity.access_rules(user.id)
        assert [(r.service, r.method, r.path) for r in rules] == \
            [("image", "GET", "/v2/images")]
        assert set(rules.to_pandas()["service"]) == {"image"}
        rule = me.identity.get_access_rule(user.id, rules[0].id)
        with pytest.raises(exc.Forbidden):
            me.identity.delete_access_rule(user.id, rule)
        me.identity.delete_application_credential(user.id, cred)
        me.identity.delete_access_rule(user.id, rule)
        assert list(me.identity.access_rules(user.id)) == []
    finally:
        conn.identity.delete_project(project)
        conn.identity.delete_user(user)


def test_domain_config(conn, member, unique) -> None:
    domain = conn.identity.create_domain(name=unique)
    try:
        with pytest.raises(exc.NotFound):
            conn.identity.get_domain_config(domain)
        made = conn.identity.create_domain_config(
            domain, identity={"driver": "ldap"}, ldap={"url": "ldap://a"})
        assert made.identity.driver == "ldap" and made.ldap.url == "ldap://a"
        merged = conn.identity.update_domain_config(domain, ldap={"user_tree_dn": "ou=U"})
        assert (merged.ldap.url, merged.ldap.user_tree_dn) == ("ldap://a", "ou=U")
        assert conn.identity.get_domain_config(domain).ldap.user_tree_dn == "ou=U"
        with pytest.raises(exc.Forbidden):
            member.identity.get_domain_config(domain)
        conn.identity.delete_domain_config(domain)
        with pytest.raises(exc.NotFound):
            conn.identity.get_domain_config(domain)
    finally:
        conn.identity.update_domain(domain, is_enabled=False)
        conn.identity.delete_domain(domain)


def test_inherited_domain_grant(conn, unique) -> None:
    user = conn.identity.create_user(name=unique, domain_id="default")
    reader = conn.identity.find_role("reader")
    try:
        assert conn.identity.validate_user_has_domain_role("default", user, reader,
                                                           inherited=True) is False
        conn.identity.assign_domain_role_to_user("default", user, reader, inherited=True)
        assert conn.identity.validate_user_has_domain_role("default", user, reader,
                                                           inherited=True) is True
        assert conn.identity.validate_user_has_domain_role("default", user, reader) is False
        conn.identity.unassign_domain_role_from_user("default", user, reader, inherited=True)
        assert conn.identity.validate_user_has_domain_role("default", user, reader,
                                                           inherited=True) is False
    finally:
        conn.identity.delete_user(user)
