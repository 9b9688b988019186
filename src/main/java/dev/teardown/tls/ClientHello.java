package dev.teardown.tls;

/**
 * What a ClientHello says in clear (RFC 8446 section 4.1.2; RFC 5246 section 7.4.1.2).
 *
 * @param legacyVersion the {@code legacy_version} field (0x0303 from TLS 1.3 clients)
 * @param highestOffered the highest version offered: of the {@code supported_versions} extension when present
 *     (RFC 8446 section 4.2.1; GREASE values ignored), else {@code legacyVersion}
 * @param serverName the first {@code host_name} of the {@code server_name} extension (RFC 6066 section 3),
 *     escaped by {@link WireText}; empty when absent
 * @param alpn the protocols of the {@code application_layer_protocol_negotiation} extension (RFC 7301
 *     section 3.1) in the client's order, each escaped, joined by {@code ,}; empty when absent
 * @param sessionId the {@code legacy_session_id}, 0 to 32 bytes
 * @param ticket whether a non-empty {@code SessionTicket} extension was sent (RFC 5077 section 3.2)
 * @param psk whether a {@code pre_shared_key} extension was sent (RFC 8446 section 4.2.11)
 */
record ClientHello(int legacyVersion, int highestOffered, String serverName, String alpn, byte[] sessionId,
                   boolean ticket, boolean psk) {}
