// The Kotlin suite as JUnit 5 tests, run by `mvn verify` (failsafe) against
// the packaged jar: the shared vectors (one dynamic test per case), the
// transport and flow tests, SwissSign at the simulator and IdenTrust at
// Pebble. scripts/bindings-uniffi.sh passes -Dcertbridge.vectors, .sim and
// .peers.
package certbridge.tests

import java.io.File
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory

class CertbridgeIT {
    private val dir = File(System.getProperty("certbridge.vectors")?.takeIf { it.isNotEmpty() } ?: "tests/vectors")
    private val loaded by lazy { VectorRunner.load(dir) }

    private fun tests(all: List<Pair<String, () -> Unit>>): List<DynamicTest> =
        all.map { (name, test) -> dynamicTest(name) { test() } }

    @Test
    fun enoughVectors() {
        val (cases, skipped) = loaded
        if (skipped.isNotEmpty()) println("skipped files of providers not bound yet: ${skipped.joinToString()}")
        assertTrue(cases.size >= 70) { "only ${cases.size} supported vectors found in $dir" }
    }

    @TestFactory
    fun vectors(): List<DynamicTest> = loaded.first.map { case ->
        dynamicTest("${case.file}: ${case.name}") {
            val diffs = VectorRunner.check(case)
            assertTrue(diffs.isEmpty()) { "${case.name}: ${diffs.joinToString("; ")}" }
        }
    }

    /** An op this runner does not know must fail, not be skipped. */
    @Test
    fun unknownOpFails() {
        val unknown = Case("redtrust.json", "x", "redtrust.no_such_op", emptyMap(), null, emptyMap())
        assertThrows(UnknownOp::class.java) { VectorRunner.run(unknown) }
    }

    @TestFactory fun transport() = tests(TransportTests.all)

    @TestFactory fun swissSignAtSimulator() = tests(SwissSignSimTests.all)

    @TestFactory fun acmeEndToEnd() = tests(AcmeE2e.all)

    /** The tests run against the jar: the native library comes from inside it. */
    @Test
    fun nativeLibraryIsAJarResource() {
        val url = CertbridgeIT::class.java.classLoader.getResource("linux-x86-64/libcertbridge_ffi.so")
        assertTrue(url != null) { "linux-x86-64/libcertbridge_ffi.so is not on the class path" }
        assertEquals("jar", url!!.protocol) { "loaded from $url, not from the packaged jar" }
        assertTrue(System.getProperty("jna.library.path").isNullOrEmpty()) { "jna.library.path is set" }
    }
}
