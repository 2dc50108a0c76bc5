//! Keys, CSRs, certificates, PKCS#7 and HS256 JWTs (`certbridge::crypto`).
//!
//! Randomness for new keys comes from Web Crypto (`crypto.getRandomValues`,
//! through getrandom's `js` backend); nothing here reads a clock unless the
//! caller leaves `now` out (then `Date.now()`).

use certbridge::crypto::certificate::Certificate;
use certbridge::crypto::csr::CsrBuilder;
use certbridge::crypto::keys::{KeyKind, PrivateKey};
use certbridge::crypto::{jwt, pem, pkcs7};
use certbridge::Error;
use js_sys::{Object, Uint8Array};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::convert::{absent, bytes_or_text, from_js, get, now_or_date, set, strings, to_js};
use crate::error::js;
use crate::types::*;

/// A certificate's (or CSR's) private key: P-256, P-384 or RSA.
#[wasm_bindgen(js_name = PrivateKey)]
pub struct JsPrivateKey {
    pub(crate) inner: PrivateKey,
}

fn key_kind(kind: Option<JsKeyKind>) -> Result<KeyKind, Error> {
    // By the stable names of `KeyKind::as_str` (`rsa-2048`), which are not
    // the enum's serde spelling.
    match kind.filter(|k| !absent(k)) {
        None => Ok(KeyKind::EcP256),
        Some(k) => {
            let name = k.as_string().unwrap_or_default();
            KeyKind::ALL
                .into_iter()
                .find(|kind| kind.as_str() == name)
                .ok_or_else(|| {
                    Error::invalid_input(
                        "kind",
                        "must be ec-p256, ec-p384, rsa-2048, rsa-3072 or rsa-4096",
                    )
                })
        }
    }
}

/// A new private key of `kind` (default `"ec-p256"`) from Web Crypto's
/// random source. RSA keys take a while (seconds for 4096 bits).
#[wasm_bindgen(js_name = generateKey)]
pub fn generate_key(kind: Option<JsKeyKind>) -> Result<JsPrivateKey, JsValue> {
    js(key_kind(kind).and_then(certbridge::client::generate_key))
        .map(|inner| JsPrivateKey { inner })
}

#[wasm_bindgen(js_class = PrivateKey)]
impl JsPrivateKey {
    /// Imports a PEM key: PKCS#8 (`PRIVATE KEY`), SEC 1 (`EC PRIVATE KEY`)
    /// or PKCS#1 (`RSA PRIVATE KEY`).
    #[wasm_bindgen(js_name = fromPem)]
    pub fn from_pem(pem: &str) -> Result<JsPrivateKey, JsValue> {
        js(PrivateKey::from_pem(pem)).map(|inner| JsPrivateKey { inner })
    }

    /// `ec-p256`, `ec-p384`, `rsa-2048`, `rsa-3072` or `rsa-4096`.
    #[wasm_bindgen(getter)]
    pub fn kind(&self) -> JsKeyKind {
        JsValue::from_str(self.inner.kind().as_str()).unchecked_into()
    }

    /// The key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`): a secret.
    #[wasm_bindgen(js_name = toPkcs8Pem)]
    pub fn to_pkcs8_pem(&self) -> Result<String, JsValue> {
        js(self.inner.to_pkcs8_pem()).map(|p| p.expose().to_string())
    }

    /// The public key as DER SubjectPublicKeyInfo.
    #[wasm_bindgen(js_name = publicKeyDer)]
    pub fn public_key_der(&self) -> Result<Uint8Array, JsValue> {
        js(self.inner.public_key_der()).map(|d| Uint8Array::from(d.as_slice()))
    }

    /// The public key as a JWK (the members RFC 7638 hashes).
    #[wasm_bindgen(js_name = publicJwk)]
    pub fn public_jwk(&self) -> Result<JsJwk, JsValue> {
        js(self.inner.public_jwk().and_then(|j| to_js(&j))).map(JsCast::unchecked_into)
    }

    /// Signs `message` with the key's certificate algorithm (ECDSA as DER,
    /// RSA PKCS#1 v1.5 with SHA-256).
    pub fn sign(&self, message: &[u8]) -> Result<Uint8Array, JsValue> {
        js(self.inner.sign(message)).map(|s| Uint8Array::from(s.as_slice()))
    }
}

/// A PKCS#10 CSR signed with `key`: subject attributes in order, and SANs.
/// Returns `{pem, der}`.
#[wasm_bindgen(js_name = buildCsr)]
pub fn build_csr(key: &JsPrivateKey, options: &JsCsrOptions) -> Result<JsCsr, JsValue> {
    js((|| {
        let subject = get(options, "subject");
        let mut builder = CsrBuilder::new();
        if !absent(&subject) {
            let dn: Vec<certbridge::redtrust::DnEntry> = from_js(subject, "subject")?;
            for e in dn {
                builder = builder.subject(e.attribute, e.value);
            }
        }
        for d in strings(&get(options, "dnsNames"), "dns_names")? {
            builder = builder.dns_name(d);
        }
        for e in strings(&get(options, "emails"), "emails")? {
            builder = builder.email(e);
        }
        for i in strings(&get(options, "ips"), "ips")? {
            builder = builder.ip(i);
        }
        let csr = builder.build(&key.inner)?;
        let o = Object::new();
        set(&o, "pem", csr.to_pem());
        set(&o, "der", Uint8Array::from(csr.der()));
        Ok(o)
    })())
    .map(JsCast::unchecked_into)
}

/// Parses one certificate (PEM, base64 or DER bytes).
#[wasm_bindgen(js_name = parseCertificate)]
pub fn parse_certificate(input: &JsCertificate) -> Result<JsParsedCertificate, JsValue> {
    js(bytes_or_text(input, "certificate")
        .and_then(|b| Certificate::parse(&b))
        .and_then(|c| to_js(&c)))
    .map(JsCast::unchecked_into)
}

fn parse_all(ders: Result<Vec<Vec<u8>>, Error>) -> Result<JsCertificates, JsValue> {
    js(ders.and_then(|ders| {
        let certs = ders
            .iter()
            .map(|d| Certificate::from_der(d))
            .collect::<Result<Vec<_>, _>>()?;
        to_js(&certs)
    }))
    .map(JsCast::unchecked_into)
}

/// Parses every certificate of a PEM chain, in order.
#[wasm_bindgen(js_name = parseCertificateChain)]
pub fn parse_certificate_chain(input: &JsCertificate) -> Result<JsCertificates, JsValue> {
    parse_all(bytes_or_text(input, "certificate").and_then(|b| pem::certificates_der(&b)))
}

/// The certificates of a PKCS#7 (`.p7b`, PEM or DER) bundle, leaf first.
#[wasm_bindgen(js_name = parsePkcs7)]
pub fn parse_pkcs7(input: &JsCertificate) -> Result<JsCertificates, JsValue> {
    parse_all(bytes_or_text(input, "pkcs7").and_then(|b| pkcs7::certificates(&b)))
}

fn key_bytes(key: &JsCertificate) -> Result<Vec<u8>, Error> {
    bytes_or_text(key, "key")
}

/// An HS256 JWT of `claims` (serialized as given) with `key` (text as UTF-8,
/// or bytes).
#[wasm_bindgen(js_name = jwtHs256)]
pub fn jwt_hs256(claims: &JsJsonObject, key: &JsCertificate) -> Result<String, JsValue> {
    js((|| {
        let claims: Value = serde_wasm_bindgen::from_value((**claims).clone())
            .map_err(|e| Error::invalid_input("claims", e.to_string()))?;
        jwt::encode_hs256(&claims, &key_bytes(key)?)
    })())
    .map(|t| t.expose().to_string())
}

/// The claims of a JWT, without checking its signature.
#[wasm_bindgen(js_name = jwtDecodeUnverified)]
pub fn jwt_decode_unverified(token: &str) -> Result<JsJsonObject, JsValue> {
    js(jwt::decode_unverified(token).and_then(|v| json_to_js(&v))).map(JsCast::unchecked_into)
}

/// The claims of an HS256 JWT after checking its signature, `exp` and
/// `nbf` at `now` (unix ms, default `Date.now()`).
#[wasm_bindgen(js_name = jwtVerifyHs256)]
pub fn jwt_verify_hs256(
    token: &str,
    key: &JsCertificate,
    now: Option<f64>,
) -> Result<JsJsonObject, JsValue> {
    js(key_bytes(key)
        .and_then(|k| jwt::verify_hs256(token, &k, now_or_date(now)))
        .and_then(|v| json_to_js(&v)))
    .map(JsCast::unchecked_into)
}

/// Free-form JSON (claims, JWS parts) as a JS value, keys untouched.
pub(crate) fn json_to_js(v: &Value) -> Result<JsValue, Error> {
    use serde::Serialize as _;
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| Error::protocol("converting to JS", e.to_string()))
}
