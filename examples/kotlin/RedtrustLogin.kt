// Builds a Redtrust HMAC login URL, then issues a certificate through a
// host-supplied transport (a stand-in answering like a Redtrust server), with
// the certbridge Kotlin bindings. Run: scripts/bindings-uniffi.sh examples
// (compiled by bindings-uniffi/jvm/consumer against the installed jar)
import kotlinx.coroutines.runBlocking
import uniffi.certbridge_ffi.HttpRequest
import uniffi.certbridge_ffi.HttpResponse
import uniffi.certbridge_ffi.*

/** Your own HTTP stack goes here (OkHttp, Ktor...). */
class DemoTransport : HttpTransport {
    private val answers = ArrayDeque(listOf(
        """{"accessToken":"demo-access","refreshToken":"demo-refresh","expiration":"2100-01-01T00:00:00Z"}""",
        """{"requestCode":"P775W98SSW4Z1774PMZU","csr":"MAMCAQU="}""",
        """{"idCertificate":1234,"thumbprint":"38cebdc83399e7dfb7874b9b5fa732a1e270a5d2"}""",
    ))

    override suspend fun send(request: HttpRequest): HttpResponse {
        println("  -> ${request.method} ${request.url}")
        val body = """{"message":"ok","messageType":"SUCCESS","errorCode":"OK","data":${answers.removeFirst()}}"""
        return HttpResponse(200u, emptyList(), body.toByteArray())
    }
}

fun main() = runBlocking {
    val config = redtrustConfig("https://redtrust.example:8082")
    val login = redtrustLoginUrl(config, "ca_demo", "shared-secret-key", "https://app.example/callback",
        System.currentTimeMillis().toULong())
    println("redirect the user to: ${login.url}")

    val client = RedtrustClient(config, DemoTransport(), password = RedtrustPassword("app", "pw"))
    try {
        val issued = client.issue(redtrustCsrRequest(redtrustParseDn("cn=John Doe,o=Example,c=ES")))
        println("issued certificate ${issued.idCertificate} thumbprint ${issued.thumbprint}")
    } catch (e: CertbridgeException.Provider) {
        println("provider refused: ${e.code} ${e.reason}")
    }
}
