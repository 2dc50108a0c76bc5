//! Server certificate verification of the built-in native transport:
//! rustls' webpki verifier, with one exception.
//!
//! A server that presents, as its own certificate, exactly a certificate the
//! caller configured as a trust anchor (`--ca-cert server.pem`, where
//! `server.pem` is the server's self-signed certificate as
//! `openssl req -x509` makes it, with `CA:TRUE`) is accepted when the name
//! and validity dates fit: webpki alone refuses it with `CaUsedAsEndEntity`,
//! where curl, lego and certbot accept it (issue 14 item 4). Byte-identical
//! means the caller vouched for this very certificate; the handshake
//! signature still proves the server holds its key. Every other certificate
//! goes through webpki unchanged, and there is no switch that skips
//! verification.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{verify_server_name, WebPkiServerVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::error::Error;

/// webpki, or a configured anchor presented as the server certificate.
#[derive(Debug)]
struct AnchorOrWebPki {
    /// The DER of every configured extra anchor.
    anchors: Vec<CertificateDer<'static>>,
    webpki: Arc<WebPkiServerVerifier>,
}

/// The rustls client configuration of the native transport: the web PKI
/// roots (as reqwest's `rustls-tls` has them) plus `extra_roots` (DER), and
/// [`AnchorOrWebPki`] over them.
pub(crate) fn client_config(extra_roots: Vec<Vec<u8>>) -> Result<rustls::ClientConfig, Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let mut anchors = Vec::new();
    for der in extra_roots {
        let cert = CertificateDer::from(der);
        roots
            .add(cert.clone())
            .map_err(|_| Error::invalid_input("ca_cert", "not a usable trust anchor"))?;
        anchors.push(cert);
    }
    let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| Error::transport(format!("cannot build the TLS verifier: {e}")))?;
    let verifier = AnchorOrWebPki { anchors, webpki };
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::transport(format!("cannot configure TLS: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth())
}

/// `notBefore <= now <= notAfter` (RFC 5280 section 4.1.2.5), the check
/// webpki would have made on the path it did not build.
fn check_validity(der: &[u8], now: UnixTime) -> Result<(), rustls::Error> {
    let cert = crate::crypto::certificate::Certificate::from_der(der)
        .map_err(|_| rustls::Error::InvalidCertificate(CertificateError::BadEncoding))?;
    let now = crate::time::Timestamp::from_secs(now.as_secs());
    if now < cert.not_before {
        return Err(rustls::Error::InvalidCertificate(
            CertificateError::NotValidYet,
        ));
    }
    if now > cert.not_after {
        return Err(rustls::Error::InvalidCertificate(CertificateError::Expired));
    }
    Ok(())
}

impl ServerCertVerifier for AnchorOrWebPki {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if self
            .anchors
            .iter()
            .any(|a| a.as_ref() == end_entity.as_ref())
        {
            verify_server_name(&ParsedCertificate::try_from(end_entity)?, server_name)?;
            check_validity(end_entity, now)?;
            return Ok(ServerCertVerified::assertion());
        }
        self.webpki
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use std::io::{Read as _, Write as _};
    use std::net::TcpListener;
    use std::path::Path;
    use std::process::Command;

    use rustls::pki_types::PrivatePkcs8KeyDer;

    use crate::client::{ReqwestTransport, Transport, TransportConfig};
    use crate::http::{HttpRequest, HttpResponse, Method};

    use super::*;

    /// A self-signed P-256 certificate for `localhost` exactly as the issue
    /// makes it (`openssl req -x509` sets `CA:TRUE`): (certificate PEM, key
    /// PKCS#8 DER).
    fn self_signed(dir: &Path, name: &str) -> (String, Vec<u8>) {
        let cert = dir.join(format!("{name}.pem"));
        let key = dir.join(format!("{name}.key"));
        let status = Command::new("openssl")
            .args([
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
            ])
            .args([
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=DNS:localhost",
            ])
            .args(["-days", "2", "-nodes", "-keyout"])
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .output()
            .unwrap();
        assert!(status.status.success(), "{status:?}");
        let cert = std::fs::read_to_string(cert).unwrap();
        let text = std::fs::read_to_string(&key).unwrap();
        let key = crate::crypto::pem::pem_blocks(&text, "PRIVATE KEY").unwrap();
        (cert, key.into_iter().next().unwrap())
    }

    /// A TLS server on 127.0.0.1 presenting `cert_pem` and answering `200 ok`.
    fn serve(cert_pem: &str, key: Vec<u8>) -> u16 {
        let der = crate::crypto::pem::pem_blocks(cert_pem, "CERTIFICATE").unwrap();
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(der[0].clone())],
            PrivatePkcs8KeyDer::from(key).into(),
        )
        .unwrap();
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for tcp in listener.incoming() {
                let Ok(tcp) = tcp else { return };
                let Ok(conn) = rustls::ServerConnection::new(config.clone()) else {
                    return;
                };
                let mut tls = rustls::StreamOwned::new(conn, tcp);
                let mut buf = [0u8; 4096];
                if tls.read(&mut buf).is_ok() {
                    let _ = tls.write_all(
                        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
                    );
                    let _ = tls.flush();
                }
            }
        });
        port
    }

    fn get(anchor_pem: &str, url: &str) -> Result<HttpResponse, Error> {
        let transport = ReqwestTransport::new(&TransportConfig {
            extra_roots_pem: vec![anchor_pem.to_string()],
            request_timeout_ms: 10_000,
            ..TransportConfig::default()
        })?;
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(transport.send(HttpRequest::new(Method::Get, url)))
    }

    #[test]
    fn a_self_signed_server_certificate_given_as_anchor_is_accepted_for_its_name_only() {
        let dir = std::env::temp_dir().join(format!("certbridge-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (cert, key) = self_signed(&dir, "server");
        let (other, _) = self_signed(&dir, "other");
        let port = serve(&cert, key);
        // Issue 14 item 4: webpki alone says CaUsedAsEndEntity here.
        let ok = get(&cert, &format!("https://localhost:{port}/")).unwrap();
        assert_eq!((ok.status, ok.body.as_slice()), (200, &b"ok"[..]));
        // The hostname is still checked: the certificate names only localhost.
        match get(&cert, &format!("https://127.0.0.1:{port}/")) {
            Err(Error::Transport { message }) => {
                assert!(message.contains("not valid for name"), "{message}")
            }
            other => panic!("wrong name accepted: {other:?}"),
        }
        // Another self-signed certificate is no anchor for this one.
        match get(&other, &format!("https://localhost:{port}/")) {
            Err(Error::Transport { message }) => {
                assert!(message.contains("certificate"), "{message}")
            }
            other => panic!("untrusted certificate accepted: {other:?}"),
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_anchor_outside_its_validity_is_refused() {
        let dir = std::env::temp_dir().join(format!("certbridge-tls-v-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (cert, _) = self_signed(&dir, "server");
        let der = crate::crypto::pem::pem_blocks(&cert, "CERTIFICATE").unwrap();
        let now = UnixTime::now().as_secs();
        assert!(check_validity(
            &der[0],
            UnixTime::since_unix_epoch(std::time::Duration::from_secs(now))
        )
        .is_ok());
        let later = UnixTime::since_unix_epoch(std::time::Duration::from_secs(now + 3 * 86_400));
        assert_eq!(
            check_validity(&der[0], later),
            Err(rustls::Error::InvalidCertificate(CertificateError::Expired))
        );
        let earlier = UnixTime::since_unix_epoch(std::time::Duration::from_secs(now - 86_400));
        assert_eq!(
            check_validity(&der[0], earlier),
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidYet
            ))
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
