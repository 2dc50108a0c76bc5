//! Redtrust authentication: direct login, the HMAC-signed browser redirect
//! (redtrust-certificate-enroll-v4.33, "Authentication request" and "Required
//! headers"), the temp-token exchange, refresh and logout.

use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;

use super::{err, field, json_body, ok, Grant, Session, State};
use crate::config::RedtrustUser;
use crate::server::Ctx;
use crate::wire::{Request, Response};
use crate::{ids, jwt, lock, now_secs, Shared};

fn rfc3339(secs: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

/// Creates an access/refresh pair for `user`; returns the `data` object.
fn issue_tokens(shared: &Shared, st: &mut State, user: &RedtrustUser) -> Value {
    let cfg = &shared.config.redtrust;
    let now = now_secs();
    let exp = now.saturating_add(i64::try_from(cfg.access_token_ttl_secs).unwrap_or(i64::MAX));
    let access = jwt::sign(
        &json!({
            "iss": "certbridge-sim/redtrust",
            "sub": user.username,
            "domain": user.domain,
            "iat": now,
            "exp": exp,
            "jti": ids::uuid(),
        }),
        &st.token_key,
    );
    let refresh = ids::token(32);
    st.refresh.insert(
        refresh.clone(),
        Grant {
            user: user.username.clone(),
            exp: now.saturating_add(i64::try_from(cfg.refresh_token_ttl_secs).unwrap_or(i64::MAX)),
        },
    );
    st.sessions.insert(
        access.clone(),
        Session {
            user: user.username.clone(),
            exp,
            refresh: refresh.clone(),
        },
    );
    json!({"accessToken": access, "refreshToken": refresh, "expiration": rfc3339(exp)})
}

/// The `past_expiry` fault: a token answer whose `expiration` is an hour in
/// the past while the token stays valid for its real lifetime, as a server
/// with a skewed clock sends it (issue 14, item 1).
pub(crate) fn with_past_expiry(mut resp: Response) -> Response {
    let Ok(mut body) = serde_json::from_slice::<Value>(&resp.body) else {
        return resp;
    };
    if let Some(exp) = body.pointer_mut("/data/expiration") {
        *exp = Value::String(rfc3339(now_secs().saturating_sub(3600)));
        resp.body = body.to_string().into_bytes();
    }
    resp
}

fn user<'a>(shared: &'a Shared, name: &str) -> Option<&'a RedtrustUser> {
    shared
        .config
        .redtrust
        .users
        .iter()
        .find(|u| u.username == name)
}

/// Checks the Bearer access token; returns the user name.
pub(crate) fn authenticate(shared: &Shared, req: &Request, ctx: Ctx) -> Result<String, Response> {
    let token = req.bearer().ok_or_else(|| {
        err(
            401,
            "INVALID_TOKEN",
            "Authorization: Bearer <accessToken> is required",
        )
    })?;
    let mut st = lock(&shared.redtrust);
    let now = now_secs();
    let session = st
        .sessions
        .get_mut(token)
        .ok_or_else(|| err(401, "INVALID_TOKEN", "access token unknown or logged out"))?;
    if ctx.expired_token {
        session.exp = session.exp.min(now);
    }
    if now >= session.exp {
        return Err(err(
            401,
            "TOKEN_EXPIRED",
            "access token expired; refresh it",
        ));
    }
    Ok(session.user.clone())
}

/// `POST /raapi/v1/auth/login {username, password, domain?}`.
pub(crate) fn login(shared: &Shared, req: &Request) -> Response {
    let body = match json_body(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let (name, password) = match (field(&body, "username"), field(&body, "password")) {
        (Ok(n), Ok(p)) => (n, p),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let domain = match body.get("domain") {
        None | Some(Value::Null) => None,
        Some(Value::String(d)) if d.is_empty() => None,
        Some(Value::String(d)) => Some(d.as_str()),
        Some(_) => return err(400, "INVALID_REQUEST", "field 'domain' must be a string"),
    };
    let Some(u) = user(shared, name).filter(|u| u.password == password) else {
        return err(401, "INVALID_CREDENTIALS", "wrong username or password");
    };
    if domain.is_some() && domain != u.domain.as_deref() {
        return err(
            401,
            "INVALID_CREDENTIALS",
            "the user does not belong to that domain",
        );
    }
    let mut st = lock(&shared.redtrust);
    ok(issue_tokens(shared, &mut st, u))
}

/// Appends the temp token to the redirect URL: after a trailing `tkn=` as in
/// the seed's example (`RedirectUrl=https%3A%2F%2Fgoogle.es%3Ftkn%3D`), else
/// as a new `tkn` query parameter (before any fragment).
pub fn redirect_location(redirect: &str, token: &str) -> String {
    let (base, fragment) = match redirect.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (redirect, None),
    };
    let mut out = if base.ends_with("tkn=") {
        format!("{base}{token}")
    } else if base.ends_with('?') || base.ends_with('&') {
        format!("{base}tkn={token}")
    } else if base.contains('?') {
        format!("{base}&tkn={token}")
    } else {
        format!("{base}?tkn={token}")
    };
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// One signature input from the query or its header twin; both must agree.
fn signed_param(req: &Request, query: &str, header: &str) -> Result<Option<String>, Response> {
    let q = req.query_param(query);
    let h = req.header(header).map(str::to_owned);
    match (q, h) {
        (Some(q), Some(h)) if q != h => Err(err(
            401,
            "INVALID_SIGNATURE",
            format!("query parameter '{query}' and header '{header}' disagree"),
        )),
        (Some(v), _) | (None, Some(v)) => Ok(Some(v)),
        (None, None) => Ok(None),
    }
}

/// `GET /authclient/auth/loginrequest?...`: verifies the partner signature,
/// lets the simulated user log in at once and redirects with `tkn`.
pub(crate) fn login_request(shared: &Shared, req: &Request) -> Response {
    match login_request_inner(shared, req) {
        Ok(r) | Err(r) => r,
    }
}

fn login_request_inner(shared: &Shared, req: &Request) -> Result<Response, Response> {
    let cfg = &shared.config.redtrust;
    if req.query_param("Consumer").as_deref() != Some("RA_API") {
        return Err(err(400, "INVALID_CONSUMER", "Consumer must be RA_API"));
    }
    let redirect = req
        .query_param("RedirectUrl")
        .filter(|r| !r.is_empty())
        .ok_or_else(|| err(400, "INVALID_REDIRECT_URL", "RedirectUrl is required"))?;
    match url::Url::parse(&redirect) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => {}
        _ => {
            return Err(err(
                400,
                "INVALID_REDIRECT_URL",
                "RedirectUrl must be an absolute http(s) URL, URL-encoded",
            ))
        }
    }
    if !cfg.redirect_urls.is_empty()
        && !cfg
            .redirect_urls
            .iter()
            .any(|p| redirect.starts_with(p.as_str()))
    {
        return Err(err(
            400,
            "INVALID_REDIRECT_URL",
            "RedirectUrl is not registered in Redtrust",
        ));
    }
    let partner = signed_param(req, "partner", "x-partner-name")?.ok_or_else(|| {
        err(
            401,
            "INVALID_PARTNER",
            "partner (or x-partner-name) is required",
        )
    })?;
    if partner != partner.to_uppercase() {
        return Err(err(
            400,
            "INVALID_PARTNER",
            "partner must be written in upper case",
        ));
    }
    let key = cfg
        .partners
        .iter()
        .find(|p| p.name == partner)
        .map(|p| p.hmac_key.clone())
        .ok_or_else(|| err(401, "INVALID_PARTNER", "unknown partner"))?;
    let timestamp = signed_param(req, "timestamp", "x-request-timestamp")?.ok_or_else(|| {
        err(
            400,
            "INVALID_TIMESTAMP",
            "timestamp (or x-request-timestamp) is required",
        )
    })?;
    let ts: i64 = timestamp
        .parse()
        .map_err(|_| err(400, "INVALID_TIMESTAMP", "timestamp must be UNIX seconds"))?;
    if now_secs().saturating_sub(ts).unsigned_abs() > cfg.timestamp_window_secs {
        return Err(err(
            401,
            "TIMESTAMP_OUT_OF_RANGE",
            format!(
                "timestamp is more than {} s away from the server clock",
                cfg.timestamp_window_secs
            ),
        ));
    }
    let given = signed_param(req, "hmac", "x-hmac-signature")?.ok_or_else(|| {
        err(
            401,
            "INVALID_SIGNATURE",
            "hmac (or x-hmac-signature) is required",
        )
    })?;
    let expected =
        jwt::hmac_sha256_hex(key.as_bytes(), format!("{partner}:{timestamp}").as_bytes());
    if given != expected {
        return Err(err(
            401,
            "INVALID_SIGNATURE",
            "hmac must be the lower-case hex HMAC-SHA256 of 'PARTNER:TIMESTAMP' with the shared key",
        ));
    }
    let domain = req.query_param("Domain").filter(|d| !d.is_empty());
    let user = match &domain {
        Some(d) => cfg
            .users
            .iter()
            .find(|u| u.domain.as_deref() == Some(d.as_str())),
        None => cfg.users.first(),
    }
    .ok_or_else(|| err(401, "INVALID_DOMAIN", "no user in that domain"))?;
    let token = ids::token(24);
    lock(&shared.redtrust).temp.insert(
        token.clone(),
        Grant {
            user: user.username.clone(),
            exp: now_secs()
                .saturating_add(i64::try_from(cfg.temp_token_ttl_secs).unwrap_or(i64::MAX)),
        },
    );
    Ok(Response::empty(302).with_header("location", redirect_location(&redirect, &token)))
}

/// Which one-time grant a redemption consumes.
#[derive(Clone, Copy)]
enum GrantKind {
    Temp,
    Refresh,
}

/// Consumes a single-use grant named by `field` in the JSON body and
/// answers with a fresh token pair.
fn redeem(shared: &Shared, req: &Request, field_name: &str, kind: GrantKind) -> Response {
    let body = match json_body(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let token = match field(&body, field_name) {
        Ok(t) => t,
        Err(r) => return r,
    };
    let mut st = lock(&shared.redtrust);
    let grants = match kind {
        GrantKind::Temp => &mut st.temp,
        GrantKind::Refresh => &mut st.refresh,
    };
    let Some(grant) = grants.remove(token) else {
        return err(
            401,
            "INVALID_TOKEN",
            format!("{field_name} unknown, already used or logged out"),
        );
    };
    if now_secs() >= grant.exp {
        return err(401, "TOKEN_EXPIRED", format!("{field_name} expired"));
    }
    match user(shared, &grant.user) {
        Some(u) => ok(issue_tokens(shared, &mut st, u)),
        None => err(401, "INVALID_TOKEN", "user no longer exists"),
    }
}

/// `/authapi/v1/login_by_temp_token {temporalToken}` (POST in v4.42, GET
/// with a body in v4.33). Single use.
pub(crate) fn exchange_temp_token(shared: &Shared, req: &Request) -> Response {
    redeem(shared, req, "temporalToken", GrantKind::Temp)
}

/// `PUT .../refresh-token {refreshToken}`: rotates the refresh token. The
/// (possibly expired) access token is not required.
pub(crate) fn refresh(shared: &Shared, req: &Request) -> Response {
    redeem(shared, req, "refreshToken", GrantKind::Refresh)
}

/// `DELETE .../logout` with the Bearer access token.
pub(crate) fn logout(shared: &Shared, req: &Request, ctx: Ctx) -> Response {
    if let Err(r) = authenticate(shared, req, ctx) {
        return r;
    }
    let mut st = lock(&shared.redtrust);
    if let Some(session) = req.bearer().and_then(|t| st.sessions.remove(t)) {
        st.refresh.remove(&session.refresh);
    }
    ok(json!({}))
}

#[cfg(test)]
mod tests {
    use super::redirect_location;

    #[test]
    fn token_goes_after_tkn_or_into_a_new_parameter() {
        assert_eq!(
            redirect_location("https://google.es?tkn=", "T"),
            "https://google.es?tkn=T"
        );
        assert_eq!(
            redirect_location("https://app.example/cb", "T"),
            "https://app.example/cb?tkn=T"
        );
        assert_eq!(
            redirect_location("https://app.example/cb?x=1&y=2", "T"),
            "https://app.example/cb?x=1&y=2&tkn=T"
        );
        assert_eq!(
            redirect_location("https://app.example/cb?x=1#frag", "T"),
            "https://app.example/cb?x=1&tkn=T#frag"
        );
    }
}
