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
 * <p>On the class or module path without further code, {@code ChatClient} finds it by itself, through
 * {@link java.util.ServiceLoader}.
 */
package dev.chat852.transport.jdk;
