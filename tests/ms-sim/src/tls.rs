//! TLS for the simulator: a CA and a leaf certificate for `127.0.0.1`/`localhost`,
//! both generated at start; tests trust the CA's PEM. The leaf can be made wrong on
//! purpose (another host name, expired) to see how clients explain it.

use std::sync::Arc;

use anyhow::Context;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::crypto::aws_lc_rs;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::config::CertificateFault;

/// A TLS acceptor plus the PEM of the CA that issued its certificate.
pub(crate) struct Tls {
    pub acceptor: TlsAcceptor,
    pub ca_pem: String,
}

/// Generates a fresh CA and leaf certificate (with `fault`) and the acceptor serving them.
pub(crate) fn generate(fault: CertificateFault) -> anyhow::Result<Tls> {
    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "Management Server simulator test CA");
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate()?)
        .context("could not create the simulator's CA certificate")?;
    let names = match fault {
        CertificateFault::WrongHost => vec!["wrong-host.invalid".to_string()],
        CertificateFault::None | CertificateFault::Expired => {
            vec!["127.0.0.1".to_string(), "localhost".to_string()]
        }
    };
    let mut leaf_params = CertificateParams::new(names)?;
    if fault == CertificateFault::Expired {
        let now = std::time::SystemTime::now();
        let year = std::time::Duration::from_secs(365 * 24 * 3600);
        leaf_params.not_before = (now - 2 * year).into();
        leaf_params.not_after = (now - year).into();
    }
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    leaf_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    leaf_params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    let leaf_key = KeyPair::generate()?;
    let leaf = leaf_params
        .signed_by(&leaf_key, &ca)
        .context("could not sign the simulator's server certificate")?;
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let mut config = ServerConfig::builder_with_provider(Arc::new(aws_lc_rs::default_provider()))
        .with_safe_default_protocol_versions()
        .context("no TLS protocol version available")?
        .with_no_client_auth()
        .with_single_cert(vec![leaf.der().clone(), ca.der().clone()], key)
        .context("the generated certificate was refused")?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Tls {
        acceptor: TlsAcceptor::from(Arc::new(config)),
        ca_pem: ca.pem(),
    })
}
