package dev.chat852.transport.netty;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed server certificate made with the JDK's {@code keytool} (Netty's
 * {@code SelfSignedCertificate} needs BouncyCastle or JDK internals closed since Java 16).
 */
final class TestCertificates {
    private static final char[] PASSWORD = "changeit".toCharArray();

    final SSLContext server;
    final X509Certificate certificate;

    private TestCertificates(SSLContext server, X509Certificate certificate) {
        this.server = server;
        this.certificate = certificate;
    }

    /** A key pair and certificate for {@code subjectAltNames} (keytool syntax: {@code dns:localhost,ip:127.0.0.1}). */
    static TestCertificates generate(Path dir, String subjectAltNames) throws Exception {
        Path store = dir.resolve("server-" + System.nanoTime() + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=chat852 test server",
                "-ext", "SAN=" + subjectAltNames, "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return new TestCertificates(context, (X509Certificate) ks.getCertificate("server"));
    }
}
