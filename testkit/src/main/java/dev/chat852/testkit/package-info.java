/**
 * Test helpers with no dependency but the JDK (and Jackson, for {@link dev.chat852.testkit.OpenAiStreams}), shared by the transport conformance kit
 * ({@code chat852-transport-tck}) and chat852's own tests.
 *
 * <ul>
 *   <li>{@link dev.chat852.testkit.HostileServer}: the one raw-socket HTTP server, for what a well-behaved
 *       server never sends (endless bodies and headers, giant lines, wrong lengths, garbage, silence,
 *       drips, resets), scripted per connection or driven step by step by the test; every loop bounded.
 *       Everything well-formed is the mock server's job ({@code chat852-mock-server}).</li>
 *   <li>{@link dev.chat852.testkit.TestProxy}: an HTTP proxy on loopback that tunnels {@code CONNECT}
 *       and forwards absolute-form requests, recording request lines, or refuses with a chosen status.</li>
 *   <li>{@link dev.chat852.testkit.LogCapture}: every {@code java.util.logging} record (where
 *       {@code System.Logger} and, without SLF4J, Netty log), for checks that a secret is in none.</li>
 *   <li>{@link dev.chat852.testkit.OpenAiStreams}: what an OpenAI stream body says, read the obvious way:
 *       the reference OpenAI-dialect clients are compared with.</li>
 * </ul>
 */
package dev.chat852.testkit;
