// `redtrust.*` vector ops mapped onto the Kotlin API (mirrors
// core/tests/vectors/redtrust.rs).
package certbridge.tests

import uniffi.certbridge.RedtrustCompat
import uniffi.certbridge.RedtrustConfig
import uniffi.certbridge_ffi.*

object RedtrustOps {
    private val compat = mapOf("v4.42" to RedtrustCompat.V4_42, "v4.33" to RedtrustCompat.V4_33)

    private fun config(c: Case): RedtrustConfig {
        val name = c.input["compat"] as? String ?: "v4.42"
        val v = compat[name] ?: throw RunnerInputError("compat", "unknown compat $name")
        return redtrustConfig(c.str("server"), v)
    }

    private fun session(c: Case) = RedtrustSession(c.str("access_token"), c.optStr("refresh_token"), null)

    private fun sessionJson(s: RedtrustSession) = mapOf(
        "access_token" to s.accessToken(),
        "refresh_token" to s.refreshToken(),
        "expires_at" to s.expiresAt(),
    )

    private fun csrRequest(c: Case) = redtrustCsrRequestFromJson(Json.write(c.input["request"]))

    val ops: Map<String, (Case) -> Outcome> = mapOf(
        "login_url" to { c ->
            Outcome.Request(redtrustLoginUrl(config(c), c.str("partner"), c.str("hmac_key"), c.str("redirect_url"),
                c.nowMillis(), c.optStr("domain")))
        },
        "parse_redirect" to { c ->
            Outcome.Value(mapOf("temporal_token" to redtrustTemporalTokenFromRedirect(c.str("url"))))
        },
        "login" to { c ->
            Outcome.Request(redtrustLoginRequest(config(c), c.str("username"), c.str("password"), c.optStr("domain")))
        },
        "exchange_temp_token" to { c ->
            Outcome.Request(redtrustExchangeTempTokenRequest(config(c), c.str("temporal_token")))
        },
        "refresh" to { c -> Outcome.Request(redtrustRefreshRequest(config(c), session(c))) },
        "logout" to { c -> Outcome.Request(redtrustLogoutRequest(config(c), session(c))) },
        "parse_session" to { c -> Outcome.Value(sessionJson(redtrustParseLogin(c.httpResponse()))) },
        "parse_refresh" to { c -> Outcome.Value(sessionJson(redtrustParseRefresh(c.httpResponse(), session(c)))) },
        "parse_logout" to { c ->
            redtrustParseLogout(c.httpResponse())
            Outcome.Value(emptyMap<String, Any?>())
        },
        "csr_create" to { c -> Outcome.Request(redtrustCreateCsrRequest(config(c), csrRequest(c), session(c))) },
        "parse_csr_create" to { c ->
            val sent = if (c.input.containsKey("request")) csrRequest(c) else redtrustCsrRequest(emptyList())
            val created = redtrustParseCreateCsr(c.httpResponse(), sent)
            Outcome.Value(mapOf("request_code" to created.requestCode, "csr_pem" to created.csrPem))
        },
        "csr_finalize" to { c ->
            Outcome.Request(redtrustFinalizeCsrRequest(config(c), c.str("request_code"), c.str("provider"), session(c),
                c.optStr("data_in_b64")))
        },
        "parse_csr_finalize" to { c ->
            val f = redtrustParseFinalizeCsr(c.httpResponse(), compat[c.input["compat"] as? String ?: "v4.42"])
            Outcome.Value(mapOf("id_certificate" to f.idCertificate, "thumbprint" to f.thumbprint))
        },
        "thumbprint" to { c ->
            val cert = c.str("certificate").toByteArray(Charsets.UTF_8)
            Outcome.Value(mapOf("sha1" to thumbprintSha1(cert), "sha256" to thumbprintSha256(cert)))
        },
        "parse_dn" to { c ->
            Outcome.Value(redtrustParseDn(c.str("text")).map { mapOf("attribute" to it.attribute, "value" to it.value) })
        },
    )
}
