package dev.teardown.tls;

/**
 * What a ServerHello says in clear (RFC 8446 section 4.1.3; RFC 5246 section 7.4.1.3).
 *
 * @param version the negotiated version: the {@code supported_versions} extension's when present (TLS 1.3,
 *     RFC 8446 section 4.2.1), else {@code legacy_version}
 * @param retry whether this is a HelloRetryRequest (its random is RFC 8446 section 4.1.3's fixed value): the
 *     real ServerHello follows a second ClientHello
 * @param alpn the protocol the server selected (RFC 7301 section 3.1), escaped; empty when absent, and always
 *     in TLS 1.3, which sends it in the encrypted EncryptedExtensions
 * @param sessionId the {@code legacy_session_id_echo} (TLS 1.2 and earlier: the session id of a resumed or
 *     new session)
 * @param psk whether the {@code pre_shared_key} extension was sent: TLS 1.3 resumption (RFC 8446 section 2.2)
 */
record ServerHello(int version, boolean retry, String alpn, byte[] sessionId, boolean psk) {}
