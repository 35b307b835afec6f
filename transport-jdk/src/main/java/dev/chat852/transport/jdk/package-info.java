/**
 * A chat852 transport on the JDK's own HTTP client ({@code java.net.http}), with no dependency
 * beyond {@code chat852-core}.
 *
 * <pre>{@code
 * try (JdkTransport transport = JdkTransport.create();
 *      ChatClient client = ChatClient.builder().transport(transport).token(token).build()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>On the classpath without further code, {@link dev.chat852.transport.jdk.JdkTransportProvider}
 * lets {@code ChatClient} find it by itself.
 */
package dev.chat852.transport.jdk;
