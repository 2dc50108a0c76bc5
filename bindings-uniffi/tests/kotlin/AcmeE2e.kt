// IdenTrust issuance end to end from Kotlin: the simulator's reseller API
// hands out EAB credentials, Pebble (EAB required, every challenge
// accepted) issues and revokes. scripts/bindings-uniffi.sh starts
// `certbridge-sim --pebble` and passes its JSON line's file as
// -Dcertbridge.peers; CSRs come from the openssl CLI.
package certbridge.tests

import java.io.File
import java.nio.file.Files
import kotlinx.coroutines.runBlocking
import uniffi.certbridge.ChallengeTask
import uniffi.certbridge.AcmeOrderStatus
import uniffi.certbridge_ffi.*

class RecordingSolver : ChallengeSolver {
    val published = ArrayList<ChallengeTask>()
    val cleaned = ArrayList<ChallengeTask>()
    override suspend fun publish(tasks: List<ChallengeTask>) { published.addAll(tasks) }
    override suspend fun cleanup(tasks: List<ChallengeTask>) { cleaned.addAll(tasks) }
}

object AcmeE2e {
    private fun check(name: String, cond: Boolean, detail: () -> String = { "" }) {
        if (!cond) throw AssertionError("$name ${detail()}")
    }

    @Suppress("UNCHECKED_CAST")
    private fun peers(): Map<String, Any?> {
        val path = System.getProperty("certbridge.peers")?.takeIf { it.isNotEmpty() }
            ?: throw AssertionError("-Dcertbridge.peers is not set: run through scripts/bindings-uniffi.sh")
        return Json.parse(File(path).readText()) as Map<String, Any?>
    }

    /** A P-256 key (PKCS#8 PEM) and a DER CSR for `names`, from openssl. */
    private fun opensslCsr(names: List<String>): Pair<ByteArray, String> {
        val dir = Files.createTempDirectory("certbridge-csr").toFile()
        try {
            val key = File(dir, "key.pem")
            val csr = File(dir, "csr.der")
            val p = ProcessBuilder("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", key.path, "-subj", "/CN=${names[0]}",
                "-addext", "subjectAltName=" + names.joinToString(",") { "DNS:$it" },
                "-outform", "DER", "-out", csr.path).redirectErrorStream(true).start()
            val out = p.inputStream.readBytes()
            check("openssl req", p.waitFor() == 0) { String(out) }
            return csr.readBytes() to key.readText()
        } finally {
            dir.deleteRecursively()
        }
    }

    private fun x509Text(pem: String): String {
        val p = ProcessBuilder("openssl", "x509", "-noout", "-text").start()
        p.outputStream.use { it.write(pem.toByteArray()) }
        val text = String(p.inputStream.readBytes())
        p.waitFor()
        return text
    }

    fun identrustIssuance() = runBlocking {
        val peers = peers()
        val simUrl = peers["sim_url"] as String
        val config = defaultTransportConfig().copy(extraRootsPem = listOf(peers["ca_pem"] as String))
        val solver = RecordingSolver()
        val env = identrustEnvironment(simUrl, simUrl)
        val reseller = IdenTrustClient(env, peers["api_key"] as String, null, config, solver)
        val account = reseller.createAccount("customer@example.com")
        @Suppress("UNCHECKED_CAST")
        val pool = (peers["eab_keys"] as List<List<String>>).associate { it[0] to it[1] }
        check("kid from pool", account.kid() in pool)
        check("hmac normalised", account.eab().hmacKeyB64url() == pool[account.kid()])
        check("account redacted", !account.toString().contains(pool.getValue(account.kid())))
        val names = listOf("www.kotlin.example", "kotlin.example")
        val acme = AcmeClient.connect(
            peers["directory_url"] as String, AcmeAccountKey.generate(),
            AcmeAccountOptions(listOf("mailto:customer@example.com"), true, account.eab()),
            null, null, config, solver,
        )
        check("EAB required", acme.directory()?.meta?.externalAccountRequired == true)
        val (csr, certKey) = opensslCsr(names)
        val issued = acme.issueFor(names, csr)
        check("valid order", issued.order.status == AcmeOrderStatus.VALID)
        check("account url", issued.accountUrl == acme.accountUrl())
        val text = x509Text(issued.chain.pem)
        for (n in names) check("SAN $n", text.contains("DNS:$n")) { text }
        check("chain", acmeChainDer(issued.chain).size >= 2)
        check("solver saw http-01", solver.published.map { (it as ChallengeTask.Http01).domain }.sorted() == names.sorted())
        check("cleanup", solver.cleaned.size == solver.published.size)
        acme.revokeWithCertificateKey(issued.chain.pem.toByteArray(), certKey, 1u.toUByte())
        try {
            acme.revoke(issued.chain.pem.toByteArray(), null)
            throw AssertionError("revoked twice")
        } catch (e: CertbridgeException.Provider) {
            check("already revoked", e.code == "urn:ietf:params:acme:error:alreadyRevoked") { "${e.code}" }
        }
    }

    fun issueFlowErrors() {
        try {
            AcmeEabKey("kid", "***")
            throw AssertionError("bad HMAC key accepted")
        } catch (e: CertbridgeException.InvalidInput) {
            check("field", e.field == "hmac_key")
        }
        val key = AcmeAccountKey.generate()
        check("redacted", !key.toString().contains("PRIVATE"))
        check("pem round trip", AcmeAccountKey.fromPem(key.toPkcs8Pem()).thumbprint() == key.thumbprint())
    }

    val all: List<Pair<String, () -> Unit>> = listOf(
        "kotlin/acme/keys-and-errors" to { issueFlowErrors() },
        "kotlin/identrust/issue-at-pebble" to { identrustIssuance() },
    )
}
