// A Kotlin transport through the foreign HttpTransport trait: a scripted
// fake Redtrust server answering a whole issuance, checked request by request.
package certbridge.tests

import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import uniffi.certbridge.DnEntry
import uniffi.certbridge_ffi.HeaderField
import uniffi.certbridge_ffi.HttpRequest
import uniffi.certbridge_ffi.HttpResponse
import uniffi.certbridge_ffi.Method
import uniffi.certbridge_ffi.*

private const val CSR_B64 = "MAMCAQU="

private fun ok(data: String) = HttpResponse(
    200u, listOf(HeaderField("Content-Type", "application/json")),
    """{"message":"ok","messageType":"SUCCESS","errorCode":"OK","data":$data}""".toByteArray(),
)

class ScriptedRedtrust(answers: List<HttpResponse>) : HttpTransport {
    private val queue = ArrayDeque(answers)
    val sent = ArrayList<HttpRequest>()

    override suspend fun send(request: HttpRequest): HttpResponse {
        sent.add(request)
        delay(1) // a real suspension on the caller's coroutine machinery
        return queue.removeFirst()
    }
}

class FailingTransport : HttpTransport {
    override suspend fun send(request: HttpRequest): HttpResponse = throw java.io.IOException("connection reset")
}

object TransportTests {
    fun check(name: String, cond: Boolean, detail: () -> String = { "" }) {
        if (!cond) throw AssertionError("$name ${detail()}")
    }

    fun fullIssuance() = runBlocking {
        val expiry = java.time.Instant.now().plusSeconds(3600).toString()
        val transport = ScriptedRedtrust(listOf(
            ok("""{"accessToken":"a-1","refreshToken":"r-1","expiration":"$expiry"}"""),
            ok("""{"requestCode":"P775","csr":"$CSR_B64"}"""),
            ok("""{"idCertificate":42,"thumbprint":"abcdef0123456789abcdef0123456789abcdef01"}"""),
        ))
        val client = RedtrustClient(
            redtrustConfig("https://rt.example:8082", null), transport, null,
            RedtrustPassword("app.user", "pw", "local.users"), null,
        )
        val request = redtrustCsrRequest(redtrustParseDn("cn=John Doe,o=Example,c=ES"))
        val issued = client.issue(request)
        check("request code", issued.requestCode == "P775")
        check("id", issued.idCertificate == "42")
        check("thumbprint", issued.thumbprint == "ABCDEF0123456789ABCDEF0123456789ABCDEF01")
        check("3 requests", transport.sent.size == 3) { "${transport.sent.size}" }
        val (login, create, finalize) = transport.sent
        check("login", login.method == Method.POST && login.url == "https://rt.example:8082/raapi/v1/auth/login")
        check("login body", String(login.body) == """{"username":"app.user","password":"pw","domain":"local.users"}""")
        check("create", create.method == Method.POST && create.url == "https://rt.example:8082/raapi/v1/csr/create")
        check("create auth", create.headers.last() == HeaderField("Authorization", "Bearer a-1"))
        check("create body", String(create.body) ==
            """{"dn":[{"attribute":"cn","value":"John Doe"},{"attribute":"o","value":"Example"},""" +
            """{"attribute":"c","value":"ES"}],"hashType":"SHA384","keyLength":2048,"keyType":"RSA","provider":"CAMERFIRMA"}""")
        check("finalize", finalize.method == Method.PUT && finalize.url == "https://rt.example:8082/raapi/v1/csr/finalize")
        check("finalize body", String(finalize.body) == """{"provider":"CAMERFIRMA","requestCode":"P775"}""")
        check("session kept", client.session()?.accessToken() == "a-1")
        check("session redacted", !client.session().toString().contains("a-1"))
    }

    fun transportFailureIsTyped() = runBlocking {
        val client = RedtrustClient(
            redtrustConfig("https://rt.example:8082", null), FailingTransport(), null,
            RedtrustPassword("u", "p", null), null,
        )
        try {
            client.login()
            throw AssertionError("login through a failing transport succeeded")
        } catch (e: CertbridgeException.Transport) {
            check("kind", e.kind == "transport")
        }
    }

    fun sansIoFlow() {
        val answers = ArrayDeque(listOf(
            ok("""{"accessToken":"a-1","expiration":"2100-01-01T00:00:00Z"}"""),
            ok("""{"requestCode":"P1","csr":"$CSR_B64"}"""),
            ok("""{"idCertificate":"7","thumbprint":"ABCDEF0123456789ABCDEF0123456789ABCDEF01"}"""),
        ))
        val flow = RedtrustIssueFlow(
            redtrustConfig("https://rt.example:8082", null),
            RedtrustCredentials.TempToken("tkn-1"),
            redtrustCsrRequest(listOf(DnEntry("cn", "John Doe"))), null,
        )
        val now = 1_744_719_496_000uL
        val urls = ArrayList<String>()
        while (true) {
            when (val step = flow.next(now)) {
                is RedtrustStep.Send -> { urls.add(step.request.url); flow.receive(answers.removeFirst(), now) }
                is RedtrustStep.Done -> { check("flow id", step.issued.idCertificate == "7"); break }
                is RedtrustStep.Wait -> throw AssertionError("unexpected wait")
            }
        }
        check("flow urls", urls == listOf(
            "https://rt.example:8082/authapi/v1/login_by_temp_token",
            "https://rt.example:8082/raapi/v1/csr/create",
            "https://rt.example:8082/raapi/v1/csr/finalize",
        )) { urls.toString() }
    }

    fun errorKinds() {
        try {
            redtrustLoginUrl(redtrustConfig("https://rt.example:8082", null), "ca-demo", "k", "https://a.example/", 1000uL, null)
            throw AssertionError("bad partner accepted")
        } catch (e: CertbridgeException.InvalidInput) {
            check("field", e.field == "partner")
        }
        val body = """{"message":"DN not allowed","messageType":"ERROR","errorCode":"INVALID_DN","data":null}"""
        try {
            redtrustParseCreateCsr(HttpResponse(400u, emptyList(), body.toByteArray()), redtrustCsrRequest(emptyList()))
            throw AssertionError("error envelope accepted")
        } catch (e: CertbridgeException.Provider) {
            check("provider", e.code == "INVALID_DN" && e.status == 400.toUShort())
        }
    }

    val all: List<Pair<String, () -> Unit>> = listOf(
        "kotlin/transport/full-issuance" to { fullIssuance() },
        "kotlin/transport/failure-is-typed" to { transportFailureIsTyped() },
        "kotlin/flow/sans-io" to { sansIoFlow() },
        "kotlin/errors/typed" to { errorKinds() },
    )
}
