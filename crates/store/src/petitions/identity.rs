//! The sender's identity of a petition, sealed at rest with a key the server holds in its
//! configuration, never in the database: a copy of the database alone does not name a
//! denouncer (Luật Tố cáo 2018 Điều 47; the contract's rule on denunciations). XChaCha20-Poly1305
//! with a random 24-byte nonce per value, so the same name sealed twice looks different and a
//! value moved to another column or case fails to open (the case id is the associated data).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};

use crate::StoreError;

/// The key that seals identities: 32 bytes, written as base64 in the server's configuration.
#[derive(Clone)]
pub struct IdentityKey([u8; 32]);

impl std::fmt::Debug for IdentityKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdentityKey(…)")
    }
}

impl IdentityKey {
    /// A new random key.
    pub fn generate() -> IdentityKey {
        let mut bytes = [0u8; 32];
        rand::fill(&mut bytes);
        IdentityKey(bytes)
    }

    /// Reads a key written by [`IdentityKey::to_base64`] (surrounding whitespace ignored).
    pub fn from_base64(text: &str) -> Result<IdentityKey, String> {
        let bytes = STANDARD.decode(text.trim()).map_err(|_| "the identity key is not base64".to_owned())?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| "the identity key is not 32 bytes".to_owned())?;
        Ok(IdentityKey(bytes))
    }

    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(Key::from_slice(&self.0))
    }
}

/// Who sent a letter, and the words of the letter that name them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sender {
    pub full_name: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    /// The letter's content as written, when naming the sender made the stored summary differ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_summary: Option<String>,
}

/// What replaces the sender's own name, address and phone in a denunciation's stored content.
pub const SENDER_MASK: &str = "[người gửi]";

impl Sender {
    /// The content of a letter of `kind` as it is stored in clear: a denunciation's with the
    /// sender's name, address and phone taken out, the words as written kept with the sender
    /// (sealed); other letters' as they are.
    pub fn protect(&mut self, kind: dangvu_domain::petitions::Kind, summary: &str) -> String {
        if !kind.protects_sender() {
            return summary.to_owned();
        }
        let mut names = vec![self.full_name.as_str()];
        names.extend(self.address.as_deref());
        names.extend(self.phone.as_deref());
        let masked = dangvu_domain::petitions::duplicate::redact(summary, &names, SENDER_MASK);
        if masked != summary {
            self.original_summary = Some(summary.to_owned());
        }
        masked
    }
}

const VERSION: &str = "v1:";

/// Seals a sender for the case `petition_id`.
pub fn seal(key: &IdentityKey, petition_id: i64, sender: &Sender) -> Result<String, StoreError> {
    let plain = serde_json::to_vec(sender).map_err(|e| StoreError::Decode(e.to_string()))?;
    let mut nonce = [0u8; 24];
    rand::fill(&mut nonce);
    let aad = petition_id.to_be_bytes();
    let sealed = key
        .cipher()
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: &plain, aad: &aad })
        .map_err(|_| StoreError::Config("the sender could not be sealed".into()))?;
    let mut out = nonce.to_vec();
    out.extend(sealed);
    Ok(format!("{VERSION}{}", STANDARD.encode(out)))
}

/// Opens what [`seal`] wrote for the same case with the same key.
pub fn open(key: &IdentityKey, petition_id: i64, sealed: &str) -> Result<Sender, StoreError> {
    let wrong = || StoreError::Config("the sender's identity does not open with the server's identity key".into());
    let bytes = sealed.strip_prefix(VERSION).and_then(|b| STANDARD.decode(b).ok()).ok_or_else(wrong)?;
    if bytes.len() < 24 {
        return Err(wrong());
    }
    let (nonce, body) = bytes.split_at(24);
    let aad = petition_id.to_be_bytes();
    let plain =
        key.cipher().decrypt(XNonce::from_slice(nonce), Payload { msg: body, aad: &aad }).map_err(|_| wrong())?;
    serde_json::from_slice(&plain).map_err(|_| wrong())
}

/// Seals a file (a scanned letter) for the case `petition_id`: nonce, then the sealed bytes.
pub fn seal_bytes(key: &IdentityKey, petition_id: i64, data: &[u8]) -> Result<Vec<u8>, StoreError> {
    let mut nonce = [0u8; 24];
    rand::fill(&mut nonce);
    let aad = [&petition_id.to_be_bytes()[..], b"scan"].concat();
    let sealed = key
        .cipher()
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: data, aad: &aad })
        .map_err(|_| StoreError::Config("the scan could not be sealed".into()))?;
    let mut out = nonce.to_vec();
    out.extend(sealed);
    Ok(out)
}

/// Opens what [`seal_bytes`] wrote for the same case with the same key.
pub fn open_bytes(key: &IdentityKey, petition_id: i64, sealed: &[u8]) -> Result<Vec<u8>, StoreError> {
    let wrong = || StoreError::Config("the scan does not open with the server's identity key".into());
    if sealed.len() < 24 {
        return Err(wrong());
    }
    let (nonce, body) = sealed.split_at(24);
    let aad = [&petition_id.to_be_bytes()[..], b"scan"].concat();
    key.cipher().decrypt(XNonce::from_slice(nonce), Payload { msg: body, aad: &aad }).map_err(|_| wrong())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_sender_opens_only_with_its_key_and_case() {
        let key = IdentityKey::generate();
        let sender =
            Sender { full_name: "Nguyễn Thị Hoa".into(), phone: Some("0912345678".into()), ..Default::default() };
        let sealed = seal(&key, 7, &sender).unwrap();
        assert!(!sealed.contains("Hoa") && !sealed.contains("0912345678"));
        assert_ne!(sealed, seal(&key, 7, &sender).unwrap(), "a fresh nonce each time");
        assert_eq!(open(&key, 7, &sealed).unwrap(), sender);
        assert!(open(&key, 8, &sealed).is_err(), "moved to another case");
        assert!(open(&IdentityKey::generate(), 7, &sealed).is_err(), "another key");
        let again = IdentityKey::from_base64(&format!(" {}\n", key.to_base64())).unwrap();
        assert_eq!(open(&again, 7, &sealed).unwrap(), sender);
        assert!(IdentityKey::from_base64("c2hvcnQ=").is_err());
        let scan = b"%PDF-1.4 Nguyen Thi Hoa".to_vec();
        let sealed = seal_bytes(&key, 7, &scan).unwrap();
        assert!(!sealed.windows(3).any(|w| w == b"Hoa"));
        assert_eq!(open_bytes(&key, 7, &sealed).unwrap(), scan);
        assert!(open_bytes(&key, 8, &sealed).is_err());
    }
}
