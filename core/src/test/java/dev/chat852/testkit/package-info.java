/**
 * The shared transport test kit, shipped in {@code chat852-core}'s test-jar.
 *
 * <ul>
 *   <li>{@link dev.chat852.testkit.TransportTestKit}: the behaviour every transport must show, end to end
 *       through a {@code ChatClient} and real sockets. A transport module extends it, implements
 *       {@code newTransport()}, and may override {@code leasedConnections(Transport)} (pooled
 *       connections not yet given back), {@code isUnrelatedThread(Thread)} (threads the leak test
 *       ignores), {@code transportLoggers()} (JUL loggers its library logs under, for the secrets
 *       case) and {@code newServer(String)} (the server to run against). Test methods are public so a
 *       subclass can override one to add {@code @Disabled("why")}.</li>
 *   <li>{@link dev.chat852.testkit.KitServer}: the server the cases talk to, scripted with
 *       {@link dev.chat852.testkit.KitResponse}s; what only some servers can do is a
 *       {@link dev.chat852.testkit.KitServer.Capability}, and cases needing one a server lacks are skipped
 *       by a JUnit assumption naming it. {@link dev.chat852.testkit.TestServerAdapter} is the default,
 *       over the raw-socket {@code TestServer}; {@code chat852-mock-server}'s tests add one over its
 *       {@code MockServer}.</li>
 *   <li>{@link dev.chat852.testkit.TestServer}: an HTTP/1.1 server on raw sockets that plays every
 *       part of a {@link dev.chat852.testkit.KitResponse}: status, headers, body chunks each flushed
 *       alone, pauses, stalls, gates, resets and closes, in chunked, Content-Length or close-delimited
 *       framing, optionally one byte at a time. It records requests (JSON bodies parsed) and
 *       connections, and sees a client close a connection at once.</li>
 *   <li>{@link dev.chat852.testkit.TestProxy}: an HTTP proxy on loopback that tunnels {@code CONNECT}
 *       and forwards absolute-form requests, recording request lines, or refuses with a chosen status:
 *       for each transport's proxy setting.</li>
 *   <li>The hostile-peer suite: {@link dev.chat852.testkit.HostilePeerKit}, what a server that breaks
 *       every rule can do to a {@code ChatClient} on a transport (a transport module extends it as it
 *       extends {@code TransportTestKit}); {@link dev.chat852.testkit.HostileServer}, a scripted
 *       raw-socket server for it (endless bodies and headers, giant lines, wrong lengths, garbage,
 *       silence, drips, resets, every loop bounded); {@link dev.chat852.testkit.HostileClient}, raw
 *       requests no well-behaved client sends, for servers under test (the mock, the recorder).</li>
 *   <li>{@link dev.chat852.testkit.Poll}: waiting with a deadline instead of sleeping.</li>
 *   <li>{@link dev.chat852.testkit.LogCapture}: every {@code java.util.logging} record (where
 *       {@code System.Logger} and, without SLF4J, Netty log), for the secrets case.</li>
 * </ul>
 *
 * <p>Test dependency of a transport module:
 *
 * <pre>{@code
 * <dependency>
 *   <groupId>dev.chat852</groupId>
 *   <artifactId>chat852-core</artifactId>
 *   <version>${project.version}</version>
 *   <type>test-jar</type>
 *   <scope>test</scope>
 * </dependency>
 * }</pre>
 */
package dev.chat852.testkit;
